"""The conversation: the assistant's questions and comments and the staff's answers.

One widget class per kind of turn, styled only by CSS (see app.tcss). New turns are mounted at the
bottom and the view follows them only when the reader is already at the bottom, so scrolling back
to read an earlier comment is never interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static


class Turn(Static):
    """A turn of the conversation. Text is shown as written: "[sources]" is not markup."""

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False)


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
        super().__init__(text)
        self.question_id = question_id
        self.tooltip = "Click to change this answer"

    def on_click(self) -> None:
        self.post_message(self.EditRequested(self.question_id))


class Transcript(VerticalScroll):
    """The scrolling conversation."""

    def add(self, turn: Turn) -> Turn:
        follow = self.is_vertical_scroll_end or self.max_scroll_y == 0
        self.mount(turn)
        if follow and not self._follow_scheduled:
            self._follow_scheduled = True
            self.call_after_refresh(self._follow)
        return turn

    _follow_scheduled = False

    def _follow(self) -> None:
        self._follow_scheduled = False
        self.scroll_end(animate=False)

    def retire_answers(self, question_ids: set[str], css_class: str) -> None:
        """Mark earlier answers as changed or no longer applying (they stay readable, struck out)."""
        for turn in self.query(StaffTurn):
            if turn.question_id in question_ids:
                turn.add_class(css_class)
