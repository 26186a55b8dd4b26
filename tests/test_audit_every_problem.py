"""``audit verify`` names every problem it finds, not only the first (issue 20, section 2): two
independent edits are both named; after an edited entry the chain is taken up again, so the entries
after it are still checked and one edit is one sentence; a damaged file (or a row that does not read
back) is named alongside everything else found. On both stores, tampered as someone with file access
or the server's owner role would.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, chain
from assistant.core.lifecycle.audit_verify import verify
from assistant.records import TinyDBStore
from assistant.records.tinydb.atomic import dump
from tests.helpers import Cli
from tests.test_signed_acts import clinic, given_and_signed  # noqa: F401  (the fixture, with its staff)


def audit_file(cli: Cli):  # type: ignore[no-untyped-def]
    return cli.data / "audit" / "000000.json"


def change_entry(cli: Cli, seq: int, **changes: object) -> None:
    """An entry's fields changed where the trail is kept, its hash left as it was."""
    if cli.kind == "tinydb":
        tables = json.loads(audit_file(cli).read_text())
        tables["entries"][str(seq)].update(changes)
        audit_file(cli).write_bytes(dump(tables))
        return
    sets = ", ".join(f"{name} = '{value}'" for name, value in changes.items())
    owner_sql(cli, f"UPDATE audit SET {sets} WHERE seq = {seq}")


def remove_entry(cli: Cli, seq: int) -> None:
    if cli.kind == "tinydb":
        tables = json.loads(audit_file(cli).read_text())
        del tables["entries"][str(seq)]
        audit_file(cli).write_bytes(dump(tables))
        return
    owner_sql(cli, f"DELETE FROM audit WHERE seq = {seq}")


def owner_sql(cli: Cli, sql: str) -> None:
    """What the tables' owner can do on the server: take the append-only trigger off, change rows."""
    cli.server.psql(  # type: ignore[attr-defined]
        f"ALTER TABLE audit DISABLE TRIGGER USER; {sql}; ALTER TABLE audit ENABLE TRIGGER USER",
        database=cli.database_name,
    )


def seq_of(cli: Cli, action: str) -> int:
    return next(e["seq"] for e in cli.json("audit") if e["action"] == action)  # type: ignore[union-attr]


def verify_problems(cli: Cli) -> list[str]:
    code, _, err = cli("audit", "verify")
    assert code == 1, err
    return [line for line in err.splitlines() if line.startswith("botulax-consult: audit verify failed: ")]


def test_two_independent_edits_are_both_named(clinic: Cli) -> None:  # noqa: F811
    given_and_signed(clinic)
    given, signed = seq_of(clinic, "given"), seq_of(clinic, "signed")
    change_entry(clinic, given, detail="300 U")
    change_entry(clinic, signed, detail="by someone else")
    problems = verify_problems(clinic)
    assert any(f"audit entry {given} (given) was changed after it was written" in p for p in problems), problems
    assert any(f"audit entry {signed} (signed) was changed after it was written" in p for p in problems), problems
    assert len(problems) == 2, "each edit is one sentence: no cascade, no second sentence for its signature"


def change_record(cli: Cli, consult_id: str, version: int, **changes: object) -> None:
    """A record version changed where it is kept (the file, or the server's row as its owner)."""
    if cli.kind == "tinydb":
        path = TinyDBStore(cli.data).layout.consult_path(consult_id)
        tables = json.loads(path.read_text())
        tables["versions"][str(version)]["record"].update(changes)
        path.write_bytes(dump(tables))
        return
    patch = json.dumps(changes).replace("'", "''")
    cli.server.psql(  # type: ignore[attr-defined]
        f"UPDATE consult_versions SET record = record || '{patch}'::jsonb "
        f"WHERE consult_id = '{consult_id}' AND version = {version}",
        database=cli.database_name,
    )


