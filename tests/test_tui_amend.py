"""Issue 22.5 in the UI: the answers of a recorded consult changed on screen (the record desk's
``amend_on_screen``, which the chart calls), with the reason and the PIN; a change that does not
plan comes back with its problems and loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import make_app
from assistant.tui.screens.amend_screen import AmendScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import INJECTOR, TODAY
from tests.test_tui_lifecycle import SIZE, clinic, give_as_planned, review_of_a_given_consult, type_pin
from tests.tui_driving import screen_text, settle

__all__ = ["clinic"]  # the fixture, used by name

pytestmark = pytest.mark.slow


async def amend_answers_of_a_given_consult(pilot: Pilot) -> str:
    """A consult planned and given as planned, then its answers opened to amend (E): its id."""
    app = pilot.app
    await give_as_planned(pilot)
    assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
    consult_id = app.screen.record.consult_id
    desk = app.record_desk  # type: ignore[attr-defined]
    desk.in_dialog(lambda: desk.amend_on_screen(consult_id), "amend")
    await settle(pilot)
    assert isinstance(app.screen, AmendScreen)
    return consult_id


async def test_the_answers_of_a_given_consult_are_amended_on_screen(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        consult_id = await amend_answers_of_a_given_consult(pilot)
        answers = app.screen.query_one(TextArea)
        assert "patient_name: Mina Park" in answers.text and "date_of_birth: '1988-05-14'" in answers.text
        answers.text = "age: 34\n"  # only what changes; this one disagrees with the date of birth kept
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AmendScreen), "not taken: asked again"
        assert "does not agree with the date of birth" in screen_text(app)
        assert app.screen.query_one(TextArea).text == "age: 34\n", "nothing typed is lost"
        app.screen.query_one(TextArea).text = "date_of_birth: 1971-05-14\n"
        await pilot.press("ctrl+s")
        await type_pin(pilot, INJECTOR, reason="date of birth typed wrong")
        assert isinstance(app.screen, PlanScreen)
        [said] = [str(n.message) for n in app._notifications if n.title == "Amended"]  # type: ignore[attr-defined]
        assert "version 4" in said and "recorded without a lot" not in said, "the answers, not the doses"
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.version == 4 and kept.answers["age"] == 55
    assert kept.revision is not None and kept.revision.reason == "date of birth typed wrong"
    assert "38 -> 55" in kept.revision.change


async def test_the_doses_given_are_corrected_on_screen(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        desk = app.record_desk
        desk.in_dialog(lambda: desk.amend_given_on_screen(consult_id), "amend")
        await settle(pilot)
        assert isinstance(app.screen, GivenScreen)
        units = app.screen.query_one("#units-0", Input)
        assert units.value == "20", "the doses recorded, pre-filled"
        await pilot.press("1", "8", "tab", "tab", *"lighter frown", "ctrl+s")
        await type_pin(pilot, INJECTOR, reason="glabella was 18 U, not 20")
        assert isinstance(app.screen, PlanScreen)
        said = [n.message for n in app._notifications if n.title == "Amended"]
        assert any("38 U were recorded without a lot" in m for m in said), said  # as G says it (40 U less 2)
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.version == 4 and kept.given is not None
    glabella = next(line for line in kept.given.lines if line.zone == "glabella")
    assert (glabella.units, glabella.reason) == (18, "lighter frown")
    assert kept.revision is not None and kept.revision.reason == "glabella was 18 U, not 20"


async def test_the_chart_changes_a_consults_answers_and_doses_given(resources: Resources, clinic: Path) -> None:
    """A and D on the chart's highlighted consult open the same amendments (issue 22.5, "from the chart")."""
    from textual.widgets import OptionList

    from assistant.tui.screens.chart_screen import ChartScreen
    from tests.tui_driving import until

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        app.chart_desk.open_chart(app.screen.record.patient_key)
        await until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart is not None)
        chart = app.screen
        await until(pilot, lambda: chart.query_one(OptionList).highlighted is not None)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AmendScreen))
        assert "patient_name: Mina Park" in app.screen.query_one(TextArea).text
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is chart)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, GivenScreen))
        assert app.screen.query_one("#units-0", Input).value == "20", "the doses recorded, pre-filled"


async def test_answers_amended_to_a_contraindication_say_so_before_the_pin(resources: Resources, clinic: Path) -> None:
    """A pregnancy learnt after the injection: the PIN's question says the patient is now
    contraindicated and that the doses given stay recorded, and so does a notice once it is kept."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        consult_id = await amend_answers_of_a_given_consult(pilot)
        app.screen.query_one(TextArea).text = "pregnant_or_breastfeeding: true\n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        asked = str(app.screen.query_one("#dialog-message", Static).render())  # the PIN's question
        assert "the patient is contraindicated" in asked and "on the record as given" in asked, asked
        assert "Changed: Is the patient pregnant or breastfeeding: No -> Yes." in asked, asked
        await type_pin(pilot, INJECTOR, reason="pregnancy told after the treatment")
        notices = " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]
        assert "those doses stay on the record as given" in notices, notices
        # her sheet on screen (X) is the treatment she had, with its aftercare, as S prints it (a tryout's X
        # said "We are not giving you a treatment today" to a patient given 40 U)
        from assistant.tui.screens.explanation_screen import ExplanationScreen
        from tests.tui_driving import screen_text, until

        assert "CONTRAINDICATED by the answers now kept" in screen_text(app), screen_text(app)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExplanationScreen))
        sheet = app.screen.text  # type: ignore[attr-defined]
        assert "explains the treatment you had" in sheet and "not giving you a treatment" not in sheet, sheet
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.plan.status == "contraindicated" and kept.given is not None


async def test_a_given_consult_planned_again_as_contraindicated_says_so_before_the_pin(
    resources: Resources, clinic: Path
) -> None:
    """The other way of amending a given consult's answers: E on its plan, an answer changed, P. The
    PIN's question says the patient is now contraindicated and that the doses given stay recorded,
    as the chart's amendment does."""

    from assistant.tui.screens.confirm import ConfirmScreen
    from assistant.tui.screens.pin_screen import PinScreen
    from tests.tui_driving import read, until

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        consult_id, questions = await review_of_a_given_consult(pilot)
        row = next(i for i, question in enumerate(questions) if "pregnant" in question)
        await pilot.press(*["down"] * row, "enter")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await read(pilot)
        await pilot.press("y")  # stop the consult here: contraindicated
        await until(pilot, lambda: isinstance(app.screen, PinScreen))
        asked = str(app.screen.query_one("#dialog-message", Static).render())
        assert "the patient is contraindicated" in asked and "on the record as given" in asked, asked
        await type_pin(pilot, INJECTOR, reason="pregnancy told after the treatment")
        notices = " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]
        assert "those doses stay on the record as given" in notices, notices
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.plan.status == "contraindicated" and kept.given is not None
