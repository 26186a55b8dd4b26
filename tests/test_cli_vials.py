"""Vials, recall, due and the usage report from the command line, as clinics' scripts call them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest

from assistant.locations import EXAMPLES_DIR
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters
from tests.test_cli_lifecycle import INJECTOR, PINS, Cli, run_consult

FULL_FACE = Path(EXAMPLES_DIR / "full_face.yaml")


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


def open_vial(cli: Cli, lot: str, *extra: str) -> tuple[int, str, str]:
    return cli("vial", "open", "--lot", lot, "--expiry", "2027-05-31", "--by", INJECTOR, "--pin-stdin", *extra,
               pins=(PINS[INJECTOR],))  # fmt: skip


def consult_on(cli: Cli, tmp_path: Path, name: str, day: str, patient_id: str, zones: str = "") -> str:
    text = FULL_FACE.read_text(encoding="utf-8").split("\n# What a rehearsal")[0]
    text = text.replace("Mina Park", name).replace("P-1042", patient_id).replace("2026-11-24", day)
    if zones:
        text = text.replace("[glabella, forehead, crows_feet]", zones)
    path = tmp_path / f"{patient_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return run_consult(cli, str(path), INJECTOR)


def test_vial_open_list_give_and_close(clinic: Cli, tmp_path: Path) -> None:
    at = (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    code, out, err = open_vial(clinic, "BX2311", "--at", at)
    assert code == 0, err
    [vial] = clinic.json("vial", "list", "--open")
    for key in ("vial_id", "lot", "expiry", "units", "units_left", "saline_ml", "opened_at", "use_by", "state"):
        assert key in vial
    assert (vial["lot"], vial["units"], vial["units_left"], vial["saline_ml"], vial["state"]) == (
        "BX2311", 100, 100, 2.5, "open",
    )  # fmt: skip
    opened = dt.datetime.fromisoformat(vial["opened_at"])
    assert dt.datetime.fromisoformat(vial["use_by"]) - opened == dt.timedelta(hours=24)

    consult = consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1")
    code, out, err = clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    assert f"(52 U, from vial {vial['vial_id'][-8:]} (lot BX2311))" in out, "which vial the default took, said"
    given = clinic.json("show", consult)["given"]
    assert {line["vial_id"] for line in given} == {vial["vial_id"]} and {line["lot"] for line in given} == {"BX2311"}
    assert clinic.json("vial", "list")[0]["units_left"] == 48

    code, out, err = clinic("vial", "close", vial["vial_id"], "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0 and "48 U wasted" in out
    assert clinic.json("vial", "list", "--open") == []
    assert clinic.json("vial", "list")[0]["state"] == "closed"

    code, out, _ = clinic("report", "usage", "--from", "2026-01-01", "--to", "2030-12-31", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["lot"], row["vials_opened"], row["units_given"], row["units_wasted"]) == ("BX2311", "1", "52", "48")
    actions = [e["action"] for e in clinic.json("audit")]
    assert "vial opened" in actions and "vial closed" in actions


def test_vial_refusals_are_sentences_with_exit_2(clinic: Cli, tmp_path: Path) -> None:
    code, _, err = clinic("vial", "open", "--lot", "OLD", "--expiry", "2020-01-01", "--by", INJECTOR, "--pin-stdin",
                          pins=(PINS[INJECTOR],))  # fmt: skip
    assert code == 2 and "expired on 2020-01-01" in err
    old = (dt.datetime.now() - dt.timedelta(hours=25)).strftime("%Y-%m-%dT%H:%M")
    assert open_vial(clinic, "STALE", "--at", old)[0] == 0
    [stale] = clinic.json("vial", "list", "--open")
    assert "past its use-by" in stale["warning"]
    consult = consult_on(clinic, tmp_path, "Kim Ji-woo", dt.date.today().isoformat(), "P-2")
    code, _, err = clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 2 and "past its use-by" in err
    assert open_vial(clinic, "SMALL", "--units", "50")[0] == 0
    small = next(v for v in clinic.json("vial", "list", "--open") if v["lot"] == "SMALL")
    code, _, err = clinic(
        "give", consult, "--by", INJECTOR, "--vial", small["vial_id"], "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 2 and "52 U are to be given but the vial drawn from holds 50 U" in err and "nothing was drawn" in err
    assert clinic.json("show", consult)["state"] == "planned"
    code, _, err = open_vial(clinic, "ODD", "--units", "70")
    assert code == 2 and "50 or 100 U" in err


def test_a_consult_naming_a_lot_no_open_vial_has_is_not_drawn_from_the_one_open_vial(
    clinic: Cli, tmp_path: Path
) -> None:
    """The consult names lot BX2311 (typed at the lot question), the one open vial is of lot ZZ9: the
    default drew the doses from it, so they were traced to a lot the consult does not name and nobody
    chose. Refused in words, nothing drawn; --vial names the vial, --no-vial keeps the consult's lot."""
    assert open_vial(clinic, "ZZ9")[0] == 0
    [vial] = clinic.json("vial", "list", "--open")
    text = FULL_FACE.read_text(encoding="utf-8").split("\n# What a rehearsal")[0].replace("P-1042", "P-7")
    text = text.replace("2026-11-24", dt.date.today().isoformat())
    path = tmp_path / "with-lot.yaml"
    path.write_text(text + "\nlot_number: BX2311\nlot_expiry: 2027-05-31\n", encoding="utf-8")
    consult = run_consult(clinic, str(path), INJECTOR)
    shown = clinic.json("show", consult)
    assert "BX2311" in str(shown), sorted(shown)

    code, _, err = clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 2, err
    assert f"The consult names lot BX2311, and the one open vial is {vial['vial_id']} (lot ZZ9, 100 U left)" in err
    assert "--vial" in err and "--no-vial to record lot BX2311" in err
    assert clinic.json("show", consult)["state"] == "planned" and clinic.json("vial", "list")[0]["units_left"] == 100

    with pytest.raises(SystemExit) as usage:  # argparse's own refusal, exit 2
        clinic("give", consult, "--by", INJECTOR, "--vial", vial["vial_id"], "--no-vial")
    assert usage.value.code == 2

    code, out, err = clinic("give", consult, "--by", INJECTOR, "--no-vial", "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    assert "lot BX2311, no vial of the ledger)" in out
    given = clinic.json("show", consult)["given"]
    assert {line["lot"] for line in given} == {"BX2311"} and {line["vial_id"] for line in given} == {None}
    assert clinic.json("vial", "list")[0]["units_left"] == 100, "no vial of the ledger was drawn from"
    assert "without a lot" not in err

    no_lot = consult_on(clinic, tmp_path, "Lee Bora", dt.date.today().isoformat(), "P-8")  # no lot named
    code, _, err = clinic("give", no_lot, "--by", INJECTOR, "--no-vial", "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    assert "warning: 52 U were recorded without a lot (none was named, no vial drawn from)" in err


def test_recall_json_and_csv_and_an_unknown_lot(clinic: Cli, tmp_path: Path) -> None:
    today = dt.date.today()
    for lot, people in (("L-1", ["Kim A", "Kim B"]), ("L-2", ["Lee C"])):
        assert open_vial(clinic, lot)[0] == 0
        vial_id = next(v["vial_id"] for v in clinic.json("vial", "list", "--open") if v["lot"] == lot)
        for n, name in enumerate(people):
            day = (today - dt.timedelta(days=n)).isoformat()
            consult = consult_on(clinic, tmp_path, name, day, f"{lot}-{n}", "[glabella]")
            args = ("give", consult, "--by", INJECTOR, "--vial", vial_id, "--pin-stdin")
            assert clinic(*args, pins=(PINS[INJECTOR],))[0] == 0
    rows = clinic.json("recall", "L-1")
    assert [r["patient_name"] for r in rows] == ["Kim A", "Kim B"]  # newest first
    for key in ("patient_name", "patient_id", "consult_id", "date", "zones", "units", "given_by"):
        assert key in rows[0]
    assert rows[0]["units"] == 20 and rows[0]["given_by"] == INJECTOR
    code, out, _ = clinic("recall", "L-2", "--format", "csv")
    assert [r["patient_name"] for r in csv.DictReader(io.StringIO(out))] == ["Lee C"]
    code, out, _ = clinic("recall", "NOPE")
    assert code == 0 and "No patient received lot NOPE" in out
    assert clinic.json("recall", "NOPE") == []


def test_due_json_and_an_ics_calendar_that_icalendar_reads(clinic: Cli, tmp_path: Path) -> None:
    consult = consult_on(clinic, tmp_path, "Mina Park", "2026-09-01", "P-9")
    assert clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    entries = clinic.json("due", "--on", "2026-09-12", "--days", "8")
    assert [(e["reason"], e["date"]) for e in entries] == [("review", "2026-09-15"), ("touch_up", "2026-09-19")]
    for key in ("patient_name", "patient_id", "consult_id", "date", "reason"):
        assert key in entries[0]
    assert clinic.json("due", "--on", "2026-11-30", "--days", "1")[0]["reason"] == "retreatment"
    code, out, _ = clinic("due", "--on", "2026-09-12", "--days", "8", "--format", "ics")
    calendar = icalendar.Calendar.from_ical(out)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Review: Mina Park (P-9)", "Touch-up window: Mina Park (P-9)"]
    assert events[1].decoded("dtstart") == dt.date(2026, 9, 19) and events[1].decoded("dtend") == dt.date(2026, 9, 23)
    code, out, _ = clinic("due", "--on", "2026-10-01")
    assert "Nobody is due from 2026-10-01 to 2026-10-07" in out
    code, _, err = clinic("due", "--days", "0")
    assert code == 2 and "--days" in err


def test_csv_exports_keep_a_name_typed_as_a_formula_as_text(clinic: Cli, tmp_path: Path) -> None:
    """OWASP's CSV injection rule: a cell starting with = + - @, a tab or a CR opens with an apostrophe."""
    from assistant.core.text_safety import csv_cell

    assert open_vial(clinic, "L-9")[0] == 0
    vial_id = next(v["vial_id"] for v in clinic.json("vial", "list", "--open") if v["lot"] == "L-9")
    name = "=HYPERLINK(0)+Kim"
    consult = consult_on(clinic, tmp_path, f"'{name}'", dt.date.today().isoformat(), "'@P-1'", "[glabella]")
    assert clinic("give", consult, "--by", INJECTOR, "--vial", vial_id, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    code, out, _ = clinic("recall", "L-9", "--format", "csv")
    assert code == 0
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["patient_name"] == "'" + name and row["patient_id"] == "'@P-1"
    assert [csv_cell(v) for v in ("+1", "-x", "\tx", "\rx", "plain", -5, 2.5)] == [
        "'+1", "'-x", "'\tx", "'\rx", "plain", -5, 2.5,
    ]  # fmt: skip


def test_recall_names_the_zones_given_from_the_lot_recalled(clinic: Cli, tmp_path: Path) -> None:
    """A treatment drawn from two vials of two lots (the first ran out): each lot's recall names the
    zones given from it. The index keeps the treatment's zones, all of them, and recall listed all
    three zones under the lot that gave only the last 2 U."""
    assert open_vial(clinic, "L-A", "--units", "50")[0] == 0 and open_vial(clinic, "L-B")[0] == 0
    ids = {v["lot"]: v["vial_id"] for v in clinic.json("vial", "list", "--open")}
    consult = consult_on(clinic, tmp_path, "Han Yu", dt.date.today().isoformat(), "P-77")  # 52 U
    args = ("give", consult, "--by", INJECTOR, "--vial", ids["L-A"], "--vial", ids["L-B"], "--pin-stdin")
    code, out, err = clinic(*args, pins=(PINS[INJECTOR],))
    assert code == 0, err
    [first] = clinic.json("recall", "L-A")
    [second] = clinic.json("recall", "L-B")
    assert (first["units"], first["zones"]) == (50, ["glabella", "forehead", "crows_feet"])
    assert (second["units"], second["zones"]) == (2, ["crows_feet"]), "the last 2 U, of the right crow's feet"
    code, out, _ = clinic("recall", "l-b")
    assert code == 0 and "crows_feet" in out and "glabella" not in out
