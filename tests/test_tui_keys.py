"""Keys typed fast are applied in order, one answer per Enter, exactly as if typed slowly.

Every test sends its keys in one burst (see ``tui_driving.burst``): a paste, a barcode scanner, a
quick typist or ``tmux send-keys``, during start-up, the welcome -> consult handover, question
changes and dialogs.
"""

from __future__ import annotations

import asyncio
from datetime import date

from textual import events
from textual.widgets import Input

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.welcome_screen import WelcomeScreen
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, SlowStart, enter, type_answer
from tests.tui_driving import burst, screen_text, settle

FULL_FACE = (
    "Mina Park", "enter", "1988-05-14", "enter",  # name, date of birth (38 on TODAY: the age is not asked)
    "enter", "enter", "down", "enter",  # no clinic number, English, female (Down to it: nothing is highlighted)
    "n", "n", "n", "n", "n",  # screening
    "space", "down", "space", "down", "space", "enter",  # glabella, forehead, crow's feet
    "enter", "enter", "enter",  # skin, strength, effect: the defaults
    "never", "enter", "n", "enter", "enter",  # never treated, no asymmetry, no goals, no lot
)  # fmt: skip

BO_RA = {"patient_name": "Bo Ra", "date_of_birth": date(1990, 3, 2), "age": 36, "patient_id": "C-77"}
"""The answers of `Bo Ra` Enter `1990-03-02` Enter `C-77` Enter (the age worked out from the date of birth)."""


async def test_typing_during_start_up_gives_one_answer_per_enter(resources: Resources) -> None:
    """Issue 10.1: `Bo Ra` Enter `1990-03-02` Enter `C-77` Enter typed as soon as the name question shows."""
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        burst(app, "Bo Ra", "enter", "1990-03-02", "enter", "C-77", "enter")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Bo Ra", "what follows the Enter waits for the consult"
        await start.finish_loading(app, pilot)
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.answers == BO_RA
        assert app.sub_title == "Bo Ra · question 4 of 16"


async def test_keys_typed_while_the_consult_screen_takes_over_land_in_order(resources: Resources) -> None:
    """The keys arrive exactly while the consult screen replaces the welcome screen."""
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Bo")
        original = app.start_consult

        def start_consult_amid_typing(*args: object, **kwargs: object) -> object:
            mounting = original(*args, **kwargs)  # type: ignore[arg-type]
            burst(app, " Ra", "enter", "1990-03-02", "enter", "C-77", "enter")
            return mounting

        app.start_consult = start_consult_amid_typing  # type: ignore[method-assign]
        await start.finish_loading(app, pilot)
        await settle(pilot)
        assert app.session.answers == BO_RA
        assert app.session.current is not None and app.session.current.id == "patient_language"


async def test_a_burst_after_going_back_to_the_name_replaces_it(resources: Resources) -> None:
    """Issue 10.1: four answers, Esc four times, then Ctrl+U `Ann Leigh` Enter in one burst."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Bo Ra")
        await type_answer(pilot, "1990-03-02")
        await enter(pilot, 2)  # no clinic number; English
        assert app.session.current is not None and app.session.current.id == "sex"
        for _ in range(4):
            await pilot.press("escape")
            await pilot.pause()
        assert app.session.current.id == "patient_name"
        burst(app, "ctrl+u", "Ann Leigh", "enter")
        await settle(pilot)
        assert app.session.answers["patient_name"] == "Ann Leigh"
        assert app.session.current is not None and app.session.current.id == "sex"
        assert app.sub_title.startswith("Ann Leigh ·")


async def test_going_back_and_retyping_in_one_burst(resources: Resources) -> None:
    """The Esc presses are in the burst too: each one waits until the question before is shown."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(
            app, "Bo Ra", "enter", "1990-03-02", "enter", "enter", "enter",
            "escape", "escape", "escape", "escape", "ctrl+u", "Ann Leigh", "enter",
        )  # fmt: skip
        await settle(pilot)
        assert app.session.answers["patient_name"] == "Ann Leigh"
        assert app.session.answers["patient_id"] is None
        assert app.session.current is not None and app.session.current.id == "sex"


