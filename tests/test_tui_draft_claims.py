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
from tests.tui_driving import settle

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
