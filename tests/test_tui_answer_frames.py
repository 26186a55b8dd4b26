"""What each frame drawn after an answer shows (issue 21.2): the next question comes whole in one frame,
its words with its own input under them, never under the last question's input (a list of sexes under
"Is the patient pregnant or breastfeeding?" was drawn for a frame before); the answer's turns in the
transcript follow it, in order, and an answer changed is struck out with them.
"""

from __future__ import annotations

import pytest
from textual.app import App
from textual.screen import Screen

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.widgets.transcript import StaffTurn, Turn
from tests.helpers import TODAY
from tests.tui_driving import burst, screen_text, settle

SIZE = (100, 30)
PREGNANT = "Is the patient pregnant or breastfeeding?"
ZONES = "Which zones will you treat today?"
LANGUAGE = "In which language should the patient's explanation be printed?"


def watch_frames(app: App[None], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every frame of the top screen, as its lines, from now on."""
    frames: list[str] = []
    drawn = Screen._compositor_refresh

    def drawing(screen: Screen[object]) -> None:
        drawn(screen)
        if screen is app.screen:
            frames.append(screen_text(app))

    monkeypatch.setattr(Screen, "_compositor_refresh", drawing)
    return frames


def under(frame: str, prompt: str, lines: int = 4) -> str:
    """The lines under ``prompt`` in ``frame`` (the hint and the input)."""
    rows = frame.splitlines()
    at = next(i for i, row in enumerate(rows) if prompt in row)
    return "\n".join(rows[at + 1 : at + 1 + lines])


async def test_each_frame_with_the_next_question_shows_its_own_input(
    resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *"Mina Park", "enter", *"1971-03-08", "enter", "enter", "enter")
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "sex"
        frames = watch_frames(app, monkeypatch)
        await pilot.press("down", "enter")  # female: a yes/no question follows a list
        await settle(pilot)
        asked = [frame for frame in frames if PREGNANT in frame]
        assert asked, "the next question was drawn"
        for frame in asked:
            shown = under(frame, PREGNANT)
            assert "Yes" in shown and "No" in shown and "Female" not in shown, frame
        burst(app, "n", "n", "n", "n")
        await settle(pilot)
        frames.clear()
        await pilot.press("n")  # no aminoglycosides: the zones' list follows a yes/no
        await settle(pilot)
        asked = [frame for frame in frames if ZONES in frame]
        assert asked, "the zones question was drawn"
        for frame in asked:
            assert "Frown lines between the brows" in under(frame, ZONES), frame


async def test_turns_and_struck_answers_follow_in_order_when_typed_fast(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        # the name, then straight back to it and a new one, all before a frame is drawn
        burst(app, *"Mina Park", "enter", "escape", "ctrl+u", *"Mina Parks", "enter")
        await settle(pilot)
        names = [turn for turn in app.screen.query(StaffTurn) if turn.question_id == "patient_name"]
        assert [str(turn.render()) for turn in names] == ["Mina Park", "Mina Parks"]
        assert names[0].has_class("-changed") and not names[1].has_class("-changed")
        assert app.session.answers["patient_name"] == "Mina Parks"


async def test_the_answer_that_looks_the_patient_up_shows_the_next_question_before_its_turns(
    resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clinic number's answer waits for the returning-patient look-up before its next question; its
    turns still come the frame after that question, not with it (they were laid out first, and the
    question waited for them)."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *"Mina Park", "enter", *"1971-03-08", "enter")
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "patient_id"
        frames = watch_frames(app, monkeypatch)
        await pilot.press("enter")  # no clinic number
        await settle(pilot)
        asked = [frame for frame in frames if LANGUAGE in frame]
        assert asked, "the language question was drawn"
        assert "(no answer)" not in asked[0], asked[0]
        assert "(no answer)" in asked[-1], "the answer's turn follows"


async def test_what_the_knowledge_base_said_of_a_changed_answer_is_struck_out_with_it(resources: Resources) -> None:
    """A comment on an answer since changed ("men generally need more units" once the patient is a
    woman) would read as still applying."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *"Mina Park", "enter", *"1971-03-08", "enter", "enter", "enter", "down", "down", "enter")  # male
        await settle(pilot)
        assert app.session.answers["sex"] == "male"
        said = [turn for turn in app.screen.query(Turn) if turn.about == "sex" and not isinstance(turn, StaffTurn)]
        assert said, "the knowledge base comments on a male patient"
        burst(app, "escape", "up", "enter")  # back: female
        await settle(pilot)
        assert app.session.answers["sex"] == "female"
        about_sex = [turn for turn in app.screen.query(Turn) if turn.about == "sex"]
        old, new = about_sex[: len(said) + 1], about_sex[len(said) + 1 :]
        assert all(turn.has_class("-changed") for turn in old), [str(t.render()) for t in old]
        assert new and not any(turn.has_class("-changed") for turn in new)
        assert all(turn not in said for turn in new)


async def test_enter_on_an_earlier_answer_as_it_was_moves_on_and_leaves_the_transcript_alone(
    resources: Resources,
) -> None:
    """Back to the sex question and Enter on "female" again: nothing changed, so nothing is struck out
    or written again, and the pregnancy answer that depends on it stays."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *"Mina Park", "enter", *"1971-03-08", "enter", "enter", "enter", "down", "enter", "n")  # female
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "neuromuscular_disorder"
        answers = dict(app.session.answers)
        before = [(type(turn), str(turn.render())) for turn in app.screen.query(Turn)]
        burst(app, "escape", "escape", "enter")  # back to the sex question: Enter on female
        await settle(pilot)
        assert app.session.answers == answers
        assert app.session.current is not None and app.session.current.id == "neuromuscular_disorder"
        struck = [str(turn.render()) for turn in app.screen.query(Turn) if turn.classes & {"-changed", "-dropped"}]
        assert not struck, struck
        assert [(type(turn), str(turn.render())) for turn in app.screen.query(Turn)] == before


async def test_the_same_answer_after_declining_its_stop_asks_the_stop_again(resources: Resources) -> None:
    """At the stop "Change the answer", then Yes again: unchanged, but it stops the consult, so it is
    taken as a changed answer is and the stop is asked again, never passed by."""
    from assistant.tui.screens.confirm import ConfirmScreen

    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *"Mina Park", "enter", *"1971-03-08", "enter", "enter", "enter", "down", "enter", "y")  # female
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.danger
        burst(app, "n")  # change the answer
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "pregnant_or_breastfeeding"
        burst(app, "y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.danger, "the stop is asked again"