async def test_a_whole_consult_in_one_burst_plans_as_if_typed_slowly(resources: Resources, tmp_path) -> None:
    """Every question change, the review screen, the staff dialog and the plan, with no pause."""
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *FULL_FACE, "p", "Dr Lee", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen), type(app.screen)
        assert app.session.answers["zones"] == ("glabella", "forehead", "crows_feet")
        assert app.session.answers["age"] == 38
        assert app.screen.plan.total_units == 52
        assert app.screen.record is not None and app.screen.record.staff == "Dr Lee"
        assert "Run by Dr Lee." in screen_text(app), "on screen, not only on paper"


async def test_a_warning_dialog_takes_the_key_typed_after_the_answer(resources: Resources) -> None:
    """A date of birth giving 80 asks for a confirmation; the Y typed straight after the Enter
    answers that dialog."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *FULL_FACE[: FULL_FACE.index("1988-05-14")], "1946-05-14", "enter", "y", "enter")
        await settle(pilot)
        assert app.session.answers["age"] == 80
        assert "patient_id" in app.session.answers, "the Enter after Y answered the next question"
        assert app.session.current is not None and app.session.current.id == "patient_language"


async def test_a_pasted_block_is_one_answer_per_line(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Paste("Ann Leigh\n1990-03-02\nC-77\n"))
        await settle(pilot)
        assert app.session.answers == {**BO_RA, "patient_name": "Ann Leigh"}


async def test_typing_slowly_is_never_held(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in "Mina":
            await pilot.press(key)
            assert not app.key_gate.held
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.answers == {"patient_name": "Mina"}
        assert app.key_gate.keys_seen == 5


async def test_the_gate_can_see_a_widgets_waiting_messages(resources: Resources) -> None:
    """The gate reads Textual's private message queue; if a Textual upgrade renames it, this fails
    (rather than the gate silently letting keys overtake each other)."""
    from assistant.tui import key_gate

    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#answer-text", Input)
        assert not key_gate.pending(field)
        field.post_message(events.Key("x", "x"))
        assert key_gate.pending(field)


async def test_the_gate_sees_the_message_textual_has_peeked_at(resources: Resources) -> None:
    """Textual takes a widget's next message out of its queue while it handles the one before (to
    merge messages that replace each other): a queue can be empty with one message still to come.
    A gate that read the queue alone let a key overtake the answer area's Submitted under load."""
    from assistant.tui import key_gate

    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#answer-text", Input)
        field.cursor_blink = False  # no timer messages in its queue: the key is the only one behind
        await pilot.pause()
        seen: list[tuple[bool, bool]] = []

        def look() -> None:
            seen.append((field._message_queue.empty(), key_gate.pending(field)))

        field.post_message(events.Callback(callback=look))
        field.post_message(events.Key("x", "x"))
        await asyncio.sleep(0.2)  # not pilot.pause(): it would post messages of its own behind the key
        assert seen == [(True, True)]  # the queue looks empty; the key behind the callback is still seen
        assert field.value.endswith("x")


async def test_a_key_the_watchdog_moved_on_still_settles(resources: Resources) -> None:
    """The watchdog posts a new callback while the old one is still queued (its widget looked gone,
    or it took over 10 s under load): the two must not each wait behind the other for ever."""
    from assistant.tui import key_gate

    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gate = app.key_gate
        gate.delivered()
        gate._pass()  # following the key from the focused input
        assert gate._walk is not None
        gate._walk.started -= key_gate.GIVE_UP_AFTER + 1
        gate._check_walk()  # a second callback, from the app
        await asyncio.wait_for(gate.wait_idle(), timeout=10)
        await pilot.press(*"Mina", "enter")
        await settle(pilot)
        assert app.session.answers == {"patient_name": "Mina"}


async def test_keys_after_a_screen_that_closes_mid_burst_still_arrive(resources: Resources) -> None:
    """The palette opens and closes inside the burst; the widgets a key went through are gone, and
    the keys after them still arrive, in order."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, "ctrl+p", "New", "escape", "Mina Park", "enter", "1990-03-02", "enter", "P-7", "enter")
        await settle(pilot)
        assert app.session.answers == {**BO_RA, "patient_name": "Mina Park", "patient_id": "P-7"}


async def test_keys_typed_before_the_first_screen_has_its_input_focused(resources: Resources, monkeypatch) -> None:
    """A fast typist after launch: keys arrive while the first screen is still mounting, and an
    Enter typed before the terminal was in raw mode arrives as a line feed (Ctrl+J)."""
    start = SlowStart(resources)
    app = start.app()
    original = WelcomeScreen.on_mount

    def mount_amid_typing(self: WelcomeScreen) -> None:
        burst(app, "Bo Ra")
        app.post_message(events.Key("ctrl+j", "\n"))
        burst(app, "1990-03-02")
        app.post_message(events.Key("ctrl+j", "\n"))
        burst(app, "C-77")
        app.post_message(events.Key("ctrl+j", "\n"))
        original(self)

    monkeypatch.setattr(WelcomeScreen, "on_mount", mount_amid_typing)
    async with app.run_test(size=SIZE) as pilot:
        await start.finish_loading(app, pilot)
        await settle(pilot)
        assert app.session.answers == BO_RA


def terminal_keys(data: str) -> list[events.Key]:
    """The keys Textual's own terminal parser reads from these bytes arriving at once."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser(debug=False)
    return [event for event in [*parser.feed(data), *parser.feed("")] if isinstance(event, events.Key)]


