"""Snapshots of the main screens at a fixed terminal size (pytest-textual-snapshot).

Update after an intended visual change with: python -m pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from tests.helpers import TODAY
from tests.test_tui_consult import choose, enter, pick_zones, plan_it, screening_all_no, type_answer

SIZE = (100, 34)


@pytest.fixture(autouse=True)
def _fixed_consult_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """Consult ids carry the time; a snapshot must not."""
    monkeypatch.setattr("assistant.services.recording.new_record_id", lambda at: "20261124-100000-5nap5h0t")


async def _to_zones(pilot: Pilot) -> None:
    await type_answer(pilot, "Mina Park")
    await type_answer(pilot, "1971-03-08")  # date of birth: 55 on TODAY
    await enter(pilot)
    await enter(pilot)  # patient language: English (the default)
    await choose(pilot)  # female
    await screening_all_no(pilot)


async def _to_review(pilot: Pilot) -> None:
    await _to_zones(pilot)
    await pick_zones(pilot, ["glabella", "crows_feet", "masseter"])
    await pilot.press("down", "enter")  # thick skin
    await pilot.pause()
    await enter(pilot, 2)
    await type_answer(pilot, "never")
    await pilot.press("y")
    await pilot.pause()
    await pilot.press("down", "down", "enter")  # masseter (second of the chosen paired zones; none highlighted)
    await pilot.pause()
    await pilot.press("down", "enter")  # left
    await pilot.pause()
    await type_answer(pilot, "3")
    await pilot.press("n")  # another asymmetry (the crow's feet are still free)? no
    await pilot.pause()
    await enter(pilot)  # goals
    await enter(pilot)  # lot number


async def _to_plan(pilot: Pilot) -> None:
    await _to_review(pilot)
    await plan_it(pilot)


class TestConsultScreens:
    def test_first_question(self, snap_compare, resources: Resources) -> None:
        assert snap_compare(make_app(resources, TODAY), terminal_size=SIZE)

    def test_zones_question(self, snap_compare, resources: Resources) -> None:
        assert snap_compare(make_app(resources, TODAY), terminal_size=SIZE, run_before=_to_zones)

    def test_review_screen(self, snap_compare, resources: Resources) -> None:
        assert snap_compare(make_app(resources, TODAY), terminal_size=SIZE, run_before=_to_review)

    def test_plan_screen(self, snap_compare, resources: Resources) -> None:
        assert snap_compare(make_app(resources, TODAY), terminal_size=SIZE, run_before=_to_plan)
