"""Words staff should never see (issue 10.9): ids instead of questions and answers, numbers without
their unit, "consult(s)", unexplained columns, boxes that read ticked when they are not, and
notices in the wrong place or the wrong plan."""

from __future__ import annotations

from pathlib import Path

from assistant.core.flow import Flow
from assistant.core.hints import answer_hint
from assistant.documents import render_summary
from assistant.files.loaders import load_answers
from assistant.files.resources import Resources
from assistant.locations import EXAMPLES_DIR
from assistant.services.headless import run_answer_file
from assistant.tui.app import make_app
from assistant.tui.widgets.transcript import AssistantTurn, KnowledgeTurn, Turn
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, choose, enter, pick_zones, screening_all_no, type_answer
from tests.test_tui_plan import to_plan
from tests.test_tui_records import full_face
from tests.tui_driving import read, screen_text, settle, until


def example_plan(resources: Resources, name: str):
    answers = load_answers(EXAMPLES_DIR / f"{name}.yaml").value
    assert answers is not None
    outcome = run_answer_file(resources, answers, TODAY)
    assert outcome.plan is not None
    return outcome.plan


def turns(app) -> list[str]:
    return [str(t.render()) for t in app.screen.query(Turn)]


async def test_answers_dropped_by_a_change_are_named_by_their_question(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Lee Min")
        await type_answer(pilot, "1990-03-02")
        await enter(pilot, 2)  # no clinic number, English
        await choose(pilot)  # female
        await pilot.press("n")  # not pregnant
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("down", "enter")  # male after all
        await settle(pilot)
        said = " ".join(turns(app))
        assert "will be asked again" in said
        assert "“Is the patient pregnant or breastfeeding?”" in said
        assert "pregnant_or_breastfeeding" not in said


def test_why_lines_and_modifiers_name_the_modifier_and_the_answer(resources: Resources) -> None:
    plan = example_plan(resources, "cap_glabella")
    why = plan.lines[0].why
    assert "(skin thickness: thick)" in why and "(muscle strength: strong)" in why and "(sex: male)" in why
    assert "skin_thickness" not in why and "muscle_strength" not in why
    assert {m.answer for m in plan.modifiers} == {"thick", "strong", "male"}
    assert all("_" not in m.reason.split(":")[0] for m in plan.modifiers)


async def test_zone_comments_say_points(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Ana Cho")
        await type_answer(pilot, "1992-05-14")
        await enter(pilot, 2)  # no clinic number, English
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella", "forehead"])
        comments = [str(t.render()) for t in app.screen.query(KnowledgeTurn)]
        glabella = next(c for c in comments if c.startswith("Frown") or c.startswith("Glabella"))
        forehead = next(c for c in comments if c.startswith("Forehead"))
        assert "starting from 20 U in 5 points;" in glabella
        assert "starting from 12 U in 4-9 points (default 6)" in forehead


async def test_a_returning_patient_is_told_before_the_language_question(resources: Resources, tmp_path: Path) -> None:
    """The notice comes right after the name, date of birth and clinic number, not after the next
    question."""
    first = make_app(resources, TODAY.replace(day=5), data_dir=tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await to_plan(pilot)
    again = make_app(resources, TODAY, data_dir=tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Mina Park")
        await type_answer(pilot, "1988-05-14")  # as at the first visit
        await type_answer(pilot, "")  # no clinic number
        assert again.session.current is not None and again.session.current.id == "patient_language"
        said = [str(t.render()) for t in again.screen.query(KnowledgeTurn)]
        assert any(s.startswith("Returning patient: 1 consult, the last on 2026-11-05.") for s in said)
        await enter(pilot)  # English
        await settle(pilot)
        order = [str(t.render()) for t in again.screen.query(Turn) if isinstance(t, AssistantTurn | KnowledgeTurn)]
        notice = next(i for i, s in enumerate(order) if s.startswith("Returning patient"))
        language = order.index("In which language should the patient's explanation be printed?")
        assert notice < language


async def test_two_consults_are_plural(resources: Resources, tmp_path: Path) -> None:
    for day in (3, 5):
        app = make_app(resources, TODAY.replace(day=day), data_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await to_plan(pilot)
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Mina Park")
        await type_answer(pilot, "1988-05-14")
        await type_answer(pilot, "")
        said = " ".join(str(t.render()) for t in app.screen.query(KnowledgeTurn))
        assert "Returning patient: 2 consults, the last on 2026-11-05." in said


async def test_zone_boxes_read_ticked_only_when_ticked(resources: Resources) -> None:
    """In plain text (a copy of the screen, no colour) an unticked box is empty."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_answer(pilot, "Ana Cho")
        await type_answer(pilot, "1992-05-14")
        await enter(pilot, 2)  # no clinic number, English
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pilot.press("space", "down", "down", "space")  # glabella and crow's feet
        await pilot.pause()
        lines = [line for line in screen_text(app).splitlines() if "(" in line and "▐" in line]
        ticked = [line for line in lines if "▐X▌" in line]
        assert len(lines) == 8
        assert [("glabella" in line, "lateral canthal" in line) for line in ticked] == [(True, False), (False, True)]


async def test_the_plan_explains_its_columns_and_a_touch_up_plan_has_no_full_doses(
    resources: Resources, tmp_path: Path
) -> None:
    from tests.test_tui_records import planned as first_visit

    first = make_app(resources, TODAY.replace(day=5), data_dir=tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await first_visit(pilot, staff="Dr Lee")
        text = " ".join(screen_text(first).split())
        assert "Dose: full = a full treatment dose; touch-up = " in text
        assert "* off-label: the zone is not on the product's label" in text
        assert "Marks: per point, the line of the syringe's scale to draw up to (6.5: to the 6.5 line)" in text
        assert "not a number of marks to count" in text
    again = make_app(resources, TODAY, data_dir=tmp_path)  # 19 days later: touch-ups only
    async with again.run_test(size=(120, 60)) as pilot:
        await full_face(pilot)
        await again.workers.wait_for_complete()
        await type_answer(pilot, "2026-11-05")  # the first visit's plan was never given: nothing is pre-filled
        await pick_zones(pilot, ["glabella", "crows_feet"])
        await pilot.press("n")
        await pilot.pause()
        await enter(pilot, 2)
        from tests.test_tui_consult import plan_it

        await plan_it(pilot)
        plan = again.screen.plan
        assert {line.kind for line in plan.lines} == {"touch_up"}
        text = " ".join(screen_text(again).split())
        assert "full doses are the defaults" not in text
        assert "touch-up doses are fixed and never adjusted" in text


async def test_a_contraindicated_plan_says_it_was_saved(resources: Resources, tmp_path: Path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Sara Lee")
        await type_answer(pilot, "1995-02-20")
        await enter(pilot, 2)  # no clinic number, English
        await choose(pilot)  # female
        await pilot.press("y")  # pregnant
        await pilot.pause()
        await read(pilot)  # the stop, read before it is answered
        await pilot.press("y")  # stop here
        await pilot.pause()
        await pilot.press("escape")  # no staff name
        await until(pilot, lambda: type(app.screen).__name__ == "PlanScreen", why=lambda: app.screen)
        await settle(pilot)
        record = app.screen.record
        assert record is not None
        banner = " ".join(screen_text(app).split())
        assert f"Saved as consult {record.consult_id} (contraindicated)." in banner


def test_documents_carry_no_ids_and_explain_the_dose_column(resources: Resources) -> None:
    plan = example_plan(resources, "cap_glabella")
    text = str(render_summary(plan, resources.kb, resources.clinic, "text"))
    assert "glabella/center" not in text and "Glabella (frown lines), center:" in text
    assert "(skin_thickness)" not in text
    assert "Dose: full = a full treatment dose" in text
    touch_up = example_plan(resources, "returning_touch_up")
    text = str(render_summary(touch_up, resources.kb, resources.clinic, "text"))
    assert "full doses are the knowledge base's defaults" not in text
    assert "touch-up doses are fixed and never adjusted" in text
    html = str(render_summary(touch_up, resources.kb, resources.clinic, "html"))
    assert "full doses are the knowledge base's defaults" not in html


def test_a_vial_that_expires_today_is_refused(script, today) -> None:
    flow = Flow(script, today)
    answers = {"lot_number": "BTX-24A117"}
    for typed in ("today", today.isoformat(), "2026-11-01"):
        verdict = flow.judge("lot_expiry", typed, answers)
        assert not verdict.accepted and "expires today or has already expired" in verdict.errors[0], typed
    assert flow.judge("lot_expiry", "2026-11-25", answers).accepted
    assert '"today"' not in answer_hint(script.question("lot_expiry"), script), "today is no answer for an expiry"
    assert '"today"' in answer_hint(script.question("prior_treatment_date"), script)
