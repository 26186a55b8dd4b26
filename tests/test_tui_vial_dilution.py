"""On screen, a vial made up at another dilution than the plans' is not offered at the lot question
nor in G's form, where it is said why (a tryout's plan showed 0.100 mL per point from a vial of 100 U in
1.25 mL, twice the dose, and G recorded it "exactly as planned")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.files.resources import Resources
from assistant.services import vials
from assistant.settings import ClinicSettings
from assistant.tui.screens.given_screen import GivenScreen
from tests.helpers import INJECTOR, PINS
from tests.test_tui_lifecycle import sign_in, to_review
from tests.test_tui_live_updates import store, workstation  # noqa: F401
from tests.test_tui_vial_opened_meanwhile import elsewhere, listed, opened
from tests.tui_driving import press_give, screen_text, settle, until

pytestmark = pytest.mark.slow  # Pilot (tests/slow.py)


@pytest.mark.parametrize("store", ["tinydb"], indirect=True)
async def test_a_vial_at_another_dilution_is_not_offered_and_the_notice_says_why(
    resources: Resources,
    store: dict[str, object],  # noqa: F811
    tmp_path: Path,
) -> None:
    beside = elsewhere(store)
    opened(beside, resources, "GOOD", 100)  # 2.5 mL: the plans' 4 U per 0.1 mL
    strong = vials.open_one(
        beside, resources.kb, ClinicSettings(), lot="X5", expiry=dt.date(2027, 5, 31), units=100, saline_ml=1.25,
        at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), by=INJECTOR, pin=PINS[INJECTOR],
    )  # fmt: skip
    app = workstation(resources, store, tmp_path / "a")
    said = lambda: [n.message for n in app._notifications if n.title == "Not offered"]  # noqa: E731
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot, lot="pick")
        await until(pilot, lambda: bool(app.session.open_vials), why=said)
        await settle(pilot)
        assert [v.lot for v in app.session.open_vials] == ["GOOD"]
        assert "lot GOOD" in screen_text(app), screen_text(app)
        assert said() == [], "not said at the consult's start, over its first questions (a tryout's were)"
        await pilot.press("enter")  # GOOD
        await settle(pilot)
        await pilot.press("enter")  # its expiry, suggested
        await settle(pilot)
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        app.clear_notifications()
        await press_give(pilot)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GivenScreen)
        assert [line.split(" · ")[0] for line in listed(form)][:1] == ["lot GOOD"] and len(listed(form)) == 2
        assert said() == [
            f"Vial {strong.vial_id[-8:]} (lot X5) holds 8 U per 0.1 mL (100 U in 1.25 mL), but the plan's volumes "
            "are for 4 U per 0.1 mL: drawn as the plan says, it would give 2 times the dose planned. Draw from a "
            "vial made up at the plan's dilution."
        ]
    getattr(beside.repository, "close", lambda: None)()
