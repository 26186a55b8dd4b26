"""Issue 22.9, the rough edges seen on the day, on screen: an on-label plan without the off-label note,
the plan's banner in one state, the lot question saying what Enter does, the vial list one key away
on the "what was given" screen, a returning patient's language carried over, and a changed
``idle_lock_minutes`` taking effect without a restart."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from assistant import locations
from assistant.documents import render_summary
from assistant.files.clinic_writer import write_clinic
from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.account_screen import AccountScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.plan_texts import table_legend
from assistant.tui.screens.review_screen import ReviewScreen
from assistant.tui.screens.staff_screen import StaffScreen
from assistant.tui.texts import LOT_PICK
from tests.helpers import BEFORE_THE_LOT, INJECTOR, TODAY
from tests.test_document_layout import plan_of
from tests.test_tui_blank_choice import open_vials
from tests.test_tui_consult import choose, enter, pick_zones, screening_all_no, type_answer
from tests.test_tui_drafts import keep_draft
from tests.test_tui_lifecycle import clinic, give_as_planned, sign_in, to_review, type_pin  # noqa: F401
from tests.tui_driving import burst, press_give, screen_text, settle, until

pytestmark = pytest.mark.slow  # whole consults driven through the UI (tests/slow.py)

SIZE = (120, 40)
OFF_LABEL = "off-label: the zone is not on the product's label"


async def plan_now(pilot: Pilot) -> None:
    """From the last answer: the review, P, the staff name when asked, the plan: each waited for
    (under load the name's dialog can come after a single pause)."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
    await pilot.press("p")
    await until(pilot, lambda: isinstance(app.screen, StaffScreen | PlanScreen))
    if isinstance(app.screen, StaffScreen):
        burst(app, "ctrl+a", "Dr Lee", "enter")
    await until(pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen.record is not None)
    await settle(pilot)
    await until(pilot, lambda: "Saved as consult" in screen_text(app))


async def test_a_glabella_only_plan_has_no_off_label_note_on_screen_or_paper(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Mina Park")
        await type_answer(pilot, "1988-05-14")
        await enter(pilot, 2)  # no clinic number, English
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella"])
        await enter(pilot, 3)
        await type_answer(pilot, "never")
        await enter(pilot, 2)  # goals, lot
        await plan_now(pilot)
        plan = app.screen.plan
        assert [line.off_label for line in plan.lines] == [False]
        text = " ".join(screen_text(app).split())
        assert "Glabella *" not in text and OFF_LABEL not in text
        assert "Marks: per point, the line of the syringe's scale" in text, "the rest of the legend stays"
    for fmt in ("text", "html"):
        summary = str(render_summary(plan, resources.kb, resources.clinic, fmt, answers=app.session.answers))
        assert "off-label" not in summary, fmt
    crows, _ = plan_of(resources, "full_face", zones=["glabella", "crows_feet"])
    assert OFF_LABEL in table_legend(crows), "an off-label zone keeps its note"


async def test_the_plans_banner_says_one_state_once_given_and_once_signed(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        text = " ".join(screen_text(app).split())
        assert ": given by Ina Choi" in text and "(planned)" not in text
        await pilot.press("k")
        await type_pin(pilot, INJECTOR)
        text = " ".join(screen_text(app).split())
        assert ": signed by Ina Choi." in text and "(planned)" not in text and "not signed yet" not in text


async def test_with_a_vial_open_the_lot_question_and_the_given_screen(resources: Resources, clinic: Path) -> None:  # noqa: F811
    open_vials(resources, clinic, "BX2311")
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot, lot="pick")
        await settle(pilot)
        prompt = str(app.screen.query_one("#question-prompt", Static).render())
        assert prompt == LOT_PICK and "Enter to skip" not in prompt, "Enter takes the vial: the prompt says so"
        await enter(pilot, 2)  # the open vial, its expiry
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        await press_give(pilot)
        await settle(pilot)
        given = app.screen
        assert isinstance(given, GivenScreen) and len(given.rows) == 3, "glabella and both crow's feet"
        assert "Ctrl+L jumps to the vial" in str(given.query_one("#dialog-message", Static).render())
        assert given.query_one("#units-0", Input).has_focus
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert given.query_one("#given-vial", OptionList).has_focus, "one key, not nine Tabs"
        await pilot.press("tab")  # from the vial on, Tab goes on as before (round to the first row)
        await pilot.press("shift+tab")
        await settle(pilot)
        assert given.query_one("#given-vial", OptionList).has_focus


async def test_a_returning_patients_language_is_pre_filled(resources: Resources, tmp_path: Path) -> None:
    first = make_app(resources, TODAY - dt.timedelta(days=120), data_dir=tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Kim Ji-woo")
        await type_answer(pilot, "1990-03-02")
        await type_answer(pilot, "P-7")
        await pilot.press("down", "enter")  # 한국어
        await settle(pilot)
        assert first.session.answers["patient_language"] == "ko"
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella"])
        await enter(pilot, 3)
        await type_answer(pilot, "never")
        await enter(pilot, 2)
        await plan_now(pilot)
        assert isinstance(first.screen, PlanScreen) and first.screen.record is not None
    again = make_app(resources, TODAY, data_dir=tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Kim Ji-woo")
        await type_answer(pilot, "1990-03-02")
        await type_answer(pilot, "P-7")
        await settle(pilot)
        current = again.session.current
        assert current is not None and current.id == "patient_language"
        assert again.screen.query_one("#answer-single", OptionList).highlighted == 1, "한국어, as last time"
        await enter(pilot)
        assert again.session.answers["patient_language"] == "ko"


async def test_a_changed_idle_lock_minutes_applies_without_a_restart(resources: Resources, clinic: Path) -> None:  # noqa: F811
    assert resources.clinic.idle_lock_minutes == 10
    as_run = dataclasses.replace(resources, clinic_file=None)  # no --clinic: the user's clinic.toml counts
    app = make_app(as_run, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await app.run_action("sign_in")
        await sign_in(pilot, INJECTOR)
        app.signed_in.last_key -= 120  # two minutes without a key: under the ten of the start
        app.signed_in.check_idle()
        await settle(pilot)
        assert not app.locked
        write_clinic(resources.clinic.model_copy(update={"idle_lock_minutes": 1}), locations.user_clinic_file())
        app.signed_in.check_idle()  # the next check (every 15 s) reads the file that changed
        await until(pilot, lambda: isinstance(app.screen, AccountScreen) and app.locked)
        await until(pilot, lambda: "Locked after 1 idle minute." in screen_text(app))


async def test_a_typed_lot_highlights_its_vial_when_several_are_open(resources: Resources, clinic: Path) -> None:  # noqa: F811
    open_vials(resources, clinic, "A-1", "B-2")
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot, lot="pick")
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # none highlighted, past both vials: "Another lot"
        await settle(pilot)
        await type_answer(pilot, "A-1")
        await type_answer(pilot, "2027-05-31")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session.answers["lot_number"] == "A-1"
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        await press_give(pilot)
        await until(pilot, lambda: isinstance(app.screen, GivenScreen))
        given = app.screen
        assert isinstance(given, GivenScreen)
        highlighted = given.query_one("#given-vial", OptionList).highlighted
        assert highlighted is not None and given.vials[highlighted].lot == "A-1"


async def test_a_draft_resumed_at_the_lot_question_offers_the_open_vials(resources: Resources, clinic: Path) -> None:  # noqa: F811
    """A tryout: resumed at the lot question, the consult showed a text box, not the open vial: the
    question was drawn before the ledger was read. The vials now come to the question once read,
    unless something was typed there already (the guard's own case: text typed stays a text box)."""
    open_vials(resources, clinic, "BX2311")
    keep_draft(clinic, "Mina Park", 10, current="lot_number", **BEFORE_THE_LOT)
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "DraftsScreen")
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.session.answers.get("patient_name") == "Mina Park")
        assert app.session.current is not None and app.session.current.id == "lot_number"
        prompt = app.screen.query_one("#question-prompt", Static)
        await until(pilot, lambda: str(prompt.render()) == LOT_PICK)  # once the ledger is read
        assert app.screen.query_one("#answer-single", OptionList).has_focus
        read, app.session.open_vials = app.session.open_vials, []  # as drawn before the ledger was read
        await app.screen.ask_current()
        await pilot.press(*"C-9")  # typed before the vials came
        app.session.open_vials = read
        app.stage.offer_vials(app.session)
        await settle(pilot)
        field = app.screen.query_one("#answer-text", Input)
        assert field.has_focus and field.value == "C-9", "what was typed stays"
        field.value = ""  # as shown: nothing typed
        app.stage.offer_vials(app.session)
        await settle(pilot)
        assert app.screen.query_one("#answer-single", OptionList).has_focus
        await enter(pilot, 2)  # the one open vial, highlighted; its expiry, suggested
        assert app.session.answers["lot_number"] == "BX2311" and app.session.vial_id is not None
