"""The "to give" list as a derived index (issue 22, leftovers of the Waiting screen): ``audit verify``
compares it with the records on both stores, like the to-sign list, and ``reindex`` writes it; a
TinyDB folder kept before the list (or before the register's dates of birth) has it built on its
first opening, said in the log, so Waiting is right at once.

Each edit is made as a person with the folder or the database open would make it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from assistant.records import TinyDBStore
from assistant.services import chart
from tests.conftest import MakeRecord
from tests.helpers import INJECTOR, Cli
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters
from tests.test_cli_lifecycle import FULL_FACE
from tests.test_records_find_by_birth import BORN, register


@pytest.fixture
def planned(cli: Cli, staff_registers: StaffRegisters) -> str:
    """A consult planned with doses, nothing given: on the "to give" list."""
    staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)
    code, out, err = cli("run", FULL_FACE, "--staff", INJECTOR, "--format", "json")
    assert code == 0, err
    return str(json.loads(out)["consult_id"])


def _edit(path: Path, change: object) -> None:
    tables = json.loads(path.read_text(encoding="utf-8"))
    change(tables)  # type: ignore[operator]
    path.write_text(json.dumps(tables), encoding="utf-8")


def test_an_edited_to_give_list_is_named_by_verify_and_reindex_puts_it_right(cli: Cli, planned: str) -> None:
    assert [s.consult_id for s in cli.repository().to_give_page(None, None)] == [planned]
    if cli.kind == "tinydb":
        _edit(TinyDBStore(cli.data).layout.to_sign_file, lambda t: t["to_give"].clear())
    else:
        cli.server.psql(  # type: ignore[attr-defined]
            f"UPDATE consults SET state = 'given' WHERE consult_id = '{planned}'", database=cli.database_name
        )
    assert cli.repository().to_give_page(None, None) == []  # Waiting would show nothing to give
    code, _, err = cli("audit", "verify")
    assert code == 1
    assert (
        f"the giving index does not list consult {planned}, which waits to be given: "
        "the to-give list (Waiting, `waiting`) would not show it." in err
    )
    code, out, err = cli("reindex")
    assert code == 0 and f"fixed: the giving index does not list consult {planned}" in out, err
    assert cli("audit", "verify")[0] == 0
    assert [s.consult_id for s in cli.repository().to_give_page(None, None)] == [planned]


def test_a_ghost_on_the_to_give_list_is_named(tmp_path: Path, make_record: MakeRecord) -> None:
    store = TinyDBStore(tmp_path / "data", durable=False)
    register(store, make_record)
    _edit(store.layout.to_sign_file, lambda t: t["to_give"].update({"9": {**t["to_give"]["1"], "consult_id": "x1"}}))
    from assistant.core.lifecycle.index_check import mismatches
    from assistant.core.lifecycle.indexes import expected_entries, kept_names

    actual = store.index_entries()
    wanted = expected_entries(store.latest_records(), [], kept_names(actual), store.registered_patients())
    assert mismatches(wanted, actual) == [
        "the giving index lists consult x1 as waiting to be given, which no record states."
    ]


def test_a_folder_kept_before_the_to_give_list_and_the_dates_of_birth_has_them_built_on_opening(
    tmp_path: Path, make_record: MakeRecord, caplog: pytest.LogCaptureFixture
) -> None:
    store = TinyDBStore(tmp_path / "data", durable=False)
    keys = register(store, make_record)  # three consults planned, nothing given
    waiting = {s.consult_id for s in store.to_give_page(None, None)}
    assert len(waiting) == 3
    _edit(store.layout.to_sign_file, lambda t: t.pop("to_give"))  # as a folder of the version before
    for path in sorted((store.layout.register / "births").iterdir(), reverse=True):
        path.unlink()
    (store.layout.register / "births").rmdir()
    with caplog.at_level(logging.INFO, logger="assistant"):
        opened = TinyDBStore(tmp_path / "data", durable=False)
    assert opened.built == [
        "the 'to give' list was built from the records (3 listed): the folder was kept before it",
        "the register's by-date-of-birth look-up was built from the records (3 listed): the folder was kept before it",
    ]
    assert any("'to give' list was built" in r.getMessage() and str(tmp_path) in r.getMessage() for r in caplog.records)
    assert {s.consult_id for s in opened.to_give_page(None, None)} == waiting  # Waiting is right at once
    assert [p.patient_key for p in opened.patients_born(BORN)] == sorted([keys["C-17"], keys["C-18"]])
    assert [p.clinic_number for p in chart.search(opened, "1985-07-09")] == ["C-19"]
    assert TinyDBStore(tmp_path / "data", durable=False).built == []  # built once