async def test_escape_and_a_key_arriving_together_are_escape_then_the_key(resources: Resources) -> None:
    """Esc and the next key in one read (a quick typist, tmux, a laggy SSH link) are the bytes of
    Alt+key, which Textual reports. The Esc was lost: the key was typed into the question on screen
    and an Enter after it answered that question's list with its highlighted choice."""
    assert [key.key for key in terminal_keys("\x1bx")] == ["alt+x"], "what Textual makes of the bytes"
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "Bo Ra", "enter", "1990-03-02", "enter", "C-77", "enter")
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "patient_language"
        for key in terminal_keys("\x1bx"):
            app.post_message(key)
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "patient_id", "Esc went back"
        assert isinstance(app.focused, Input) and app.focused.value.endswith("x"), "and the key was typed there"
        assert "patient_language" not in app.session.answers


async def test_a_stop_is_never_answered_by_a_key_typed_before_it_appeared(resources: Resources) -> None:
    """Y for "pregnant or breastfeeding" and a quick second Y: the second was typed before "Stop the
    consult here?" was on screen, and it recorded the consult as contraindicated unread. A question
    whose Yes stops or loses something takes only keys typed once it could be read; the key typed
    ahead is dropped, and said: given back after "Change the answer" it answered the question again
    (an "n" meant for the next question would have answered "pregnant: no")."""
    from assistant.tui.screens.confirm import ConfirmScreen

    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *FULL_FACE[: FULL_FACE.index("n")], "y", "y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.danger, "still asking: the second Y set aside"
        burst(app, "n")  # "Change the answer"
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen), "nothing was stopped without a key typed at the question"
        assert app.session.current is not None and app.session.current.id == "pregnant_or_breastfeeding"
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert any(m.startswith("1 key typed while “Stop here”") for m in said), said


async def test_keys_typed_on_after_a_stop_never_reach_the_next_screen(resources: Resources) -> None:
    """A tryout: Y to "pregnant", then the rest of the screening typed on without looking up ("n n n n"
    and more). The stop held those keys and, once it was answered, gave them to the plan screen: N
    there started a new consult, whose name became "nnn". Now they are dropped, and said."""
    from assistant.tui.screens.confirm import ConfirmScreen

    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *FULL_FACE[: FULL_FACE.index("n")], "y", "n", "n", "n", "n", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.danger
        await pilot.press("y")  # read, then "Stop here"
        await settle(pilot)
        await pilot.press(*"Dr Lee", "enter")  # who ran it, asked once
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.plan.status == "contraindicated"
        assert app.session.answers["patient_name"] == "Mina Park", "no new consult was started by a key typed ahead"
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert any(m.startswith("6 keys typed while “Stop here”") for m in said), said


async def test_a_name_typed_straight_after_a_new_consult_never_answers_discard(resources: Resources) -> None:
    """Ctrl+N mid-consult asks "Discard this consult?"; the next patient's name typed straight after
    it answered the question with its letters (the Y of "Yuna" discarded the consult on screen). Keys
    typed while it is read, and any letter, are set aside and then dropped."""
    from assistant.tui.screens.confirm import ConfirmScreen

    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        burst(app, *FULL_FACE[:4])  # name and date of birth
        await settle(pilot)
        burst(app, "ctrl+n", *"Yuna Kim", "enter", *"1979-03-03", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.danger, "still asking"
        assert app.session.answers["patient_name"] == "Mina Park"
        await pilot.press("n")  # "Keep going", once read
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.answers["patient_name"] == "Mina Park" and "patient_id" not in app.session.answers
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert any(m.startswith("20 keys typed while “Discard it”") for m in said), said
