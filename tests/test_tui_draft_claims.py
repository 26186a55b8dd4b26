"""Issue 22.4 in the UI, two app instances on one record (both stores): a draft being continued in
room A is listed in room B with who and since when, and opening it there is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.files.resources import Resources
from assistant.records import open_repository
from assistant.tui.app import make_app
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, type_answer
from tests.test_tui_drafts import disk_settled, is_drafts_list, listed, start
from tests.tui_driving import settle, until

pytestmark = pytest.mark.slow


@pytest.fixture(params=["tinydb", "postgres"])
def record(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """How each workstation opens the one record: a shared data folder, or the clinic's server
    (each workstation with its own folder for drafts while the server is away)."""
    if request.param == "tinydb":
        return {"A": {"data_dir": tmp_path / "shared"}, "B": {"data_dir": tmp_path / "shared"}}
    url = request.getfixturevalue("postgres_url")
    return {name: {"data_dir": tmp_path / name, "database": url} for name in ("A", "B")}


async def test_a_draft_claimed_on_a_is_refused_on_b(resources: Resources, record: dict[str, Any]) -> None:
    room_a = make_app(resources, TODAY, **record["A"])
    room_b = make_app(resources, TODAY, **record["B"])
    async with room_a.run_test(size=SIZE) as pilot_a:
        await start(room_a, pilot_a)
        await type_answer(pilot_a, "Kim Ji-woo")
        await disk_settled(room_a)
        async with room_b.run_test(size=SIZE) as pilot_b:
            await start(room_b, pilot_b)
            assert is_drafts_list(room_b), "the drafts list opens by itself"
            lines = listed(room_b)
            assert lines[1].startswith("Kim Ji-woo · ") and " · being continued in " in lines[1]
            await pilot_b.press("down", "enter")
            await settle(pilot_b)
            assert "patient_name" not in room_b.session.answers, "not opened on B"
            said = [n.message for n in room_b._notifications]  # type: ignore[attr-defined]
            assert any(m.startswith("This draft is being continued in ") for m in said), said
        await type_answer(pilot_a, "1990-03-02")  # room A goes on: its claim is its own
        await disk_settled(room_a)
    repository = open_repository(**record["A"])
    [kept] = repository.drafts()
    assert kept.patient_name == "Kim Ji-woo" and kept.claim is not None
    assert kept.claim.holder == room_a.records.recorder.claims.holder  # type: ignore[union-attr]


async def test_a_consult_left_for_a_draft_taken_up_is_free_once_the_app_quits(
    resources: Resources, tmp_path: Path
) -> None:
    """A tryout: a consult started, F4, another draft resumed, quit. Started again, the first consult
    was "being continued" on this very workstation for the claim's 30 minutes: only the draft on
    screen had its claim released at the quit, not the one left for it."""
    data = {"data_dir": tmp_path / "data"}
    first = make_app(resources, TODAY, **data)
    async with first.run_test(size=SIZE) as pilot:
        await start(first, pilot)
        await type_answer(pilot, "Ann One")
        await disk_settled(first)
    second = make_app(resources, TODAY, **data)
    async with second.run_test(size=SIZE) as pilot:
        await start(second, pilot)
        if is_drafts_list(second):
            await pilot.press("escape")  # not now: a new consult
            await settle(pilot)
        await type_answer(pilot, "Bea Two")
        await disk_settled(second)
        await pilot.press("f4")
        await settle(pilot)
        assert is_drafts_list(second)
        row = next(i for i, line in enumerate(listed(second)) if line.startswith("Ann One"))
        await pilot.press(*["down"] * row, "enter")
        await settle(pilot)
        assert second.session.answers["patient_name"] == "Ann One"
        said = lambda: [n.message for n in second._notifications]  # noqa: E731
        await until(pilot, lambda: "The consult of Bea Two is kept as a draft: F4 lists it." in said(), why=said)
        await disk_settled(second)
    kept = {draft.patient_name: draft for draft in open_repository(**data).drafts()}
    assert set(kept) == {"Ann One", "Bea Two"}
    for name, draft in kept.items():
        assert draft.claim is not None and draft.claim.released, f"{name}'s draft still claimed"
    third = make_app(resources, TODAY, **data)
    async with third.run_test(size=SIZE) as pilot:
        await start(third, pilot)
        assert is_drafts_list(third)
        assert not any("being continued" in line for line in listed(third)), listed(third)
