"""``db import DIR`` is a medical director's act, of a folder whose own trail verifies (issue 20,
section 3): a forged folder (a record changed, the chain recomputed) is refused and the server stays
as it was, its ``audit verify`` passing; a non-director is refused (exit 5); a folder accepted
unverified needs a reason, which the director's signed act keeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.lifecycle.audit import record_sha
from assistant.records import TinyDBStore
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.records.tinydb.atomic import dump, read_tables, write_atomic
from assistant.records.tinydb.converters import versions_in, versions_tables
from assistant.services import audit_trail
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters
from tests.test_cli_lifecycle import run_consult
from tests.test_signed_acts import rewrite_trail


@pytest.fixture
def cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, staff_registers: StaffRegisters
) -> Cli:
    """A workstation's TinyDB folder with a medical director and an injector."""
    return staff_registers.copy_into(Cli(tmp_path / "data", capsys, monkeypatch), DIRECTOR_AND_INJECTOR)


def db_import(cli: Cli, url: str, *args: str, by: str = DIRECTOR, pin: str | None = None) -> tuple[int, str, str]:
    return cli(
        "db", "import", str(cli.data), "--by", by, "--pin-stdin", *args, "--database", url, pins=(pin or PINS[by],)
    )


def forge(cli: Cli, consult_id: str) -> None:
    """What somebody with the folder can do: change a kept record and recompute its entry and the chain."""
    path = TinyDBStore(cli.data).layout.consult_path(consult_id)
    versions = versions_in(read_tables(path), path)
    versions[0] = versions[0].model_copy(update={"staff": DIRECTOR, "staff_role": "medical_director"})
    write_atomic(path, dump(versions_tables(versions)))
    forged = record_sha(versions[0])

    def new_content(event):  # type: ignore[no-untyped-def]
        if event.consult_id == consult_id and event.version == 1 and event.record_sha:
            return event.model_copy(update={"record_sha": forged})
        return event

    rewrite_trail(cli.data, new_content)


def server_of(url: str) -> PostgresStore:
    return PostgresStore(parse_database_url(url))


def test_a_forged_folder_is_refused_and_the_server_still_verifies(cli: Cli, postgres_url: str) -> None:
    consult_id = run_consult(cli, staff=INJECTOR)
    forge(cli, consult_id)
    assert audit_trail.check(TinyDBStore(cli.data)).problems, "the forgery is caught by the folder's own verify"
    code, out, err = db_import(cli, postgres_url)
    assert code == 1
    assert "db import refused: audit entry" in err and "is not signed by" in err
    assert "--accept-unverified --reason" in err and "Imported" not in out
    server = server_of(postgres_url)
    assert server.get(consult_id) is None and server.staff() == [] and list(server.audit_entries()) == []
    assert audit_trail.check(server).ok
    server.close()


def test_a_folder_accepted_unverified_needs_a_reason_and_is_kept_as_the_directors_act(
    cli: Cli, postgres_url: str
) -> None:
    consult_id = run_consult(cli, staff=INJECTOR)
    forge(cli, consult_id)
    code, _, err = db_import(cli, postgres_url, "--accept-unverified")
    assert code == 2 and "needs its reason (--reason TEXT)" in err
    code, _, err = db_import(cli, postgres_url, "--accept-unverified", "--reason", "x" * 501)
    assert code == 2 and "500" in err
    code, out, err = db_import(cli, postgres_url, "--accept-unverified", "--reason", "the laptop was repaired")
    assert code == 0 and "Imported" in out, err
    server = server_of(postgres_url)
    act = list(server.audit_entries())[-1]
    assert act.action == "imported" and act.actor == DIRECTOR and act.signature
    assert "accepted unverified by Dr Mina Seo: the laptop was repaired" in (act.detail or "")
    assert "is not signed by" in (act.detail or ""), "the folder's problems are kept with it"
    assert audit_trail.check(server).ok, "the director's act verifies against the imported key"
    server.close()


def test_only_a_medical_director_imports(cli: Cli, postgres_url: str) -> None:
    run_consult(cli, staff=INJECTOR)
    code, _, err = db_import(cli, postgres_url, by=INJECTOR)
    assert code == 5 and "may not import a data folder" in err
    code, _, err = db_import(cli, postgres_url, pin="999999")
    assert code == 5 and "Wrong PIN" in err
    server = server_of(postgres_url)
    assert server.staff() == [] and list(server.audit_entries()) == []
    server.close()
    code, out, err = db_import(cli, postgres_url)
    assert code == 0 and "1 consults" in out, err
    server = server_of(postgres_url)
    act = list(server.audit_entries())[-1]
    assert act.actor == DIRECTOR and "signatures verified" in (act.detail or "")
    assert audit_trail.check(server).ok
    server.close()
    # the server now has accounts: the director is checked there, an injector refused there
    code, _, err = db_import(cli, postgres_url, by=INJECTOR)
    assert code == 5 and "may not import a data folder" in err
    assert db_import(cli, postgres_url)[0] == 0