def test_after_an_entry_edited_in_the_middle_the_entries_after_it_are_still_checked(clinic: Cli) -> None:  # noqa: F811
    consult_id = given_and_signed(clinic)
    saved, signed = seq_of(clinic, "consult saved"), seq_of(clinic, "signed")
    last_version = clinic.repository().get(consult_id).version
    change_entry(clinic, saved, actor="Someone Else")
    change_record(clinic, consult_id, last_version, patient_name="Someone Else")
    problems = verify_problems(clinic)
    text = "\n".join(problems)
    assert f"audit entry {saved} (consult saved) was changed after it was written" in text
    assert f"consult {consult_id} version {last_version} does not match audit entry {signed}" in text
    assert f"audit entry {saved + 1} does not follow" not in text, "the chain is taken up again after the edit"
    chain = [p for p in problems if " index " not in p]  # the changed name also leaves the name indexes behind
    assert len(chain) == 2, problems


def test_a_damaged_file_is_named_alongside_another_problem(clinic: Cli) -> None:  # noqa: F811
    consult_id = given_and_signed(clinic)
    given = seq_of(clinic, "given")
    change_entry(clinic, given, detail="300 U")
    if clinic.kind == "tinydb":
        path = TinyDBStore(clinic.data).layout.consult_path(consult_id)
        path.write_text("{ not json", encoding="utf-8")
        damaged = f"The data file {path} is damaged"
    else:
        clinic.server.psql(  # type: ignore[attr-defined]
            f"UPDATE consult_versions SET record = '{{\"consult_id\": 1}}' WHERE consult_id = '{consult_id}'"
            " AND version = 1",
            database=clinic.database_name,
        )
        damaged = f"consult {consult_id} version 1 on the record server is damaged"
    problems = verify_problems(clinic)
    text = "\n".join(problems)
    assert damaged in text, problems
    assert f"audit entry {given} (given) was changed after it was written" in text, "checking goes on"


def test_the_core_names_every_problem_each_once() -> None:
    at = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    entries: list[AuditEntry] = []
    for n in range(1, 9):
        entries.append(chain(entries[-1] if entries else None, AuditEvent(at=at, actor="Ina Choi", action=f"act {n}")))
    head = (entries[-1].seq, entries[-1].hash)
    versions = [("C1", 1, "x")]
    tampered = [*entries[:2], entries[2].model_copy(update={"actor": "X"}), *entries[3:5], *entries[7:]]
    verdict = verify(tampered, versions, head)
    assert verdict.problems == [
        "audit entry 3 (act 3) was changed after it was written.",
        "audit entries 6 to 7 are missing (the next entry is 8).",
        "consult C1 version 1 has no audit entry.",
    ]
    assert [f.seq for f in verdict.findings] == [3, 6, None]
    cut = verify(entries[:5], [], head)
    assert cut.problems == ["the audit trail ends at entry 5 but entry 8 was written: entries are missing."]


def test_a_damaged_head_and_staff_file_are_named_and_the_trail_still_checked(clinic: Cli) -> None:  # noqa: F811
    if clinic.kind != "tinydb":
        pytest.skip("the server keeps neither in a file; its damaged rows are in the test above")
    given_and_signed(clinic)
    signed = seq_of(clinic, "signed")
    change_entry(clinic, signed, detail="by someone else")
    layout = TinyDBStore(clinic.data).layout
    layout.audit_head.write_text("[]", encoding="utf-8")
    layout.staff_file.write_text("", encoding="utf-8")
    text = "\n".join(verify_problems(clinic))
    assert f"The data file {layout.audit_head} is damaged" in text
    assert f"The data file {layout.staff_file} is damaged" in text
    assert f"audit entry {signed} (signed) was changed after it was written" in text


def test_a_damaged_audit_file_is_named_and_the_entries_in_the_next_one_still_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.services import audit_trail

    store = TinyDBStore(tmp_path / "data")
    at = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    for n in range(300):
        store.record_event(AuditEvent(at=at, actor="Ina Choi", action="printed", detail=f"copy {n}"))
    first, second = tmp_path / "data" / "audit" / "000000.json", tmp_path / "data" / "audit" / "000001.json"
    first.write_text('{"entries": ', encoding="utf-8")
    tables = json.loads(second.read_text())
    tables["entries"]["290"]["detail"] = "copy 1000"
    second.write_bytes(dump(tables))
    damaged, *rest = audit_trail.check(store).problems
    assert damaged.startswith(f"The data file {first} is damaged (not valid JSON")
    assert rest == [
        "audit entries 1 to 256 are missing (the next entry is 257).",
        "audit entry 290 (printed) was changed after it was written.",
    ]
