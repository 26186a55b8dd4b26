"""Derived indexes (issue 20, section 2): ``audit verify`` checks every index against the records it
derives from and names each mismatch; ``reindex`` rebuilds them from the records, an audit event.

The reproduction: an index edited by somebody with access to the files or the database, so that
recall forgets a patient, ``due`` lists a ghost and the to-sign list is empty, while every record and
the audit trail are intact. Each edit is made on each store as such a person would make it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.core.lifecycle.index_check import mismatches
from assistant.core.lifecycle.indexes import IndexEntry, vial_entry
from assistant.records import ConsultRepository, TinyDBStore
from tests.conftest import MakeRecord
from tests.helpers import INJECTOR, PINS, Cli, keep
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters
from tests.test_cli_lifecycle import FULL_FACE, GIVEN_CHANGED

DUE_DAY = "2026-12-08"
"""The review day (day 14) of a consult of 2026-11-24, the date of the example answers."""


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    """A record with a medical director and an injector, one consult given from lot BX2311 and
    waiting for a signature, one consult planned only, one open vial and one closed: written once per
    worker and store through the command line (``_write_clinic``, nine PINs checked at the product's
    argon2 cost, 8-11 s a test), and copied into each test, which changes it."""
    made = staff_registers.copy_made(cli, DIRECTOR_AND_INJECTOR, "indexes", _write_clinic)
    cli.given_id, cli.planned_id, cli.closed_vial = made["given"], made["planned"], made["closed"]  # type: ignore[attr-defined]
    return cli


def _write_clinic(cli: Cli) -> dict[str, str]:
    ids = []
    for _ in range(2):
        code, out, err = cli("run", FULL_FACE, "--staff", INJECTOR, "--format", "json")
        assert code == 0, err
        ids.append(json.loads(out)["consult_id"])
    given = cli.data.parent / f"{cli.data.name}-given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")
    code, _, err = cli("give", ids[0], "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    pins = (PINS[INJECTOR],)
    for lot in ("VL77", "VL88"):
        code, _, err = cli(
            "vial", "open", "--lot", lot, "--expiry", "2027-05-31", "--by", INJECTOR, "--pin-stdin", pins=pins
        )
        assert code == 0, err
    (closed,) = [v.vial_id for v in cli.repository().vials() if v.lot == "VL88"]
    assert cli("vial", "close", closed, "--by", INJECTOR, "--pin-stdin", pins=pins)[0] == 0
    return {"given": ids[0], "planned": ids[1], "closed": closed}


def _sql(clinic: Cli, statement: str) -> None:
    clinic.server.psql(statement, database=clinic.database_name)  # type: ignore[attr-defined]


def _edit(path: Path, change: Callable[[dict], None]) -> None:
    tables = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    change(tables)
    path.write_text(json.dumps(tables), encoding="utf-8")


def _one(folder: Path) -> Path:
    (found,) = [p for p in folder.rglob("*.json") if not p.name.startswith(".")]
    return found


def break_indexes(clinic: Cli) -> tuple[str, str, str]:
    """Every index edited as a person with file or database access would: the given consult taken
    off its lot, its patient's history, the name word 'park' and the to-sign list; the planned
    consult added to the treatments as a ghost; the open vial taken off the open ones."""
    given, planned = clinic.given_id, clinic.planned_id  # type: ignore[attr-defined]
    record = clinic.repository().get(given)
    key, vial = record.patient_key, clinic.repository().vials(open_only=True)[0].vial_id
    if clinic.kind == "tinydb":
        layout = TinyDBStore(clinic.data).layout
        _edit(_one(layout.lots), lambda t: t["given"].clear())

        def ghost(tables: dict) -> None:
            tables["treatments"]["2"] = {**tables["treatments"]["1"], "consult_id": planned}

        _edit(_one(layout.treatments), ghost)
        _edit(layout.to_sign_file, lambda t: t["waiting"].clear())
        _edit(layout.open_vials_file, lambda t: t["open"].clear())
        _edit(
            layout.patient_path(key),
            lambda t: t["consults"].pop(next(k for k, d in t["consults"].items() if d["consult_id"] == given)),
        )
        _edit(layout.name_path("park", key), lambda t: t["patients"].clear())
        _edit(_one(clinic.data / "register" / "numbers"), lambda t: t["numbers"].clear())
    else:
        _sql(clinic, f"DELETE FROM treatment_lots WHERE consult_id = '{given}'")
        _sql(
            clinic,
            f"INSERT INTO treatments SELECT '{planned}', patient_key, patient_name, patient_id, date, "
            f"'full', ARRAY['glabella'], 20, 'Ina Choi', '{{}}'::jsonb FROM consults WHERE consult_id = '{planned}'",
        )
        _sql(clinic, "UPDATE consults SET to_sign = false")
        _sql(clinic, f"UPDATE consults SET patient_key = 'pt:nobody' WHERE consult_id = '{given}'")
        _sql(clinic, f"DELETE FROM name_prefixes WHERE patient_key = '{key}' AND prefix LIKE 'p%'")
        _sql(clinic, "UPDATE vials SET state = 'closed'")
        _sql(clinic, "UPDATE register SET folded_number = NULL")
    return given, planned, vial


def add_ghosts(clinic: Cli) -> None:
    """Entries no record states: the planned consult on the to-sign list and under lot BX2311, the
    closed vial among the open ones, a patient nobody registered under the name word 'park'."""
    planned, closed = clinic.planned_id, clinic.closed_vial  # type: ignore[attr-defined]
    if clinic.kind == "tinydb":
        layout = TinyDBStore(clinic.data).layout
        summary = clinic.repository().history("Mina Park")
        (waiting,) = [s.model_dump(mode="json") for s in summary if s.consult_id == planned]
        _edit(layout.to_sign_file, lambda t: t["waiting"].update({"9": waiting}))
        _edit(_one(layout.lots), lambda t: t["given"].update({"9": {**t["given"]["1"], "consult_id": planned}}))
        _edit(layout.open_vials_file, lambda t: t["open"].update({"9": {"vial_id": closed}}))
        entry = {"format": 1, "patient_key": "pt:ghost", "patient_name": "Ghost Park", "patient_id": None}
        _edit(
            layout.name_path("park", "pt:ghost"),
            lambda t: t.setdefault("patients", {}).update({"9": {**entry, "words": "ghost park"}}),
        )
    else:
        _sql(clinic, f"UPDATE consults SET to_sign = true WHERE consult_id = '{planned}'")
        _sql(clinic, f"INSERT INTO treatments SELECT '{planned}', patient_key, patient_name, patient_id, date, kind, "
                     f"zones, units, given_by, lots FROM treatments")  # fmt: skip
        _sql(clinic, f"INSERT INTO treatment_lots SELECT lot_key, '{planned}', units, date FROM treatment_lots")
        _sql(clinic, f"UPDATE vials SET state = 'open' WHERE vial_id = '{closed}'")
        _sql(
            clinic,
            "INSERT INTO patients (patient_key, patient_name, words) VALUES ('pt:ghost', 'Ghost Park', 'ghost park')",
        )
        _sql(clinic, "INSERT INTO name_prefixes SELECT 'pt:ghost', p, 'ghost park', '', 'Ghost Park', NULL "
                     "FROM unnest(ARRAY['p', 'pa', 'par', 'park']) AS p")  # fmt: skip


def test_ghost_entries_are_named_and_reindex_takes_them_away(clinic: Cli) -> None:
    add_ghosts(clinic)
    planned, closed = clinic.planned_id, clinic.closed_vial  # type: ignore[attr-defined]
    repository = clinic.repository()
    assert planned in {s.consult_id for s in repository.to_sign()}
    assert planned in {r.consult_id for r in repository.recall("BX2311")}
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"the signing index lists consult {planned} as waiting for a signature, which no record states." in err
    assert f"the lots index lists consult {planned} under lot bx2311, which no record states." in err
    assert "the names index lists patient pt:ghost under the name word 'park', which no record states." in err
    assert f"the vials index lists vial {closed} as open, which no record states." in err
    code, out, err = clinic("reindex")
    assert code == 0, err
    assert f"fixed: the vials index lists vial {closed} as open" in out
    assert clinic("audit", "verify")[0] == 0
    repository = clinic.repository()
    assert [s.consult_id for s in repository.to_sign()] == [clinic.given_id]  # type: ignore[attr-defined]
    assert [r.consult_id for r in repository.recall("BX2311")] == [clinic.given_id]  # type: ignore[attr-defined]
    assert [p.patient_key for p in repository.find_patients("park")] == [repository.get(planned).patient_key]
    assert closed not in {v.vial_id for v in repository.vials(open_only=True)}


def test_an_untouched_record_passes_verify(clinic: Cli) -> None:
    code, out, err = clinic("audit", "verify")
    assert code == 0, err
    assert "every one and every record version match" in out


def test_every_edited_index_is_named_by_verify_and_reindex_puts_it_right(clinic: Cli) -> None:
    given, planned, vial = break_indexes(clinic)
    repository = clinic.repository()
    key = repository.get(given).patient_key
    assert repository.recall("BX2311") == []  # recall forgets her
    assert planned in {e["consult_id"] for e in clinic.json("due", "--on", DUE_DAY, "--days", "1")}  # a ghost
    assert repository.to_sign() == []  # the to-sign list is empty
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"the lots index misses consult {given} under lot bx2311: recall would forget her." in err
    assert f"the treatments index lists consult {planned} as treated on 2026-11-24, which no record states." in err
    assert f"the signing index does not list consult {given}, which waits for a signature" in err
    assert f"the vials index misses vial {vial} as open: it would not be offered to draw from." in err
    assert f"the patients index misses consult {given} under patient" in err
    assert "under the name word 'park': a search for that name would not find her." in err
    assert f"the register index misses patient {key} under the clinic number 'p-1042': a consult naming her" in err
    assert repository.register_candidates("Somebody Else", "P-1042") == []

    code, out, err = clinic("reindex", "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    assert f"fixed: the lots index misses consult {given} under lot bx2311" in out
    assert "mismatches fixed." in out
    code, _, err = clinic("audit", "verify")
    assert code == 0, err
    repository = clinic.repository()
    assert [row.consult_id for row in repository.recall("BX2311")] == [given]
    assert [e["consult_id"] for e in clinic.json("due", "--on", DUE_DAY, "--days", "1")] == [given]
    assert [s.consult_id for s in repository.to_sign()] == [given]
    assert [v.vial_id for v in repository.vials(open_only=True)] == [vial]
    assert {s.consult_id for s in repository.history("Mina Park")} == {given, planned}
    assert [p.patient_name for p in repository.find_patients("park")] == ["Mina Park"]
    assert [p.patient_key for p in repository.register_candidates("Somebody Else", "P-1042")] == [key]
    last = clinic.json("audit")[-1]
    assert (last["action"], last["actor"]) == ("reindexed", INJECTOR) and last["signature"]
    assert " mismatches fixed: " in last["detail"] and f"misses consult {given} under lot bx2311" in last["detail"]


def test_reindex_of_matching_indexes_changes_nothing_and_is_recorded(clinic: Cli) -> None:
    before = clinic.repository().recall("BX2311")
    code, out, err = clinic("reindex")
    assert code == 0, err
    assert "already matched the records" in out
    last = clinic.json("audit")[-1]
    assert (last["action"], last["actor"], last["signature"]) == ("reindexed", None, None)
    assert last["detail"] == "every index already matched its records"
    assert clinic.repository().recall("BX2311") == before
    assert clinic("audit", "verify")[0] == 0


def test_reindex_by_a_person_needs_their_pin(clinic: Cli) -> None:
    code, _, err = clinic("reindex", "--by", INJECTOR, "--pin-stdin", pins=("000000",))
    assert code == 5 and "PIN" in err
    assert clinic.json("audit")[-1]["action"] != "reindexed"


def test_a_ghost_and_a_missing_entry_are_named_with_what_goes_wrong() -> None:
    held = IndexEntry(index="lots", key="bx2311", item="C-7", value="a")
    ghost = IndexEntry(index="lots", key="bx2311", item="C-12", value="b")
    changed = IndexEntry(index="lots", key="abc", item="C-9", value="new")
    found = mismatches([held, changed], [ghost, changed.model_copy(update={"value": "old"})])
    assert found == [
        "the lots index holds consult C-9 under lot abc other than its record states.",
        "the lots index lists consult C-12 under lot bx2311, which no record states.",
        "the lots index misses consult C-7 under lot bx2311: recall would forget her.",
    ]
    assert mismatches([vial_entry("V-1")], [vial_entry("V-1")]) == []


@pytest.mark.parametrize("cli", ["tinydb"], indirect=True)
def test_an_index_file_that_cannot_be_read_is_named_and_written_again(clinic: Cli) -> None:
    lot = _one(TinyDBStore(clinic.data).layout.lots)
    lot.write_text("not JSON", encoding="utf-8")
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"the lots index's {lot.relative_to(clinic.data)} cannot be read (not valid JSON" in err
    assert clinic("reindex")[0] == 0
    assert clinic("audit", "verify")[0] == 0
    assert [r.consult_id for r in clinic.repository().recall("BX2311")] == [clinic.given_id]  # type: ignore[attr-defined]


def test_reindex_waits_for_a_save_holding_its_patients_folder(tmp_path: Path) -> None:
    """A save holds its patient's folder from its first write to its audit entry: a rebuild started
    meanwhile waits for it (here, past the lock's timeout) and writes nothing."""
    from assistant.core.lifecycle.audit import AuditEvent
    from assistant.records.errors import StoreBusy
    from assistant.records.tinydb.atomic import locked

    store = TinyDBStore(tmp_path / "data", lock_timeout=0.2)
    event = AuditEvent(at=datetime(2026, 12, 5, 6, 0, tzinfo=UTC), action="reindexed")
    with locked(store.layout.patients / "5a", 5), pytest.raises(StoreBusy):
        store.rebuild_indexes(lambda fixed: event)
    assert store.audit_head() is None
    assert store.rebuild_indexes(lambda fixed: event) == []
    assert store.audit_head() is not None


@pytest.mark.parametrize("repository", ["postgres"], indirect=True)
def test_reindex_on_the_server_waits_for_a_save_under_way(
    repository: ConsultRepository, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save changes its consult's row in its transaction: a rebuild locks ``consults`` first, so it
    waits for that save to end (here, past the session's lock timeout) and writes nothing."""
    from sqlalchemy import text

    from assistant.core.lifecycle.audit import AuditEvent
    from assistant.records.errors import RecordsError
    from assistant.records.postgres.store import PostgresStore

    record = keep(repository, make_record("Kim Ji-woo"))
    event = AuditEvent(at=datetime(2026, 12, 5, 6, 0, tzinfo=UTC), action="reindexed")
    save_under_way = repository.engine.connect()  # type: ignore[attr-defined]
    transaction = save_under_way.begin()
    save_under_way.execute(text("UPDATE consults SET staff = staff WHERE consult_id = :c"), {"c": record.consult_id})
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=300")
    waiting = PostgresStore(repository.address)  # type: ignore[attr-defined]
    try:
        with pytest.raises(RecordsError, match="lock"):
            waiting.rebuild_indexes(lambda fixed: event)
    finally:
        transaction.rollback()
        save_under_way.close()
        waiting.close()
    assert [e.action for e in repository.audit_entries()] == ["consult saved"]
    assert repository.rebuild_indexes(lambda fixed: event) == []


def test_a_changed_entry_names_the_fields_changed() -> None:
    """A tryout set a consult's units in the server's index by hand: verify said only that the patients
    index held the consult "other than its record states", nothing of units, the patient unchanged."""
    stated = IndexEntry(index="patients", key="pt:1", item="C-1", value='{"given_units":40,"name":"Mina Park"}')
    held = stated.model_copy(update={"value": '{"given_units":80,"name":"Mina Park\\u001b[2J"}'})
    [sentence] = mismatches([stated], [held])
    assert sentence.startswith("the patients index holds consult C-1 under patient pt:1 other than its record states: ")
    assert "given_units 80 where the record says 40" in sentence
    assert "\x1b" not in sentence and "\\u001b" in sentence, "whatever was written shown, not acted on"
