"""Once doses are recorded as given, the documents say what was given (issue 19, 2b and 2e): the
patient sheet's cost, the dose summary's rows, total and cost, "last time" (printed and on the plan
screen) and the follow-up; the summary's badge is the record's state (a signed record never says
PLANNED). Real records on both stores, documents rendered as the program renders them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from textual.widgets import Static

from assistant import locations
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.record import GivenLine
from assistant.core.lifecycle.register import Identifiers
from assistant.core.lifecycle.staff import StaffAccount
from assistant.files.resources import Resources
from assistant.records import open_repository
from assistant.services import patients
from assistant.tui.app import make_app
from tests.helpers import DIRECTOR, INJECTOR, PINS, TODAY, Cli, keep
from tests.test_cli_lifecycle import GIVEN_CHANGED, clinic, run_consult  # noqa: F401  (clinic: the staff fixture)
from tests.test_tui_consult import SIZE, enter, plan_it
from tests.test_tui_records import full_face

FULL_FACE = str(locations.EXAMPLES_DIR / "full_face.yaml")


def priced(tmp_path: Path) -> str:
    path = tmp_path / "clinic.toml"
    path.write_text('name = "Test"\nprice_per_unit = 10\ncurrency = "USD"\n', encoding="utf-8")
    return str(path)


def summary(cli: Cli, consult_id: str, clinic_file: str, fmt: str = "text", what: str = "summary") -> str:
    """A kept consult's document as ``print`` makes it (text to the screen, HTML into a file)."""
    target = Path(clinic_file).parent / f"{consult_id}-{what}.html"
    to_file = ("--output", str(target)) if fmt == "html" else ()
    code, out, err = cli("print", consult_id, "--what", what, "--format", fmt, "--clinic", clinic_file, *to_file)
    assert code == 0, err
    return target.read_text(encoding="utf-8") if fmt == "html" else out


def status_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Status: "))


def test_the_documents_say_what_was_given_and_the_badge_the_records_state(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    clinic_file = priced(tmp_path)
    code, out, err = clinic("run", FULL_FACE, "--staff", INJECTOR, "--clinic", clinic_file, "--format", "json")
    assert code == 0, err
    consult_id = json.loads(out)["consult_id"]
    planned = summary(clinic, consult_id, clinic_file)
    assert status_line(planned) == "Status: PLANNED" and "Total: 52 U" in planned and "cost: $520.00" in planned

    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")  # the forehead: 10 U in 5 points, not 12 U in 6
    args = ("give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin")
    assert clinic(*args, pins=(PINS[INJECTOR],))[0] == 0
    text = summary(clinic, consult_id, clinic_file)
    assert status_line(text) == "Status: GIVEN | version 3"  # version 2: the consent
    # the planned cost is gone: "$520", not a bare "520", which the trail's head hash can hold
    assert "Total given: 50 U" in text and "cost: $500.00" in text and "$520" not in text
    [forehead] = [line for line in text.splitlines() if line.startswith("Forehead")]
    assert "5 x 2 U" in forehead and "10 U" in forehead and "12 U" not in forehead
    assert "(low brows; less in the lateral forehead; planned 12 U in 6 points)" in text
    sheet = summary(clinic, consult_id, clinic_file, what="patient")
    assert "Today's treatment: $500.00" in sheet and "$520.00" not in sheet

    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    text = summary(clinic, consult_id, clinic_file)
    assert status_line(text) == "Status: SIGNED | version 4" and "PLANNED" not in text
    html = summary(clinic, consult_id, clinic_file, "html")
    assert re.search(r'<span class="status status-planned state-signed">SIGNED</span>', html), html[:2000]
    assert "PLANNED" not in html

    args = ("amend", consult_id, "--by", DIRECTOR, "--reason", "lot typed wrong", "--given", str(given))
    assert clinic(*args, "--pin-stdin", pins=(PINS[DIRECTOR],))[0] == 0
    assert status_line(summary(clinic, consult_id, clinic_file)) == "Status: SIGNED, AMENDED | version 5"


def test_last_time_is_what_was_given(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    clinic_file = priced(tmp_path)
    code, out, err = clinic("run", FULL_FACE, "--today", "2026-07-01", "--staff", INJECTOR, "--format", "json")
    assert code == 0, err
    first = json.loads(out)["consult_id"]
    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")
    assert clinic("give", first, "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    second = run_consult(clinic, FULL_FACE, INJECTOR)
    text = summary(clinic, second, clinic_file)
    assert "Last time (2026-07-01)" in text and "(last time 50 U)" in text
    [forehead] = [line for line in text.splitlines() if line.startswith("Forehead")]
    assert forehead.rstrip().endswith("10 U"), forehead


def test_due_and_the_documents_agree_on_what_was_given(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    """Touch-ups were planned (no touch-up window), and the chin was given in full too: who is due
    and the documents both give its touch-up window."""
    clinic_file = priced(tmp_path)
    consult_id = run_consult(clinic, str(locations.EXAMPLES_DIR / "returning_touch_up.yaml"), INJECTOR)
    given = tmp_path / "given.yaml"
    given.write_text(
        "lines:\n"
        "  - {zone: glabella, units: 2, points: 1}\n"
        "  - {zone: crows_feet, side: left, units: 2, points: 1}\n"
        "  - {zone: crows_feet, side: right, units: 2, points: 1}\n"
        "  - {zone: chin, units: 4, points: 2, reason: asked for the chin as well}\n",
        encoding="utf-8",
    )
    args = ("give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin")
    assert clinic(*args, pins=(PINS[INJECTOR],))[0] == 0
    due = clinic.json("due", "--on", "2026-12-12", "--days", "4")
    assert [(e["consult_id"], e["reason"], e["until"]) for e in due] == [(consult_id, "touch_up", "2026-12-15")]
    text = summary(clinic, consult_id, clinic_file)
    assert "touch-up window 2026-12-12 to 2026-12-15" in text and "Total given: 10 U" in text
    sheet = summary(clinic, consult_id, clinic_file, what="patient")
    assert "Top-up window: 12 December 2026 to 15 December 2026" in sheet and "chin" in sheet.lower()


async def test_the_plan_screens_last_time_is_what_was_given(resources: Resources, tmp_path: Path, make_record) -> None:  # type: ignore[no-untyped-def]
    repository = open_repository(tmp_path)
    first = make_record("Mina Park", day=dt.date(2026, 7, 1), patient_id="P-1042", zones=("glabella", "crows_feet"))
    mina = Identifiers(name="Mina Park", date_of_birth=dt.date(1988, 5, 14), clinic_number="P-1042")
    key = patients.attach(repository, patients.identify(repository, mina), first.finished_at)  # the register's
    record = keep(repository, first.model_copy(update={"patient_key": key}))
    injector = StaffAccount(name=INJECTOR, role="injector", pin_hash="$argon2id$x", created_at=record.finished_at)
    lines = (
        GivenLine(zone="glabella", side="center", units=15, points=5, differs_from_plan=True, reason="a lighter frown"),
        GivenLine(zone="crows_feet", side="left", units=10, points=4),
        GivenLine(zone="crows_feet", side="right", units=10, points=4),
    )
    keep(repository, rules.give(record, lines, injector, record.finished_at + dt.timedelta(minutes=5)))  # type: ignore[arg-type]
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await full_face(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await enter(pilot, 2)  # the pre-filled last treatment and zones
        await pilot.press("n")
        await pilot.pause()
        await enter(pilot, 2)
        await plan_it(pilot)
        last_time = str(app.screen.query_one("#plan-last-time", Static).render())
    assert "Glabella: center 15 U (20 U today)" in last_time, last_time
