"""The question panel between answers (issue 21.2): one height for every question with up to three
choices (a refusal takes its spare lines first), one list for yes/no and single-choice questions, no
layout of the screen when the next list has as many lines as the last, nor for a key typed in the
answer. Each of these is what keeps an answer cheap; each must keep the next question whole on
screen, with its own choices, a long answer scrolled within its field, and Y and N must answer only a
yes/no question.
"""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import Input

from assistant.files.resources import Resources
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.widgets.answer_area import AnswerArea, ChoiceList
from tests.helpers import TODAY
from tests.tui_driving import burst, screen_text, settle

SIZE = (80, 24)  # the smallest terminal the consult is read on
TO_SEX = ("Mina Park", "enter", "1971-03-08", "enter", "enter", "enter")
"""Name, date of birth, no clinic number, English: the sex question next."""
TO_SKIN = (*TO_SEX, "down", "enter", *("n",) * 5, "space", "enter")
"""Female (Down to it: no choice is highlighted at first), no to each screening question, the first
zone (the age comes from the date of birth)."""


def panel_height(app: ConsultApp) -> int:
    return app.screen.query_one("#question-panel").outer_size.height


def layouts_until_drawn(app: ConsultApp, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the screen is laid out from now until the next question is drawn (one entry,
    once it is: what follows, the answer's turns in the transcript, is laid out after it)."""
    laid_out: list[int] = []
    counted: list[int] = []
    layout, show = Screen._refresh_layout, AnswerArea.show

    def counting(screen: Screen[object], *args: object, **kwargs: object) -> None:
        laid_out.append(1)
        layout(screen, *args, **kwargs)  # type: ignore[arg-type]

    def showing(area: AnswerArea, *args: object, **kwargs: object) -> object:
        widget = show(area, *args, **kwargs)  # type: ignore[arg-type]
        area.call_after_refresh(lambda: counted.append(len(laid_out)) if not counted else None)
        return widget

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    monkeypatch.setattr(AnswerArea, "show", showing)
    return counted


def panel_text(app: ConsultApp) -> str:
    """The screen's lines where the question panel is (the transcript above repeats answers)."""
    region = app.screen.query_one("#question-panel").region
    return "\n".join(screen_text(app).splitlines()[region.y : region.bottom])


def offered(app: ConsultApp) -> list[str]:
    choices = app.screen.query_one("#answer-single", ChoiceList)
    return [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]


async def test_text_yes_no_and_short_lists_keep_one_panel_height(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    heights: dict[str, int] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        heights["text"] = panel_height(app)
        burst(app, *TO_SEX)
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "sex"
        heights["single"] = panel_height(app)
        burst(app, "down", "enter")  # female
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "pregnant_or_breastfeeding"
        heights["yes/no"] = panel_height(app)
        assert "Yes" in screen_text(app) and "No" in screen_text(app)
    assert len(set(heights.values())) == 1, heights


async def test_a_list_with_as_many_lines_as_the_last_is_not_laid_out_again(
    resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        burst(app, *TO_SKIN)
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "skin_thickness"
        before = offered(app)
        laid_out = layouts_until_drawn(app, monkeypatch)
        await pilot.press("enter")  # normal skin: the muscle question, three choices as well
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "muscle_strength"
        now = offered(app)
        assert len(now) == len(before) and now != before
        shown = panel_text(app)
        assert all(label in shown for label in now), shown
        assert not any(label in shown for label in before if label not in now), shown
        assert laid_out == [0], "no layout for a list of as many lines"


async def test_a_list_with_fewer_lines_is_laid_out_again_and_shows_only_its_own(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        burst(app, *TO_SKIN, "enter")  # normal skin
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "muscle_strength"
        before = offered(app)
        burst(app, "enter")  # average muscles: the result wanted, fewer choices
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "effect"
        now = offered(app)
        assert len(now) < len(before)
        choices = app.screen.query_one("#answer-single", ChoiceList)
        assert choices.content_size.height == len(now), "the list is as tall as its choices"
        shown = panel_text(app)
        assert all(label in shown for label in now), shown
        assert not any(label in shown for label in before if label not in now), shown


async def test_y_and_n_answer_a_yes_no_question_and_nothing_else(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *TO_SEX)
        await settle(pilot)
        burst(app, "n", "y")  # on the list of sexes: letters, no answer
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "sex"
        assert "sex" not in app.session.answers
        burst(app, "down", "enter", "n", "y")  # female; not pregnant; a neuromuscular disorder
        await settle(pilot)
        assert app.session.answers["pregnant_or_breastfeeding"] is False
        assert app.session.answers["neuromuscular_disorder"] is True


async def test_going_back_from_a_yes_no_question_offers_the_list_again(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *TO_SEX, "down", "enter")  # female
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "pregnant_or_breastfeeding"
        burst(app, "escape")  # back to the sex question
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "sex"
        assert offered(app) == [str(c.label) for c in app.session.choices(app.session.current)]
        area = app.screen.query_one(AnswerArea)
        assert area.active is app.screen.query_one("#answer-single")
        assert not app.screen.query_one("#answer-text", Input).display
        burst(app, "down", "enter")  # male now: the pregnancy question is not asked
        await settle(pilot)
        assert app.session.answers["sex"] == "male"
        assert app.session.current is not None and app.session.current.id == "neuromuscular_disorder"
        assert "Yes" in screen_text(app)


async def test_typing_an_answer_lays_nothing_out_and_scrolls_within_the_input(
    resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=(40, 24)) as pilot:
        await settle(pilot)
        laid_out: list[int] = []
        layout = Screen._refresh_layout
        monkeypatch.setattr(Screen, "_refresh_layout", lambda *a, **k: (laid_out.append(1), layout(*a, **k)))
        field = app.screen.query_one("#answer-text", Input)
        name = "Maria Magdalena Fernandez-Rodriguez de la Cruz"  # wider than the input
        burst(app, *name)
        await settle(pilot)
        assert field.value == name
        assert laid_out == [], "typing lays nothing out"
        assert field.scroll_x == field.max_scroll_x > 0, "the end of the name, where the cursor is, on screen"
        assert "de la Cruz" in panel_text(app)
        burst(app, "shift+home", "X")  # the whole name replaced by one letter
        await settle(pilot)
        assert field.value == "X" and field.scroll_x == 0
        assert "▊  X  " in panel_text(app), panel_text(app)


async def test_a_refusal_under_the_question_takes_the_spare_lines_first(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *"Mina Park", "enter")
        await settle(pilot)
        steady = panel_height(app)
        burst(app, *"not a date", "enter")
        await settle(pilot)
        refusal = app.screen.query_one("#refusal")
        assert refusal.display and "Not taken" in panel_text(app)
        lines = refusal.outer_size.height
        assert panel_height(app) == steady + max(0, lines - 2), "two spare lines under the input are used first"
