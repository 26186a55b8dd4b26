"""Issue 19.3 in the UI: the given screen (G) says a dose past a limit in words before the PIN; an
injector cannot record it, a medical director may, with the reason of the override."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import audit_trail, vials
from assistant.services.desk import Desk
from assistant.tui.app import make_app
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.pin_screen import PinScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import DIRECTOR, INJECTOR, PINS, TODAY
from tests.test_tui_lifecycle import SIZE, clinic, planned_by, type_pin  # noqa: F401 (clinic: a fixture)
from tests.tui_driving import press_give, screen_text, settle

PAST = "glabella: 30 U given, above its limit of 25 U (the caution threshold) [reference-article]"


def refusal(screen: GivenScreen) -> str:
    """What the given screen says under its rows (shown, not only set)."""
    box = screen.query_one("#given-refusal", Static)
    assert box.display
    return str(box.content)


async def thirty_units_on_the_glabella(pilot: Pilot) -> GivenScreen:
    """G on the plan, 30 U on the glabella (planned 20 U) with its reason, Ctrl+S."""
    await press_give(pilot)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, GivenScreen), type(screen)
    assert screen.query_one("#units-0", Input).value == "20"
    await pilot.press("3", "0", "ctrl+s")  # the reason is asked first, at its row
    await settle(pilot)
    assert screen.query_one("#reason-0", Input).has_focus
    await pilot.press(*"very strong frown", "ctrl+s")
    await settle(pilot)
    return screen


async def test_an_injector_is_told_the_limit_and_cannot_record_past_it(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        plan_screen = app.screen
        assert isinstance(plan_screen, PlanScreen) and plan_screen.record is not None
        screen = await thirty_units_on_the_glabella(pilot)
        assert app.screen is screen, "no PIN is asked past a limit"
        text = refusal(screen)
        assert f"Past a limit: {PAST}" in text and "Past a limit" in screen_text(app)
        assert "Only a medical director may record doses past a limit" in text
        assert not screen.query_one("#given-override", Input).display, "an injector is offered no override"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is plan_screen
    kept = TinyDBStore(clinic).get(plan_screen.record.consult_id)
    assert kept is not None and kept.state == "planned" and kept.given is None


async def test_a_medical_director_records_it_with_the_reason_of_the_override(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, DIRECTOR)
        plan_screen = app.screen
        assert isinstance(plan_screen, PlanScreen) and plan_screen.record is not None
        screen = await thirty_units_on_the_glabella(pilot)
        assert app.screen is screen and f"Past a limit: {PAST}" in refusal(screen)
        assert "As medical director you may record it" in refusal(screen)
        box = screen.query_one("#given-override", Input)
        assert box.display and box.has_focus
        await pilot.press("ctrl+s")  # no reason yet: still here
        await settle(pilot)
        assert app.screen is screen
        await pilot.press(*"discussed with the patient", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        await type_pin(pilot, DIRECTOR)
        assert app.screen is plan_screen and "given by Dr Mina Seo" in screen_text(app)
    kept = TinyDBStore(clinic).get(plan_screen.record.consult_id)
    assert kept is not None and kept.given is not None and kept.given.override is not None
    override = kept.given.override
    assert (override.by, override.role, override.reason) == (DIRECTOR, "medical_director", "discussed with the patient")
    assert [b.message for b in override.breaches] == [PAST]
    assert audit_trail.check(TinyDBStore(clinic)).ok


async def test_at_80x24_the_refusal_and_the_directors_reason_are_on_screen(resources: Resources, clinic: Path) -> None:  # noqa: F811
    """A tryout: at 80x24, Ctrl+S past a limit seemed to do nothing: the refusal was drawn below the
    rows and the vial list, where the dialog is cut. It is shown above them, with a director's box."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=(80, 24)) as pilot:
        await planned_by(pilot, INJECTOR)
        desk = Desk(TinyDBStore(clinic))
        for lot in ("BX2311", "BX2312", "BX2313"):  # the form's vial list, between the rows and the foot
            vials.open_one(desk, resources.kb, resources.clinic, lot=lot, expiry=date(2027, 5, 31), units=100,
                           saline_ml=2.5, at=None, by=INJECTOR, pin=PINS[INJECTOR])  # fmt: skip
        await press_give(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GivenScreen) and screen.query_one("#units-0", Input).has_focus
        await pilot.press("3", "0", "ctrl+l", "down")  # 30 U on the glabella, drawn from the first vial
        await pilot.press("ctrl+s")  # its reason is asked first, at its row
        await settle(pilot)
        await pilot.press(*"very strong frown", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        shown = screen_text(app)
        assert "Past a limit" in shown and "Only a medical director" in shown, shown


async def test_a_dose_between_the_syringes_marks_is_said_on_the_form_before_the_pin(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    """A tryout typed 25.3 U on a row: the PIN was asked, then "Nothing was recorded ... not a dose the
    syringe measures", and the form closed with every row typed lost (G again showed the plan). It is
    said on the form now, at its row, as a dose past a limit is, and nothing is asked or lost."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        await press_give(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GivenScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"19.3", "tab", "tab", *"less on the left", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen, "no PIN is asked for a dose the syringe does not measure"
        assert "19.3 U in 5 points is not a dose the syringe measures" in refusal(screen)
        assert screen.query_one("#units-0", Input).has_focus, "the row to change"
        assert screen.query_one("#reason-0", Input).value == "less on the left", "the rows typed stay"
        await pilot.press("ctrl+a", "ctrl+k", *"19", "ctrl+s")  # 19 U in 5 points: whole steps
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
