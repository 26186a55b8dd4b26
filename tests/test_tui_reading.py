"""What the practitioner can read: the question being answered is always on screen, the
transcript scrolls by keyboard, and every screen reads whole at 80x24 and at 160x50."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.widgets.transcript import KnowledgeTurn, Transcript
from tests.helpers import TODAY
from tests.test_tui_consult import choose, enter, type_answer
from tests.tui_driving import screen_text, settle

SMALL, LARGE = (80, 24), (160, 50)


def on_screen(app, text: str) -> bool:
    """Whether ``text`` can be read on the terminal now (spaces collapsed: a prompt may wrap)."""
    shown = " ".join(screen_text(app).split())
    return " ".join(text.split()) in shown


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_question_being_answered_stays_on_screen_after_going_back(resources: Resources, size) -> None:
    """Issue 10.2: sex question, Esc four times back to the name, a new name: the sex question
    and then the pregnancy question are each on screen while they are answered."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=size) as pilot:
        await type_answer(pilot, "Bo Ra")
        await type_answer(pilot, "1990-03-02")
        await enter(pilot, 2)
        for _ in range(4):
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+u", *"Ann Leigh", "enter")  # typed at a normal pace (bursts: test_tui_keys)
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "sex"
        assert on_screen(app, "Is the patient female or male?")
        await choose(pilot)  # female
        await settle(pilot)
        assert app.session.current.id == "pregnant_or_breastfeeding"
        assert on_screen(app, "Is the patient pregnant or breastfeeding?")


async def test_the_question_stays_on_screen_after_long_knowledge_answers(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        for question in ("? max glabella", "? how long before a touch-up", "? aftercare"):
            await type_answer(pilot, question)
        await settle(pilot)
        assert on_screen(app, "What is the patient's full name?")
        await type_answer(pilot, "Mina Park")
        await type_answer(pilot, "1988-05-14")
        await settle(pilot)
        assert on_screen(app, "Clinic patient number, if they have one (Enter to skip).")


async def test_the_top_of_a_knowledge_answer_can_be_read_at_80x24(resources: Resources) -> None:
    """Issue 10.3: PageUp/PageDown scroll the transcript (Ctrl+Home/Ctrl+End to its ends)."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await type_answer(pilot, "? max glabella")
        await settle(pilot)
        answers = list(app.screen.query(KnowledgeTurn))
        assert answers
        title = str(answers[0].render()).splitlines()[0]
        assert on_screen(app, title), "the answer is shown from its top"
        transcript = app.screen.query_one(Transcript)
        assert transcript.max_scroll_y > 0, "at 80x24 the answer is longer than the transcript"
        await pilot.press("pagedown")
        await pilot.pause()
        assert transcript.scroll_y > 0
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert transcript.scroll_y == transcript.max_scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < transcript.max_scroll_y
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert transcript.scroll_y == 0
        while transcript.scroll_y < transcript.max_scroll_y:
            before = transcript.scroll_y
            await pilot.press("pagedown")
            await pilot.pause()
            assert transcript.scroll_y > before
        await pilot.press("ctrl+home")
        await pilot.pause()
        for _ in range(10):
            if on_screen(app, title):
                break
            await pilot.press("pagedown")
            await pilot.pause()
        assert on_screen(app, title)
        prompt = str(app.screen.query_one("#question-prompt", Static).render())
        assert prompt == "What is the patient's full name?" and on_screen(app, prompt)


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_staff_name_dialog_is_centred(resources: Resources, tmp_path, size) -> None:
    """Issue 10.8: it was drawn at the top left with the screen showing through on the right."""
    from tests.test_tui_plan import to_plan

    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        original = to_plan.__globals__["plan_it"]

        async def stop_at_staff(pilot_) -> None:
            await pilot_.press("p")
            await pilot_.pause()

        to_plan.__globals__["plan_it"] = stop_at_staff
        try:
            await to_plan(pilot)
        except AssertionError:
            pass  # stopped at the staff dialog, before the plan
        finally:
            to_plan.__globals__["plan_it"] = original
        assert type(app.screen).__name__ == "StaffScreen"
        region = app.screen.query_one("#dialog").region
        width, height = size
        left, right = region.x, width - region.right
        top, bottom = region.y, height - region.bottom
        assert abs(left - right) <= 1 and abs(top - bottom) <= 1, (region, size)
        assert "Your name, for the consult record" in " ".join(screen_text(app).split())


async def review_of_a_long_consult(app, pilot) -> None:
    from tests.test_tui_consult import pick_zones, screening_all_no

    await type_answer(pilot, "Mina Park")
    await type_answer(pilot, "1988-05-14")
    await enter(pilot, 2)  # no clinic number, English
    await choose(pilot)  # female
    await screening_all_no(pilot)
    await pick_zones(pilot, ["glabella", "forehead", "crows_feet", "masseter"])
    await enter(pilot, 3)
    await type_answer(pilot, "never")
    await pilot.press("n")
    await pilot.pause()
    await type_answer(pilot, "Softer frown lines, keep natural expression, and a slimmer jaw line if possible")
    await enter(pilot)  # no lot
    assert type(app.screen).__name__ == "ReviewScreen"


@pytest.mark.parametrize("size", [SMALL, (120, 40), LARGE])
async def test_the_review_table_wraps_questions_and_answers_instead_of_cutting_them(resources: Resources, size) -> None:
    """Issue 10.8: questions were cut to 24 characters and the zones answer lost "masseter"."""
    from textual.widgets import DataTable

    app = make_app(resources, TODAY)
    async with app.run_test(size=size) as pilot:
        await review_of_a_long_consult(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.max_scroll_x == 0, "the table never scrolls sideways"
        for row, (question, shown) in enumerate(app.session.review_rows()):
            _, asked, answer = (table.get_cell_at((row, column)) for column in range(3))
            assert " ".join(str(asked).split()) == " ".join(question.prompt.split())
            assert " ".join(str(answer).split()) == " ".join(shown.split())
        zones = next(shown for question, shown in app.session.review_rows() if question.id == "zones")
        assert "Jaw slimming (masseter)" in zones
        await pilot.press("end")
        await pilot.pause()
        assert on_screen(app, "Lot number of the"), "End shows the last rows, not a blank page"
        await pilot.press("home")
        await pilot.pause()
        assert on_screen(app, "What is the patient's")  # wrapped cells: the first words of the first row


LONG_NAMES = ["Maximiliana Alexandra Konstantinopoulou-Papadimitriou", "남궁민아리따운하늘빛여름바다"]


@pytest.mark.parametrize("name", LONG_NAMES)
async def test_a_long_name_leaves_the_question_number_in_the_header(resources: Resources, name: str) -> None:
    """At 80 columns a long name pushed "question N of M" out of the header: the name is cut instead,
    with an ellipsis, as wide as the header has room for (a Korean name's characters are two cells)."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await type_answer(pilot, name)
        await settle(pilot)
        header = screen_text(app).splitlines()[0]
        assert "question 2 of" in header and "…" in header
        assert name[:10] in header
