"""The conversation: the assistant's questions and comments and the staff's answers.

One widget class per kind of turn, styled only by CSS (see consult.tcss). New turns are mounted at the
bottom. The view follows what the practitioner's own answers bring; a remark arriving on its own
is followed only when the reader is already at the bottom, so reading back is never interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static


class Turn(Static):
    """A turn of the conversation. Text is shown as written: "[sources]" is not markup. ``about``: the
    question whose answer it is or comments on; struck out with that answer when it is changed."""

    def __init__(self, text: str, about: str = "") -> None:
        super().__init__(text, markup=False)
        self.about = about


class AssistantTurn(Turn):
    """A question or a remark from the assistant."""


class KnowledgeTurn(Turn):
    """What the knowledge base says, with its sources."""


class WarningTurn(Turn):
    """A caution or a refused answer."""


class StopTurn(Turn):
    """A contraindication: the consult stops."""


class HelpTurn(Turn):
    """'Why we ask' for the current question."""


class StaffTurn(Turn):
    """An answer given by the practitioner; click it to change it."""

    @dataclass
    class EditRequested(Message):
        question_id: str

    def __init__(self, text: str, question_id: str) -> None:
        super().__init__(text, about=question_id)
        self.tooltip = "Click to change this answer"

    @property
    def question_id(self) -> str:
        """The question this answers (the turn's ``about``)."""
        return self.about

    def on_click(self) -> None:
        self.post_message(self.EditRequested(self.question_id))


class Transcript(VerticalScroll):
    """The scrolling conversation, anchored to its end once it is longer than the view: new turns
    then show without a second layout pass to scroll to them. (Anchored while shorter, Textual
    would draw it at the bottom of the view.) Scrolling back (PageUp, the mouse) lifts the anchor;
    the next answer, or Ctrl+End, puts it back."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._waiting: list[Callable[[], object]] = []  # what waits for the next question's frame, in order
        self._held = False
        self._round = 0  # the catch-up asked for; a hold makes any one on its way out of date

    def add(self, turn: Turn, *, follow: bool | None = None) -> Turn:
        """Mount ``turn`` at the bottom. ``follow``: scroll to it (True), or only when the reader is
        at the bottom already (None: a remark that arrives on its own never interrupts reading).
        After an answer's turns still waiting for their frame, it waits behind them."""
        self._in_order(partial(self._add, turn, follow))
        return turn

    def _add(self, turn: Turn, follow: bool | None) -> None:
        self.mount(turn)
        if follow or (follow is None and self.is_vertical_scroll_end):
            self._follow()

    def add_all(self, turns: list[Turn]) -> None:
        """Mount the turns an answer brings, all at once and followed, once the next question is
        drawn: the question comes first (its frame lays out the question panel alone, not the turns
        too, which a person reads after it), and one mount for the turns lays the screen out again
        once for them rather than once per turn."""
        if turns:
            self._after_question(partial(self._add_all, turns))

    def _add_all(self, turns: list[Turn]) -> None:
        self.mount_all(turns)
        self._follow()

    def _after_question(self, change: Callable[[], object]) -> None:
        """``change`` once the next question is drawn, after the callbacks of that frame (it is on
        screen already then), in the order asked."""
        if not self._waiting and not self._held:
            self._schedule()
        self._waiting.append(change)

    def _schedule(self) -> None:
        self._round += 1
        self.call_after_refresh(self.call_later, self._catch_up, self._round)

    def _in_order(self, change: Callable[[], object]) -> None:
        """``change`` now, or after the turns waiting for their frame (it may be about them)."""
        if self._waiting:
            self._waiting.append(change)
        else:
            change()

    @contextmanager
    def held(self) -> Iterator[None]:
        """What waits for the next question's frame stays waiting meanwhile, then waits for that frame
        again. An answer that looks the patient up awaits the look-up before its next question, in a
        batch of updates, and a batch runs the callbacks meant for after a frame as soon as it is idle,
        without one: the answer's turns were laid out before the question, and in its frame."""
        self._held = True
        self._round += 1  # a catch-up already on its way does nothing: another is asked for after
        try:
            yield
        finally:
            self._held = False
            if self._waiting:
                self._schedule()

    def _catch_up(self, asked: int) -> None:
        if asked != self._round:
            return
        waiting, self._waiting = self._waiting, []
        if self.is_attached:  # not when its screen closed meanwhile
            for change in waiting:
                change()

    def _follow(self) -> None:
        if self.is_anchored:
            if self._anchor_released:
                self.anchor()
        else:
            self.call_after_refresh(self._anchor_when_long)

    def _anchor_when_long(self) -> None:
        if self.max_scroll_y > 0:
            self.anchor()  # scrolls to the end now, and keeps it there from here on

    def reveal(self, turn: Turn) -> None:
        """Scroll so that ``turn`` is at the top of the view (a long answer is read from its start)."""
        self._in_order(partial(self.call_after_refresh, self._reveal, turn))

    def _reveal(self, turn: Turn) -> None:
        if turn.is_attached:
            self.scroll_to_widget(turn, animate=False, top=True)  # lifts the anchor

    def page(self, pages: int) -> None:
        """PageUp (``pages`` < 0) or PageDown, whatever input has the focus."""
        if pages < 0:
            self.scroll_page_up(animate=False)
        else:
            self.scroll_page_down(animate=False)

    def edge(self, end: int) -> None:
        """To the top (0) or the end (1) of the conversation."""
        if end:
            self.scroll_end(animate=False)
        else:
            self.scroll_home(animate=False)

    def retire_answers(self, question_ids: set[str], css_class: str) -> None:
        """Mark earlier answers, and what the knowledge base said of them, as changed or no longer
        applying (they stay readable, struck out), with the turns of the answer that changed them."""
        self._after_question(partial(self._retire, question_ids, css_class))

    def _retire(self, question_ids: set[str], css_class: str) -> None:
        for turn in self.query(Turn):
            if turn.about in question_ids:
                turn.add_class(css_class)
