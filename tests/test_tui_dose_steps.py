"""Issue 19, section 3: the asymmetry question in the UI asks in the steps the clinic's syringe
measures, says them under the question, and refuses a difference between them at the question."""

from __future__ import annotations

from fractions import Fraction

from textual.widgets import Label

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import TODAY
from tests.test_tui_consult import (
    SIZE,
    choose,
    consult_screen,
    enter,
    pick_zones,
    plan_it,
    screening_all_no,
    type_answer,
)


async def test_the_difference_is_asked_in_the_syringes_steps(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Step Wise")
        await type_answer(pilot, "1993-05-14")  # 33 on the consult date
        await enter(pilot, 2)  # no clinic number, English
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["crows_feet"])
        await enter(pilot, 3)  # skin, strength, effect: the defaults
        await type_answer(pilot, "never")
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "enter", "down", "enter")  # crow's feet, the patient's left side
        await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "asymmetries.0.extra_units"
        hint = str(app.screen.query_one("#answer-hint", Label).render())
        assert "0.2 to 4, in steps of 0.2" in hint, "half a mark at the label's 4 U per 0.1 mL"
        await type_answer(pilot, "1.5")
        refusal = str(consult_screen(app).query_one("#refusal").render())
        assert "not in steps of 0.2 U" in refusal and "U-100 insulin syringe" in " ".join(refusal.split())
        assert app.session.current.id == "asymmetries.0.extra_units", "refused at the question, not at planning"
        await type_answer(pilot, "1.4")  # the refused answer stays selected: typing replaces it
        await enter(pilot, 2)  # no zone left for another one; goals, lot number: skip
        await plan_it(pilot)
        assert isinstance(app.screen, PlanScreen)
        plan = app.screen.plan
        assert plan.exact_units_for("crows_feet", "left") - plan.exact_units_for("crows_feet", "right") == Fraction(
            "1.4"
        )
