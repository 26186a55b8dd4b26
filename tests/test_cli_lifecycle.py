"""The treatment record from the command line: staff, run, give, sign, amend, show, audit.

Real TinyDB folders, real argon2 hashes, PINs on standard input (``--pin-stdin``) as clinics' scripts give them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.locations import EXAMPLES_DIR
from assistant.records import TinyDBStore
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli, pin_calendar
from tests.staff_register import WITH_JUNIOR, StaffRegisters

FULL_FACE = str(EXAMPLES_DIR / "full_face.yaml")


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    """A record with a medical director, an injector and a junior."""
    return staff_registers.copy_into(cli, WITH_JUNIOR)


def run_consult(cli: Cli, answers: str = FULL_FACE, staff: str = JUNIOR, exit_code: int = 0) -> str:
    code, out, err = cli("run", answers, "--staff", staff, "--format", "json", "--pin-stdin", pins=(PINS[staff],))
    assert code == exit_code, err
    return json.loads(out)["consult_id"]


GIVEN_CHANGED = """\
lot: BX2311
expiry: 2027-05-31
lines:
  - {zone: glabella, units: 20, points: 5}
  - {zone: forehead, units: 10, points: 5, reason: low brows; less in the lateral forehead}
  - {zone: crows_feet, side: left, units: 10, points: 4}
  - {zone: crows_feet, side: right, units: 10, points: 4}
