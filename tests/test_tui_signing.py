"""Issue 22.6 in the UI: K shows what is signed (lines given, total, lot, differences from the plan
with their reasons) above the one PIN it asks; with the clinic's ``require_cosign``, a medical
director who signs first completes the record."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import make_app
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.pin_screen import PinScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, TODAY
from tests.test_tui_lifecycle import SIZE, clinic, planned_by, sign_in, type_pin
from tests.tui_driving import press_give, screen_text, settle

__all__ = ["clinic"]  # the fixture, used by name

pytestmark = pytest.mark.slow


async def test_k_shows_what_is_signed_above_the_pin_and_asks_it_once(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        await press_give(pilot)
        await settle(pilot)
        given = app.screen
        assert isinstance(given, GivenScreen)
        assert given.query_one("#units-0", Input).value == "20"
        await pilot.press("1", "8", "ctrl+s")
        await pilot.press(*"asked for a lighter frown", "ctrl+s")
        await type_pin(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen)
        record = app.screen.record
        assert record is not None
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        shown = screen_text(app)
        assert f"You sign consult {record.consult_id}: Mina Park" in shown
        assert "Different from the plan:" in shown and "20 U in 5 points -> 18 U in 5 points" in shown
        assert "asked for a lighter frown" in shown and "Total 38 U (planned 40 U)" in shown
        await pilot.press(*PINS[INJECTOR], "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen), "signed with one PIN"
        assert "signed by Ina Choi" in screen_text(app)
    kept = TinyDBStore(clinic).get(record.consult_id)
    assert kept is not None and kept.state == "signed" and kept.version == 4  # version 2: the consent


async def test_a_director_who_signs_first_completes_a_cosigned_record(resources: Resources, clinic: Path) -> None:
    cosigning = replace(resources, clinic=resources.clinic.model_copy(update={"require_cosign": True}))
    app = make_app(cosigning, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, JUNIOR)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        assert app.screen.record.cosign_required
        await app.run_action("sign_in")
        await sign_in(pilot, DIRECTOR)
        await press_give(pilot)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await type_pin(pilot, DIRECTOR)
        await pilot.press("k")
        await type_pin(pilot, DIRECTOR)
        assert isinstance(app.screen, PlanScreen)
        assert "co-signature is still needed" not in screen_text(app)
        assert "to sign" not in app.title
        assert not app.screen.check_action("sign", ()), "nothing is left to sign"
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.locked and not kept.awaiting_cosign and not kept.to_sign
    assert [(s.name, s.role) for s in kept.signatures] == [(DIRECTOR, "medical_director")]
    assert TinyDBStore(clinic).to_sign() == []
