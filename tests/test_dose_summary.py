"""The dose summary's content: one row per zone and side, the inputs the numbers came from, last time's
doses beside today's (from the CLI and the UI), and the signature block a signed record will fill."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.documents import render_summary, summary_context
from assistant.files.resources import Resources
from assistant.records import open_repository
from assistant.tui.app import make_app
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import DIRECTOR, INJECTOR, PINS, TODAY, Cli
from tests.pdf_pages import page_texts
from tests.test_cli_lifecycle import GIVEN_CHANGED, clinic  # noqa: F401  (clinic: the staff fixture)
from tests.test_document_layout import AMENDED, SIGNED, plan_of
from tests.test_documents import visible
from tests.test_tui_consult import SIZE, enter, plan_it, type_answer
from tests.test_tui_records import full_face

FORMATS = ["text", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_split_dose_is_one_row_per_zone_and_side(resources: Resources, fmt: str) -> None:
    plan, answers = plan_of(resources, "asymmetry_masseter")
    assert len(plan.lines) == 4, "two lines per side: the units do not divide evenly over 3 points"
    text = str(render_summary(plan, resources.kb, resources.clinic, fmt, answers=answers))  # type: ignore[arg-type]
    rows = summary_context(plan, resources.kb, resources.clinic)["rows"]
    assert [(r["side"], r["units"], r["points"]) for r in rows] == [("left", 28, 3), ("right", 25, 3)]
    for row in rows:
        lines = sorted(plan.lines_for("masseter"), key=lambda line: -line.units_per_point)
        parts = [f"{line.points} x {line.units_per_point:g} U" for line in lines if line.side == row["side"]]
        assert row["dose"] == " + ".join(parts) and len(parts) == 2
        assert row["dose"] in text
    if fmt == "text":
        table = [line for line in text.splitlines() if line.startswith("Masseter")]
        assert len(table) == 2 and "28 U" in table[0] and "25 U" in table[1]
    else:
        assert text.count('<td class="dose">') == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_inputs_the_numbers_came_from_are_printed(resources: Resources, fmt: str) -> None:
    plan, answers = plan_of(resources, "full_face")
    text = visible(render_summary(plan, resources.kb, resources.clinic, fmt, answers=answers, script=resources.script))
    joiner = ": " if fmt == "text" else " "
    for label, answer in (
        ("Age", "38 years"),
        ("Sex", "Female"),
        ("Skin thickness", "Normal"),
        ("Muscle strength", "Average"),
        ("Effect", "Standard"),
        ("Prior treatment date", "never"),
    ):
        assert f"{label}{joiner}{answer}" in text, label
    screening = [q for q in resources.script.questions if q.section == "Screening"]
    assert len(screening) == 5
    for question in screening:
        assert f"{question.id.replace('_', ' ').capitalize()}{joiner}no" in text, question.id


def test_inputs_are_in_words_and_in_the_scripts_order(resources: Resources) -> None:
    plan, answers = plan_of(resources, "asymmetry_masseter")
    inputs = summary_context(plan, resources.kb, resources.clinic, answers=answers, script=resources.script)["inputs"]
    assert [group["section"] for group in inputs] == [
        "Patient",
        "Screening",
        "Treatment",
        "Prior treatment",
        "Symmetry",
    ]
    symmetry = {item["id"]: item["answer"] for item in inputs[-1]["answers"]}
    assert symmetry == {"asymmetries": "zone Masseter, stronger side Patient's left, extra units 3 U"}
    shown = {item["id"] for group in inputs for item in group["answers"]}
    assert not shown & {"patient_name", "patient_id", "zones", "goals"}, "printed elsewhere on the summary"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unsigned_record_says_so_plainly_with_lines_to_sign_on(resources: Resources, fmt: str) -> None:
    plan, answers = plan_of(resources, "full_face")
    text = visible(render_summary(plan, resources.kb, resources.clinic, fmt, answers=answers, staff="Dr Hana Cho"))
    assert "NOT SIGNED" in text
    for line in ("Printed name", "Signature", "Date and time"):
        assert line in text
    assert "Amended" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_signatures_and_amendments_are_printed_with_the_version(resources: Resources, fmt: str) -> None:
    plan, answers = plan_of(resources, "full_face")
    text = visible(
        render_summary(
            plan, resources.kb, resources.clinic, fmt, answers=answers, signatures=SIGNED, amendments=AMENDED
        )  # type: ignore[arg-type]
    )
    assert "NOT SIGNED" not in text
    assert "Dr Hana Cho (practitioner): planned and given as printed, 2026-11-24 10:42 UTC" in text
    assert "Min-ji Lee (nurse): witnessed, 2026-11-24 10:44 UTC" in text
    assert "Amended on 2026-11-25 09:00 UTC by Dr Hana Cho: lot number corrected (was BTX-24A171)" in text
    assert "This is version 2 of the record." in text


def test_signatures_may_be_models_and_the_version_may_be_given(resources: Resources) -> None:
    class Signature:
        name, role, meaning = "Dr Lee", "practitioner", "given"
        at = dt.datetime(2026, 11, 24, 11, 5)

    plan, _ = plan_of(resources, "full_face")
    context = summary_context(plan, resources.kb, resources.clinic, signatures=[Signature()], version=3)
    assert context["signatures"] == [
        {"name": "Dr Lee", "role": "practitioner", "meaning": "given", "at": "2026-11-24 11:05"}
    ]
    assert context["version"] == 3 and context["amendments"] == []
    assert summary_context(plan, resources.kb, resources.clinic)["version"] == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_last_times_doses_are_beside_todays(resources: Resources, fmt: str) -> None:
    plan, answers = plan_of(resources, "full_face", prior_treatment_date="2026-07-01", prior_zones=["glabella", "chin"])
    previous, _ = plan_of(resources, "full_face", today=date(2026, 7, 1), zones=["glabella", "chin"])
    text = str(render_summary(plan, resources.kb, resources.clinic, fmt, answers=answers, previous=previous))  # type: ignore[arg-type]
    rows = summary_context(plan, resources.kb, resources.clinic, previous=previous)["rows"]
    assert [(r["zone"], r["side"], r["today"], r["last_units"]) for r in rows] == [
        ("glabella", "center", True, 20),
        ("forehead", "center", True, None),
        ("crows_feet", "left", True, None),
        ("crows_feet", "right", True, None),
        ("chin", "center", False, 4),
    ]
    assert "Last time" in text and "2026-07-01" in text and "not today" in text
    assert "last time 24 U" in text if fmt == "text" else "24 U" in text  # last time's total


def test_print_of_a_returning_patients_consult_shows_last_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    example = str(locations.EXAMPLES_DIR / "full_face.yaml")
    assert main(["run", example, "--today", "2026-07-01", "--format", "json", *data]) == 0
    first = re.search(r'"consult_id": "([^"]+)"', capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    assert main(["run", example, "--format", "json", *data]) == 0
    second = re.search(r'"consult_id": "([^"]+)"', capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    assert main(["print", second, "--what", "summary", "--format", "text", *data]) == 0
    summary = capsys.readouterr().out
    assert "Last time (2026-07-01)" in summary and "(last time 52 U)" in summary
    assert main(["print", first, "--what", "summary", "--format", "text", *data]) == 0
    assert "Last time" not in capsys.readouterr().out, "the first visit has no last time"


async def test_the_plan_screens_saved_summary_shows_last_time(resources: Resources, tmp_path: Path) -> None:
    """The first consult is given (last time is what was given, never a plan alone), then the second's
    saved summary carries the column."""
    import datetime as dt

    from assistant.core.lifecycle import rules
    from assistant.core.lifecycle.given import lines_from_plan
    from assistant.core.lifecycle.staff import StaffAccount
    from tests.helpers import keep

    for day, keys in ((TODAY.replace(day=5), None), (TODAY, "returning")):
        app = make_app(resources, day, data_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await full_face(pilot)
            if keys == "returning":
                await app.workers.wait_for_complete()
                await pilot.pause()
                await enter(pilot, 2)  # the last treatment given, pre-filled: its date and zones
            else:
                await type_answer(pilot, "never")
            await pilot.press("n")
            await pilot.pause()
            await enter(pilot, 2)
            await plan_it(pilot)
            assert isinstance(app.screen, PlanScreen)
            record = app.screen.record
            if keys == "returning":
                await pilot.press("s")
                await app.workers.wait_for_complete()
                await pilot.pause()
        if keys is None:
            assert record is not None
            injector = StaffAccount(
                name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=record.finished_at
            )
            at = record.finished_at + dt.timedelta(minutes=5)
            keep(open_repository(tmp_path), rules.give(record, lines_from_plan(record.plan, "BX1", None), injector, at))
    assert record is not None
    summary = tmp_path / "documents" / f"{record.consult_id}-summary.pdf"
    text = " ".join(page_texts(summary.read_bytes(), tmp_path))
    assert "Last time" in text and "2026-11-05" in text  # the column's heading and the date under it
    assert open_repository(tmp_path).get(record.consult_id) is not None
    assert "Audit trail when printed: entry " in text, "the paper names the trail it came from"


def test_run_prints_the_whole_dose_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = str(locations.EXAMPLES_DIR / "full_face.yaml")
    assert main(["run", example, "--staff", "Dr Hana Cho", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for expected in ("What the plan was made from", "Toxin allergy: no", "5 x 4 U", "NOT SIGNED", "Dr Hana Cho"):
        assert expected in out, expected


def test_a_signed_and_amended_records_summary_prints_its_signature_and_amendment(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    code, out, err = clinic(
        "run", str(locations.EXAMPLES_DIR / "full_face.yaml"), "--staff", INJECTOR, "--format", "json"
    )
    assert code == 0, err
    consult_id = re.search(r'"consult_id": "([^"]+)"', out).group(1)  # type: ignore[union-attr]
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    code, out, err = clinic("print", consult_id, "--what", "summary", "--format", "text")
    assert code == 0, err
    assert "NOT SIGNED" not in out and f"{INJECTOR} (injector): reviewed and approved the treatment given, " in out
    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")
    code, _, err = clinic(
        "amend", consult_id, "--by", DIRECTOR, "--reason", "forehead was 10 U, not 12", "--given", str(given),
        "--pin-stdin", pins=(PINS[DIRECTOR],),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = clinic("print", consult_id, "--what", "summary", "--format", "text")
    assert code == 0, err
    assert re.search(rf"Amended on \d{{4}}-\d\d-\d\d \d\d:\d\d UTC by {DIRECTOR}: forehead was 10 U, not 12", out), out
    assert "This is version 5 of the record." in out and "version 5" in out.splitlines()[1]  # v2: the consent


def test_a_given_record_says_who_gave_it_from_which_lot_and_what_differed(cli: Cli, tmp_path: Path) -> None:
    from tests.test_cli_lifecycle import run_consult

    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PINS[DIRECTOR],))[0] == 0
    args = ("staff", "add", INJECTOR, "--role", "injector", "--by", DIRECTOR, "--pin-stdin")
    assert cli(*args, pins=(PINS[INJECTOR], PINS[DIRECTOR]))[0] == 0
    consult_id = run_consult(cli, str(locations.EXAMPLES_DIR / "full_face.yaml"), INJECTOR)
    code, out, _ = cli("print", consult_id, "--what", "summary", "--format", "text")
    assert code == 0 and "Given by" not in out
    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")
    args = ("give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin")
    assert cli(*args, pins=(PINS[INJECTOR],))[0] == 0
    code, out, _ = cli("print", consult_id, "--what", "summary", "--format", "text")
    assert f"Given by {INJECTOR} at" in out and "lot BX2311" in out
    assert "given differently: Forehead (frontalis) center: 10 U in 5 points (low brows" in out
    target = tmp_path / "summary.html"
    assert cli("print", consult_id, "--what", "summary", "--format", "html", "--output", str(target))[0] == 0
    html = target.read_text(encoding="utf-8")
    assert "Given differently" in html and "low brows" in html


@pytest.mark.parametrize("example", ["full_face", "returning_touch_up"])
def test_the_text_summarys_columns_stay_under_their_headings(resources: Resources, example: str) -> None:
    """ "Crow's feet (lateral canthal lines) *" is wider than the zone column was: its side, dose and
    units slid two places right of their headings. Every row's side starts under "Side"."""
    plan, answers = plan_of(resources, example)
    text = str(render_summary(plan, resources.kb, resources.clinic, "text", answers=answers))
    lines = text.splitlines()
    heading = next(line for line in lines if line.startswith("Zone "))
    rule = lines[lines.index(heading) + 1]
    rows = lines[lines.index(heading) + 2 : lines.index(rule, lines.index(heading) + 2)]
    assert rows and set(rule) == {"-"}
    side = heading.index("Side")
    for row in rows:
        assert row[side - 1] == " " and row[side:].split()[0] in ("left", "right", "center"), row
        assert len(row.rstrip()) <= len(rule) or "last time" in row