"""


def test_the_whole_lifecycle_junior_runs_injector_gives_a_changed_line_and_signs(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")
    code, out, err = clinic(
        "give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 0, err
    assert "50 U" in out and "version 3" in out  # version 2: the consent, recorded when give asked for it

    code, _, err = clinic("sign", consult_id, "--by", JUNIOR, "--pin-stdin", pins=(PINS[JUNIOR],))
    assert code == 5 and "junior and may not sign" in err

    code, out, err = clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    view = clinic.json("show", consult_id)
    assert (view["state"], view["version"]) == ("signed", 4)
    assert [v["change"].split(":")[0] for v in view["versions"]] == [
        "consult planned",
        "consent recorded",
        "given",
        "signed by Ina Choi",
    ]
    forehead = next(line for line in view["given"] if line["zone"] == "forehead")
    assert forehead["differs_from_plan"] and forehead["reason"].startswith("low brows")
    assert {line["lot"] for line in view["given"]} == {"BX2311"} and forehead["expiry"] == "2027-05-31"
    [signature] = view["signatures"]
    assert (signature["name"], signature["role"], signature["meaning"]) == (
        INJECTOR,
        "injector",
        "reviewed and approved the treatment given",
    )
    assert view["plan"]["total_units"] == 52 and view["amendments"] == []
    for key in ("consult_id", "state", "version", "versions", "plan", "given", "signatures", "amendments"):
        assert key in view

    # locked: anything but amend is refused with exit 5
    code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 5 and "already signed by Ina Choi at" in err
    code, _, err = clinic("sign", consult_id, "--by", DIRECTOR, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 5 and "already signed" in err

    rows = clinic.json("history", "Mina Park")
    assert [(r["consult_id"], r["state"], r["version"]) for r in rows] == [(consult_id, "signed", 4)]


def test_an_amendment_keeps_the_original_readable(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", DIRECTOR, "--reason", "forehead was 10 U, not 12", "--given", str(given),
        "--pin-stdin", pins=(PINS[DIRECTOR],),
    )  # fmt: skip
    assert code == 0, err
    view = clinic.json("show", consult_id)
    assert (view["state"], view["version"]) == ("signed", 5)
    [amendment] = view["amendments"]
    assert (amendment["version"], amendment["by"], amendment["reason"]) == (5, DIRECTOR, "forehead was 10 U, not 12")
    assert "forehead center: 12 U in 6 points -> 10 U in 5 points" in view["versions"][-1]["change"]
    original = clinic.json("show", consult_id, "--version", "4")
    assert original["version"] == 4 and original["amendments"] == []
    assert next(line for line in original["given"] if line["zone"] == "forehead")["units"] == 12
    code, out, _ = clinic("show", consult_id)
    assert "Amended on" in out and f"by {DIRECTOR}: forehead was 10 U, not 12" in out
    code, _, err = clinic("show", consult_id, "--version", "9")
    assert code == 2 and "versions 1 to 5" in err

    # an amendment of the answers plans again and says what changed
    answers = tmp_path / "answers.yaml"
    older = Path(FULL_FACE).read_text(encoding="utf-8").replace("1988-05-14", "1971-05-14")  # 38 -> 55
    answers.write_text(older, encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", "age typed wrong", "--answers", str(answers),
        "--pin-stdin", pins=(PINS[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    view = clinic.json("show", consult_id)
    assert view["version"] == 6 and "38 -> 55" in view["versions"][-1]["change"]
    assert view["plan"]["total_units"] > 52


def test_audit_verify_passes_then_names_an_edited_record_and_a_removed_entry(clinic: Cli) -> None:
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    code, out, err = clinic("audit", "verify")
    assert code == 0, err
    assert "8 entries" in out  # 3 staff added, patient registered, consult saved, consent recorded, given, signed
    entries = clinic.json("audit", consult_id)
    assert [e["action"] for e in entries] == ["consult saved", "consent recorded", "given", "signed"]
    assert all(e["record_sha"] and e["hash"] for e in entries)

    edit_a_record(clinic, consult_id)
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"consult {consult_id} version" in err and "changed outside the program" in err
    edit_a_record(clinic, consult_id, undo=True)
    assert clinic("audit", "verify")[0] == 0

    remove_audit_entry(clinic, 4)
    code, _, err = clinic("audit", "verify")
    assert code == 1 and "audit entry 4 is missing" in err


def test_audit_verify_names_a_consult_removed_outside_the_program(clinic: Cli) -> None:
    """A tryout deleted a given consult's file and ran ``reindex``: verify said every entry and version
    matched, while her 90 U were gone from her history, the recall and her 90-day count."""
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert clinic("audit", "verify")[0] == 0
    if clinic.kind == "tinydb":
        TinyDBStore(clinic.data).layout.consult_path(consult_id).unlink()
        assert clinic("reindex")[0] == 0  # the indexes then agree with the files left
    else:  # as the database's owner: the workstations' role may not delete a version (test_postgres_roles)
        for table in ("treatments", "consult_versions", "consults"):
            clinic.server.psql(f"DELETE FROM {table} WHERE consult_id = '{consult_id}'", clinic.database_name)  # type: ignore[union-attr]
    code, _, err = clinic("audit", "verify")
    said = " ".join(err.split())
    assert code == 1, said
    for version in (1, 2, 3):  # saved, consent recorded, given
        assert f"consult {consult_id} version {version} is in audit entry" in said
    assert "but not in the record: it was removed outside the program." in said


_ORIGINALS: dict[str, str] = {}


def edit_a_record(cli: Cli, consult_id: str, undo: bool = False) -> None:
    """What someone with access to the files (or to the database) might do: change a dose."""
    if cli.kind == "tinydb":
        before, after = ("25.0", "20.0") if undo else ("20.0", "25.0")
        path = TinyDBStore(cli.data).layout.consult_path(consult_id)
        path.write_bytes(path.read_bytes().replace(f'"units":{before}'.encode(), f'"units":{after}'.encode(), 1))
        return
    where = f"WHERE consult_id = '{consult_id}' AND version = 1"
    if undo:
        sql = f"UPDATE consult_versions SET record = $rec${_ORIGINALS[consult_id]}$rec$::jsonb {where}"
    else:
        _ORIGINALS[consult_id] = cli.server.psql(
            f"SELECT record::text FROM consult_versions {where}", cli.database_name
        ).strip()  # type: ignore[union-attr]
        sql = f"UPDATE consult_versions SET record = jsonb_set(record, '{{total_units}}', '99'::jsonb) {where}"
    cli.server.psql(sql, cli.database_name)  # type: ignore[union-attr]


def remove_audit_entry(cli: Cli, seq: int) -> None:
    if cli.kind == "tinydb":
        chunk = TinyDBStore(cli.data).layout.audit_chunk(1)
        data = json.loads(chunk.read_text(encoding="utf-8"))
        del data["entries"][str(seq)]
        chunk.write_text(json.dumps(data), encoding="utf-8")
        return
    database = cli.database_name
    with pytest.raises(RuntimeError, match="append-only"):
        cli.server.psql(f"DELETE FROM audit WHERE seq = {seq}", database)  # type: ignore[union-attr]
    cli.server.psql(  # type: ignore[union-attr]
        f"ALTER TABLE audit DISABLE TRIGGER audit_append_only; DELETE FROM audit WHERE seq = {seq}; "
        "ALTER TABLE audit ENABLE TRIGGER audit_append_only",
        database,
    )


def test_a_wrong_pin_is_refused_counted_and_audited_and_five_lock_the_account(clinic: Cli) -> None:
    consult_id = run_consult(clinic)
    for n in range(4):
        code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=("000000",))
        assert code == 5 and f"({4 - n} more wrong PIN" in err
    code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=("000000",))
    assert code == 5 and "locked for 5 minutes" in err
    code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 5 and "locked" in err
    actions = [e["action"] for e in clinic.json("audit")]
    assert actions.count("failed PIN") == 4 and actions.count("account locked") == 1
    assert PINS[INJECTOR] not in json.dumps(clinic.json("audit")) + json.dumps(clinic.json("staff", "list"))


def test_only_a_medical_director_adds_and_disables_accounts(clinic: Cli) -> None:
    code, _, err = clinic("staff", "add", "New Person", "--role", "junior", "--pin-stdin", pins=("999999",))
    assert code == 5 and "Only a medical director" in err
    code, _, err = clinic(
        "staff",
        "add",
        "New Person",
        "--role",
        "junior",
        "--by",
        INJECTOR,
        "--pin-stdin",
        pins=("999999", PINS[INJECTOR]),
    )
    assert code == 5 and "may not add or disable" in err
    code, _, err = clinic("staff", "disable", JUNIOR, "--by", DIRECTOR, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 0, err
    accounts = {a["name"]: a for a in clinic.json("staff", "list")}
    assert accounts[JUNIOR]["enabled"] is False and accounts[INJECTOR]["enabled"] is True
    assert "pin" not in json.dumps(accounts).lower().replace("pin-stdin", "")
    code, _, err = clinic("run", FULL_FACE, "--staff", JUNIOR)
    assert code == 5 and "disabled" in err
    code, _, err = clinic("run", FULL_FACE, "--staff", "Nobody Here")
    assert code == 5 and "no staff account named Nobody Here" in err
    code, _, err = clinic(
        "staff", "add", "Weak Pin", "--role", "junior", "--by", DIRECTOR, "--pin-stdin", pins=("12", PINS[DIRECTOR])
    )
    assert code == 2 and "at least 6" in err


def test_the_cumulative_maximum_counts_what_was_given_in_the_last_90_days(clinic: Cli, tmp_path: Path) -> None:
    pin_calendar(clinic.monkeypatch, date(2027, 3, 1))  # the consults below are dated up to 2027-02-22
    heavy = tmp_path / "heavy.yaml"
    text = Path(FULL_FACE).read_text(encoding="utf-8").split("\n# What a rehearsal")[0]
    heavy.write_text(text.replace("[glabella, forehead, crows_feet]", "[glabella, forehead, crows_feet, masseter]"))
    first = run_consult(clinic, str(heavy), INJECTOR)
    assert clinic("give", first, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    given = clinic.json("show", first)["plan"]["total_units"]
    # 26 days later the zones treated wait for their next full treatment (the record's timing), so
    # the consult asks for the other zones
    later = tmp_path / "later.yaml"
    other = "[bunny_lines, gummy_smile, marionette, chin]"
    later.write_text(
        heavy.read_text()
        .replace("today: 2026-11-24", "today: 2026-12-20")
        .replace("[glabella, forehead, crows_feet, masseter]", other),
        encoding="utf-8",
    )
    clinic_file = tmp_path / "clinic.toml"
    clinic_file.write_text('name = "Test"\nsession_max_units = 110\n', encoding="utf-8")
    code, out, err = clinic("run", str(later), "--staff", INJECTOR, "--clinic", str(clinic_file), "--format", "json")
    assert code == 4, err
    plan = json.loads(out)
    [reason] = plan["reasons"]
    assert reason["code"] == "cumulative_max"
    assert f"and {given:g} U were given in the last 90 days" in reason["message"]
    assert "110 U over 90 days" in reason["message"]
    assert plan["earlier_units"] == given and plan["earlier_window_days"] == 90
    # 90 days later the earlier doses are out of the window
    free = tmp_path / "free.yaml"
    free.write_text(heavy.read_text().replace("today: 2026-11-24", "today: 2027-02-22"), encoding="utf-8")
    code, out, err = clinic("run", str(free), "--staff", INJECTOR, "--clinic", str(clinic_file), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["earlier_units"] == 0


def test_require_cosign_asks_a_medical_director_for_a_juniors_consult(clinic: Cli, tmp_path: Path) -> None:
    clinic_file = tmp_path / "clinic.toml"
    clinic_file.write_text('name = "Test"\nrequire_cosign = true\n', encoding="utf-8")
    code, out, _ = clinic("run", FULL_FACE, "--staff", JUNIOR, "--clinic", str(clinic_file), "--format", "json")
    consult_id = json.loads(out)["consult_id"]
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    code, out, _ = clinic(
        "sign", consult_id, "--by", INJECTOR, "--clinic", str(clinic_file), "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 0 and "co-signature is still needed" in out
    assert [r.consult_id for r in clinic.repository().to_sign()] == [consult_id]
    code, out, _ = clinic(
        "sign", consult_id, "--by", DIRECTOR, "--clinic", str(clinic_file), "--pin-stdin", pins=(PINS[DIRECTOR],)
    )
    assert code == 0 and out.startswith("Co-signed by Dr Mina Seo")
    assert clinic.repository().to_sign() == []
    assert [s["kind"] for s in clinic.json("show", consult_id)["signatures"]] == ["signature", "cosignature"]


def test_nothing_to_give_for_a_contraindicated_consult(clinic: Cli) -> None:
    consult_id = run_consult(clinic, str(EXAMPLES_DIR / "contraindicated_pregnant.yaml"), exit_code=3)
    code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 2 and "nothing to give" in err


def test_a_given_file_with_problems_names_each_line(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED.replace(", reason: low brows; less in the lateral forehead", ""), encoding="utf-8")
    code, _, err = clinic(
        "give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 2
    assert "given.yaml:5:" in err and "add a reason" in err and "nothing was recorded" in err
    given.write_text("lines:\n  - {zone: glabella, units: lots, points: 5}\n", encoding="utf-8")
    code, _, err = clinic(
        "give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 2 and "given.yaml:2:" in err
    assert clinic.json("show", consult_id)["state"] == "planned"


def test_no_terminal_and_no_pin_stdin_is_a_sentence(clinic: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    consult_id = run_consult(clinic)
    code, _, err = clinic("give", consult_id, "--by", INJECTOR)
    assert code == 2 and "--pin-stdin" in err


def test_printing_and_exporting_are_in_the_audit_trail(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic)
    assert (
        clinic("print", consult_id, "--what", "summary", "--format", "html", "--output", str(tmp_path / "s.html"))[0]
        == 0
    )
    assert clinic("export", consult_id, "--fhir", "--output", str(tmp_path / "e.json"))[0] == 0
    entries = clinic.json("audit", consult_id)
    assert [e["action"] for e in entries] == ["consult saved", "printed", "exported"]
    assert entries[1]["detail"] == "s.html" and entries[2]["detail"] == "FHIR R4 Bundle"
    assert clinic("audit", "verify")[0] == 0


def test_run_without_a_terminal_names_whose_pin_it_wanted_and_where_the_name_came_from(clinic: Cli) -> None:
    """A tryout: once staff accounts exist, README's first example (``run`` without ``--staff``) took the
    name remembered from the consult UI and asked its PIN; with no terminal it said only to give the PIN
    on standard input, naming neither the account nor ``--staff``."""
    from assistant.files.user_config import UserConfig, save_user_config

    save_user_config(UserConfig(staff_name=INJECTOR))
    code, _, err = clinic("run", FULL_FACE)
    assert code == 2, err
    assert "There is no terminal to ask the PIN at" in err
    assert f"{INJECTOR} is the name remembered from the consult UI; --staff NAME says who ran it." in err
    code, _, err = clinic("run", FULL_FACE, "--staff", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
