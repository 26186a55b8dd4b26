"""A patient typed who already has an unfinished consult: it is offered before a second one is
started beside it (two half-answered consults of one person waited in the drafts list)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consult_screen import ConsultScreen
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE
from tests.test_tui_drafts import disk_settled, drafts_on_disk, is_drafts_list, keep_draft, notes, start
from tests.tui_driving import burst, settle, until

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
