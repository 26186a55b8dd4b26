"""A patient typed who already has an unfinished consult: it is offered before a second one is
started beside it (two half-answered consults of one person waited in the drafts list)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consult_screen import ConsultScreen
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE
from tests.test_tui_drafts import disk_settled, drafts_on_disk, is_drafts_list, keep_draft, notes, start
from tests.tui_driving import burst, read, settle, until

HER = ("Mina Park", "enter", "1988-05-14", "enter", "enter")
"""Her name, date of birth and no clinic number: the identifiers asked first."""


def offered(app) -> bool:
    return isinstance(app.screen, ConfirmScreen) and "unfinished consult" in app.screen.message


async def typed_her(app, pilot, *after: str) -> None:
    """Past the drafts offered at start (Esc: not now), her identifiers typed (and ``after`` at once)."""
    await start(app, pilot)
    assert is_drafts_list(app)
    await pilot.press("escape")
    await settle(pilot)
    burst(app, *HER, *after)
    await until(pilot, lambda: offered(app), why=lambda: notes(app))
    await read(pilot)


async def test_her_unfinished_consult_is_offered_and_resumed_in_place_of_a_second(
    resources: Resources, tmp_path: Path
) -> None:
    keep_draft(tmp_path, "Mina Park", 30, current="sex", date_of_birth="1988-05-14", patient_language="ko")
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await typed_her(app, pilot)
        message = app.screen.message
        assert "Mina Park (born 1988-05-14)" in message and "stopped at “Is the patient female or male?”" in message
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.answers["patient_language"] == "ko", "her draft's answers, not the new consult's"
        assert app.session.current is not None and app.session.current.id == "sex"
        assert "Resumed the consult of Mina Park" in notes(app)
        await disk_settled(app)
        assert drafts_on_disk(tmp_path) == ["Mina Park"], "the consult just started for her held nothing more"


async def test_starting_another_keeps_both_and_does_not_ask_again(resources: Resources, tmp_path: Path) -> None:
    keep_draft(tmp_path, "Mina Park", 30, current="sex", date_of_birth="1988-05-14")
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await typed_her(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.current is not None and app.session.current.id == "patient_language"
        assert "A new consult is started for her; her unfinished one stays in the drafts list (F4)." in notes(app)
        burst(app, "escape", "escape", "enter", "enter")  # back to the date of birth, the same again
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen), "a draft declined is not offered again"
        await disk_settled(app)
        assert drafts_on_disk(tmp_path) == ["Mina Park", "Mina Park"]


async def test_keys_typed_ahead_wait_for_the_answer_and_never_reach_her_draft(
    resources: Resources, tmp_path: Path
) -> None:
    """The Enter typed after her number (for the language) is set aside: given back to the new consult
    when another is started, dropped when her draft is resumed (it was typed for a question it leaves)."""
    for resume in (False, True):
        data = tmp_path / str(resume)
        keep_draft(data, "Mina Park", 30, current="sex", date_of_birth="1988-05-14", patient_language="ko")
        app = make_app(resources, TODAY, data_dir=data)
        async with app.run_test(size=SIZE) as pilot:
            await typed_her(app, pilot, "enter")
            await settle(pilot)
            assert offered(app), "the Enter typed ahead did not answer the offer"
            await pilot.press("y" if resume else "n")
            await settle(pilot)
            assert app.session.current is not None and app.session.current.id == "sex"
            assert app.session.answers["patient_language"] == ("ko" if resume else "en")


async def test_a_different_person_of_the_same_name_is_not_offered(resources: Resources, tmp_path: Path) -> None:
    keep_draft(tmp_path, "Mina Park", 30, current="sex", date_of_birth="1979-02-01")
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("escape")
        await settle(pilot)
        burst(app, *HER)
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.current is not None and app.session.current.id == "patient_language"
        assert dt.date(1988, 5, 14) == app.session.answers["date_of_birth"]


@pytest.fixture(params=["tinydb", "postgres"])
def record(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Two workstations on one record: a shared data folder, or the clinic's server."""
    if request.param == "tinydb":
        return {"A": {"data_dir": tmp_path / "shared"}, "B": {"data_dir": tmp_path / "shared"}}
    url = request.getfixturevalue("postgres_url")
    return {name: {"data_dir": tmp_path / name, "database": url} for name in ("A", "B")}


@pytest.mark.slow
async def test_her_consult_continued_in_another_room_is_named_and_not_taken(
    resources: Resources, record: dict[str, Any]
) -> None:
    """Room A has her consult open; room B types her: B is told where she is being seen, Y does not take
    the consult from A, and B's own consult goes on (her register checked as usual)."""
    room_a = make_app(resources, TODAY, **record["A"])
    room_b = make_app(resources, TODAY, **record["B"])
    async with room_a.run_test(size=SIZE) as pilot_a:
        await start(room_a, pilot_a)
        burst(room_a, *HER)
        await settle(pilot_a)
        await disk_settled(room_a)
        async with room_b.run_test(size=SIZE) as pilot_b:
            await typed_her(room_b, pilot_b)
            assert " · being continued in " in room_b.screen.message
            await pilot_b.press("y")
            await settle(pilot_b)
            said = [n.message for n in room_b._notifications]  # type: ignore[attr-defined]
            assert any(m.startswith("This draft is being continued in ") for m in said), said
            assert isinstance(room_b.screen, ConsultScreen)
            assert room_b.session.current is not None and room_b.session.current.id == "patient_language"
            assert room_b.session.patient.identifiers is not None, "her register was asked for B's consult"
        assert room_a.session.answers["patient_name"] == "Mina Park"
