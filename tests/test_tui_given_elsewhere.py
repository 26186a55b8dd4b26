"""Two windows on one record (both stores): window B's G waits at the consent step (its question, or
its form) while window A records the consent and the doses given. B is then told the doses were given
elsewhere, by whom and when, and records nothing: no second consent. A tryout's B recorded a second
consent, by another person, before its Ctrl+S was refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.files.resources import Resources
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consent_screen import ConsentScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import DIRECTOR, INJECTOR, PINS
from tests.test_tui_lifecycle import SIZE, planned_by, sign_in, type_pin
from tests.test_tui_live_updates import store, workstation  # noqa: F401  (store: the fixture, both stores)
from tests.tui_driving import burst, press_give, screen_text, settle

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("waiting_at", ["question", "form"])
async def test_a_consent_is_not_recorded_for_doses_given_in_another_window(
    resources: Resources,
    store: dict[str, object],  # noqa: F811
    tmp_path: Path,
    waiting_at: str,
) -> None:
    room_a = workstation(resources, store, tmp_path / "a")
    room_b = workstation(resources, store, tmp_path / "b")
    async with room_a.run_test(size=SIZE) as a, room_b.run_test(size=SIZE) as b:
        await planned_by(a, INJECTOR)
        plan = room_a.screen
        assert isinstance(plan, PlanScreen) and plan.record is not None
        record = plan.record  # the consult as both windows were shown it: planned, no consent

        await room_b.run_action("sign_in")  # the director, at window B, presses G on it
        await sign_in(b, DIRECTOR)
        room_b.record_desk.in_dialog(lambda: room_b.record_desk.give(record, None), "give")
        await settle(b)
        assert isinstance(room_b.screen, ConfirmScreen) and "Record the signed consent now?" in screen_text(room_b)
        if waiting_at == "form":
            await b.press("y")
            await settle(b)
            assert isinstance(room_b.screen, ConsentScreen)

        await press_give(a)  # window A: the consent, then the doses, recorded
        await settle(a)
        await a.press("ctrl+s")
        await type_pin(a, INJECTOR)
        assert room_a.records.repository.get(record.consult_id).state == "given"  # type: ignore[union-attr]

        if waiting_at == "question":
            await b.press("y")
        else:
            burst(room_b, "Hana Lee", "enter", "n", "enter", PINS[DIRECTOR], "enter")
        await settle(b)
        shown = room_b.screen
        assert not isinstance(shown, ConsentScreen | GivenScreen), f"B went on to {type(shown).__name__}"
        said = [n.message for n in room_b._notifications]  # type: ignore[attr-defined]
        assert any(
            m.startswith(f"Doses for consult {record.consult_id} were already recorded by {INJECTOR} at ") for m in said
        ), said
        versions = room_a.records.repository.versions(record.consult_id)
    kinds = [(v.revision.kind, v.revision.by) for v in versions if v.revision]
    assert kinds == [("created", INJECTOR), ("consented", INJECTOR), ("given", INJECTOR)], "one consent, A's"
