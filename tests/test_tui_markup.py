"""Every value staff type is shown as typed, never read as markup (issue 15.6): `Choi [/]` crashed
the review screen (and, kept as a draft, every later start); `Lee [bold red]RED[/]` came out red."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.review_screen import ReviewScreen
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, choose, enter, pick_zones, screening_all_no, type_answer
from tests.tui_driving import screen_text, settle

NAMES = ["Choi [/]", "Lee [bold red]RED[/]", "Kim [link=https://example.org]click[/link]", "Park [@click=app.quit]x[/]"]


def shown(app, text: str) -> bool:
    return text in screen_text(app)


@pytest.mark.parametrize("name", NAMES)
async def test_a_name_with_markup_is_shown_as_typed_on_every_screen(
    resources: Resources, tmp_path: Path, name: str
) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await type_answer(pilot, name)
        assert app.session.answers["patient_name"] == name
        assert shown(app, name), "in the transcript and the header"
        assert name in app.sub_title
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app, name)
        await pilot.press("escape")
        await settle(pilot)
        await type_answer(pilot, "1988-05-14")  # 38 on TODAY
        await type_answer(pilot, "[i]P-1[/i]")
        await enter(pilot)  # English
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella"])
        await enter(pilot, 3)
        await type_answer(pilot, "never")
        await type_answer(pilot, "[red]smoother[/red] [/]")  # goals
        await type_answer(pilot, "LOT-[b]7[/b]")  # lot number
        await type_answer(pilot, "2027-06-30")
        assert isinstance(app.screen, ReviewScreen)
        for typed in (name, "[i]P-1[/i]", "[red]smoother[/red] [/]", "LOT-[b]7[/b]"):
            assert shown(app, typed), typed
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+a", *"Dr [b]Ha[/b]", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert shown(app, f"Dose plan for {name}, ")
        await pilot.press("x")
        await settle(pilot)
        assert shown(app, name), "in the explanation preview"
    record = app.session.consult_id
    assert record is not None


async def test_notices_show_their_words_literally(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notify("The file [/] could not be read", title="Problem")
        app.screen.notify("Choi [/] was saved")  # a screen's notify goes through the app's
        await pilot.pause()
        notices = list(app._notifications)
        assert [n.message for n in notices] == ["The file [/] could not be read", "Choi [/] was saved"]
        assert not any(n.markup for n in notices), "a Toast renders a notice without markup as plain text"
