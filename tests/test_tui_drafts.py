"""Drafts: an interrupted consult is never lost, never offered into keys meant for the consult, and
goes away only when staff say so (issue 10.4), even when a draft file is damaged (issue 15.6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.screen import ModalScreen
from textual.widgets import OptionList

from assistant.files.resources import Resources
from assistant.records import Draft, new_record_id, open_repository
from assistant.tui.app import make_app
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.review_screen import ReviewScreen
from assistant.tui.widgets.transcript import KnowledgeTurn
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, enter, type_answer
from tests.tui_driving import burst, read, screen_text, settle


def keep_draft(data: Path, name: str, minutes_ago: int, current: str = "sex", **answers: object) -> Draft:
    moment = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC) - dt.timedelta(minutes=minutes_ago)
    draft = Draft(
        draft_id=new_record_id(moment),
        answers={"patient_name": name, "patient_id": None, "patient_language": "en", **answers},
        current_question=current,
        started_at=moment - dt.timedelta(minutes=5),
        updated_at=moment,
        script_id="botulax-consult",
        script_version="1.2.0",
    )
    open_repository(data).save_draft(draft)
    return draft


def is_drafts_list(app) -> bool:
    return type(app.screen).__name__ == "DraftsScreen"


async def disk_settled(app) -> None:
    """Every draft write asked for so far has reached the disk."""
    await app.workers.wait_for_complete()
    keeper = app.__dict__.get("drafts")
    if keeper is not None:
        keeper.flush()


def drafts_on_disk(data: Path) -> list[str]:
    drafts, _ = open_repository(data).draft_listing()
    return sorted(d.patient_name or "" for d in drafts)


def listed(app) -> list[str]:
    options = app.screen.query_one("#drafts-list", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def notes(app) -> str:
    screen = next(s for s in app.screen_stack if isinstance(s, ConsultScreen))
    return "\n".join(str(t.render()) for t in screen.query(KnowledgeTurn))


async def start(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await settle(pilot)


async def test_typing_before_the_offer_appears_does_not_suppress_it(resources: Resources, tmp_path: Path) -> None:
    """Issue 10.4a: keys typed at once at start; the drafts are offered without catching them."""
    keep_draft(tmp_path, "Interrupted Ida", 30)
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "Mina Park", "enter")
        await start(app, pilot)
        assert isinstance(app.screen, ConsultScreen), "no dialog took the keys typed for the consult"
        assert app.session.answers == {"patient_name": "Mina Park"}
        assert "An unfinished consult of Interrupted Ida was kept" in notes(app)
        assert "F4" in notes(app)
        await pilot.press("f4")
        await settle(pilot)
        assert is_drafts_list(app)
        assert any("Interrupted Ida" in line for line in listed(app))


async def test_a_name_typed_once_the_offer_is_up_goes_to_the_consult(resources: Resources, tmp_path: Path) -> None:
    """The list opens by itself a moment after start; someone typing the patient's name without
    looking up typed it into the list, and the Enter after it started a new consult, so the date of
    birth typed next became the name. Now the first letter closes the list (the drafts kept, and
    said) and every key reaches the consult; D, the discard key, is a letter of the name here."""
    keep_draft(tmp_path, "Interrupted Ida", 30)
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert is_drafts_list(app)
        burst(app, "Dana Lee", "enter", "1990-03-02", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.answers["patient_name"] == "Dana Lee"
        assert app.session.answers["date_of_birth"] == dt.date(1990, 3, 2)
        assert "An unfinished consult of Interrupted Ida was kept" in notes(app)
        await disk_settled(app)
        assert "Interrupted Ida" in drafts_on_disk(tmp_path)


async def test_escape_on_the_offer_means_not_now(resources: Resources, tmp_path: Path) -> None:
    """Issue 10.4b: Esc keeps the draft, on disk and in the list."""
    keep_draft(tmp_path, "Interrupted Ida", 30)
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert isinstance(app.screen, ModalScreen), "the draft is offered"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert drafts_on_disk(tmp_path) == ["Interrupted Ida"]
    assert drafts_on_disk(tmp_path) == ["Interrupted Ida"]


async def test_discarding_the_consult_from_the_palette_deletes_its_draft(resources: Resources, tmp_path: Path) -> None:
    """Issue 10.4c: palette, New consult, "Discard this consult": the draft leaves the disk for good."""
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Discard Me")
        await type_answer(pilot, "1990-03-02")
        await enter(pilot)
        await disk_settled(app)
        assert drafts_on_disk(tmp_path) == ["Discard Me"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"New consult")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await read(pilot)  # read before it is answered
        await pilot.press("y")
        await settle(pilot)
        assert app.session.answers == {}
        await disk_settled(app)
        assert drafts_on_disk(tmp_path) == []
    assert drafts_on_disk(tmp_path) == [], "no save still under way wrote it back"


async def test_every_draft_is_listed_to_resume_or_discard(resources: Resources, tmp_path: Path) -> None:
    """Issue 10.4d: patient, started, last question; discard one, resume another."""
    keep_draft(tmp_path, "Older Oh", 90, current="neuromuscular_disorder", sex="male", date_of_birth="1980-01-15")
    keep_draft(tmp_path, "Newer Noh", 10, current="sex")
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert is_drafts_list(app)
        lines = listed(app)
        assert lines[0].startswith("Start a new consult")
        assert lines[1].startswith("Newer Noh · started ") and "stopped at “Is the patient female or male?”" in lines[1]
        assert lines[2].startswith("Older Oh (born 1980-01-15) · started ") and "neuromuscular disorder" in lines[2]
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await read(pilot)  # read before it is answered
        await pilot.press("y")
        await settle(pilot)
        assert drafts_on_disk(tmp_path) == ["Older Oh"]
        assert len(listed(app)) == 2
        said = str(app.screen.query_one("#dialog-message").render())
        assert said.startswith("Discarded the consult of Newer Noh. 1 unfinished consult kept."), said
        await pilot.press("enter")  # the highlight moved to the next draft
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.answers["patient_name"] == "Older Oh"
        assert app.session.current is not None and app.session.current.id == "neuromuscular_disorder"
        assert "Resumed the consult of Older Oh" in notes(app)


async def test_the_drafts_list_from_the_palette_mid_consult(resources: Resources, tmp_path: Path) -> None:
    keep_draft(tmp_path, "Waiting Won", 10)
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        await pilot.press("escape")  # not now
        await settle(pilot)
        await type_answer(pilot, "Current Cho")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Drafts", "enter")
        await settle(pilot)
        assert is_drafts_list(app)
        lines = listed(app)
        assert lines[0] == "Go on with the consult on screen"
        assert not any("Current Cho" in line for line in lines), "the consult on screen is not offered to itself"
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.answers["patient_name"] == "Current Cho"


async def test_a_damaged_draft_never_stops_the_ui(resources: Resources, tmp_path: Path) -> None:
    """Issue 15.6: a draft file that cannot be read is named in the list; the UI starts; the
    readable drafts are still offered. A name with markup is shown as typed."""
    keep_draft(tmp_path, "Choi [/]", 10)
    keep_draft(tmp_path, "Lee [bold red]RED[/]", 20)
    broken = tmp_path / "drafts" / f"{new_record_id(dt.datetime(2026, 11, 1, tzinfo=dt.UTC))}.json"
    broken.write_text("{not json", encoding="utf-8")
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot)
        assert is_drafts_list(app)
        lines = listed(app)
        assert lines[1].startswith("Choi [/] · started")
        assert lines[2].startswith("Lee [bold red]RED[/] · started")
        assert any(line.startswith("A damaged draft") and str(broken) in line for line in lines)
        assert "Choi [/]" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.session.answers["patient_name"] == "Choi [/]"
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "Choi [/]" in screen_text(app)
    assert broken.read_text(encoding="utf-8") == "{not json", "a damaged file is left as it is"
