"""A wrong PIN never throws away what was typed in the form it protects: the PIN is asked again at once,
the refusal shown under it, and Esc on it goes back to the form with its edits (G), or out of an act
that has no form (K). A tryout changed Crow's feet right to 11 U ("patient moved"), typed a wrong PIN:
the form closed, the PIN typed again went to the plan screen, and G showed the plan's dose again. The
same for K, an amendment's PIN (its reason kept), the consent's (its witness kept) and a review's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import make_app
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consent_screen import ConsentScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.pin_screen import PinScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.treatment_review_screen import TreatmentReviewScreen
from tests.helpers import INJECTOR, PINS, TODAY
from tests.test_tui_consult import DATE_OF_BIRTH, type_answer
from tests.test_tui_lifecycle import (
    SIZE,
    clinic,
    give_as_planned,
    planned_by,
    review_of_a_given_consult,
    sign_in,
    type_pin,
)
from tests.tui_driving import burst, press_give, screen_text, settle, until

__all__ = ["clinic"]  # the fixture, used by name

pytestmark = pytest.mark.slow

WRONG = "999999"
FIRST_WRONG = "Wrong PIN for Ina Choi (4 more wrong PINs lock the account)."


async def wrong_pin(pilot: Pilot) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, PinScreen), type(pilot.app.screen)
    burst(pilot.app, WRONG, "enter")
    await settle(pilot)


def asked_again(pilot: Pilot, refusal: str = FIRST_WRONG) -> PinScreen:
    """The PIN asked again, the refusal under its box, the wrong PIN not kept."""
    screen = pilot.app.screen
    assert isinstance(screen, PinScreen), f"the PIN is asked again, not {type(screen).__name__}"
    assert refusal in screen_text(pilot.app) and WRONG not in screen_text(pilot.app)
    assert screen.query_one("#pin-value", Input).has_focus and screen.query_one("#pin-value", Input).value == ""
    return screen


async def test_a_wrong_pin_on_g_asks_again_and_esc_goes_back_to_the_form_as_typed(
    resources: Resources, clinic: Path
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        await press_give(pilot)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GivenScreen)
        row = [key for key, _ in form.rows].index(("crows_feet", "right"))
        planned = form.query_one(f"#units-{row}", Input).value
        assert planned != "11"
        burst(app, *["tab"] * (3 * row), "1", "1", "tab", "tab", "patient moved", "ctrl+s")
        await settle(pilot)
        said = " ".join(str(form.query_one("#given-refusal").render()).split())
        assert f"Uneven sides: Crow's feet: {planned} U on the left, 11 U on the right, though no asymmetry" in said
        await pilot.press("ctrl+s")  # the same rows again: recorded so
        await wrong_pin(pilot)
        asked_again(pilot)
        assert TinyDBStore(clinic).get(consult_id).state == "planned"  # type: ignore[union-attr]

        await pilot.press("escape")  # back to the form: the dose and the reason as typed
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GivenScreen), "Esc on the PIN goes back to the form"
        assert form.query_one(f"#units-{row}", Input).value == "11"
        assert form.query_one(f"#reason-{row}", Input).value == "patient moved"
        await pilot.press("ctrl+s")
        await wrong_pin(pilot)
        asked_again(pilot, "Wrong PIN for Ina Choi (3 more wrong PINs lock the account).")
        await type_pin(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and "given by Ina Choi" in screen_text(app)
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.given is not None and kept.state == "given"
    line = next(line for line in kept.given.lines if (line.zone, line.side) == ("crows_feet", "right"))
    assert (line.units, line.reason) == (11, "patient moved"), "what was injected, not the plan"


async def test_a_wrong_pin_on_k_asks_again(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        await pilot.press("k")
        await wrong_pin(pilot)
        asked_again(pilot)
        assert f"You sign consult {consult_id}" in screen_text(app), "what is signed stays above the PIN"
        await type_pin(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and "signed by Ina Choi" in screen_text(app)
    assert TinyDBStore(clinic).get(consult_id).state == "signed"  # type: ignore[union-attr]


async def test_a_wrong_pin_on_an_amendment_asks_again_with_its_reason(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        consult_id, questions = await review_of_a_given_consult(pilot)
        born_row = questions.index(DATE_OF_BIRTH)
        await pilot.press(*["down"] * born_row, "enter")
        await settle(pilot)
        await type_answer(pilot, "1966-05-14")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen) and "amendment" in screen_text(app)
        burst(app, "age was typed wrong", "enter")
        await wrong_pin(pilot)
        screen = asked_again(pilot)
        assert screen.query_one("#pin-reason", Input).value == "age was typed wrong"
        await type_pin(pilot, INJECTOR)  # the PIN alone: the reason is kept
        assert isinstance(app.screen, PlanScreen)
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.answers["age"] == 60
    assert kept.revision is not None and (kept.revision.kind, kept.revision.reason) == (
        "amended",
        "age was typed wrong",
    )


async def test_a_wrong_pin_on_the_doses_amended_goes_back_to_the_form_as_typed(
    resources: Resources, clinic: Path
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        consult_id = app.screen.record.consult_id  # type: ignore[attr-defined]
        desk = app.record_desk
        desk.in_dialog(lambda: desk.amend_given_on_screen(consult_id), "amend")
        await settle(pilot)
        assert isinstance(app.screen, GivenScreen)
        burst(app, "1", "8", "tab", "tab", "asked for a lighter frown", "ctrl+s")
        await settle(pilot)
        burst(app, "given on paper", "enter")
        await wrong_pin(pilot)
        asked_again(pilot)
        await pilot.press("escape")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GivenScreen), "Esc on the PIN goes back to the form"
        assert form.query_one("#units-0", Input).value == "18"
        assert form.query_one("#reason-0", Input).value == "asked for a lighter frown"
        await pilot.press("ctrl+s")
        await type_pin(pilot, INJECTOR, reason="given on paper")
        assert isinstance(app.screen, PlanScreen)
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.given is not None and kept.revision is not None
    assert (kept.revision.kind, kept.revision.reason) == ("amended", "given on paper")
    assert kept.given.lines[0].units == 18


async def test_a_wrong_pin_on_the_consent_asks_again_with_its_witness(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        burst(app, "Hana Lee", "enter", "y", "enter", WRONG, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConsentScreen), f"the PIN is asked again, not {type(screen).__name__}"
        assert FIRST_WRONG in screen_text(app)
        assert screen.query_one("#consent-witness", Input).value == "Hana Lee"
        assert screen.query_one("#consent-photos", Input).value == "y"
        assert screen.query_one("#consent-pin", Input).has_focus
        burst(app, PINS[INJECTOR], "enter")
        await settle(pilot)
        assert isinstance(app.screen, GivenScreen), "once recorded, giving goes on"
        consult_id = app.screen_stack[-2].record.consult_id  # type: ignore[attr-defined]
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.consent is not None
    assert (kept.consent.witness, kept.consent.photos) == ("Hana Lee", True)


async def test_a_wrong_pin_on_a_review_asks_again_with_its_answers(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        consult_id = app.screen.record.consult_id  # type: ignore[attr-defined]
    later = make_app(resources, TODAY + dt.timedelta(days=14), data_dir=clinic)
    async with later.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await later.run_action("sign_in")
        await sign_in(pilot, INJECTOR)
        await later.run_action("due")
        await settle(pilot)
        await pilot.press("enter")  # her review
        await settle(pilot)
        assert isinstance(later.screen, TreatmentReviewScreen)
        # the glabella (central) is asked its effect only; the crow's feet a residual side too
        burst(later, "full", "enter", "partial", "enter", "right 2 U", "enter", "enter", "3", "enter")
        await wrong_pin(pilot)
        asked_again(pilot)
        await type_pin(pilot, INJECTOR)
        await until(pilot, lambda: not isinstance(later.screen, PinScreen | TreatmentReviewScreen))
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and [r.by for r in kept.reviews] == [INJECTOR] and kept.reviews[0].satisfaction == 3
