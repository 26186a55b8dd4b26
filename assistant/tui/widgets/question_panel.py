"""The question being answered, pinned above its input (never only in the scrolling transcript,
where going back or a long comment could carry it out of sight), with why the last answer was not
taken under it. The consult screen says what to ask; this shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from assistant.tui.texts import LOT_PICK
from assistant.tui.widgets.answer_area import AnswerArea, ChoiceList, redraw

if TYPE_CHECKING:
    from assistant.services.consult_session import ConsultSession

ALL_ANSWERED = "All questions are answered. F2 reviews the answers and plans the doses."


class QuestionPanel(Vertical):
    _prompt_text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="question-prompt", markup=False)
        yield Static("", id="refusal", markup=False)
        yield AnswerArea(id="answer-area")

    def show(self, session: ConsultSession) -> bool:
        """The session's current question and its input; False when every question is answered
        (then the input is hidden, and the prompt says so)."""
        self.refuse(None)
        question = session.current
        prompt = self.query_one("#question-prompt", Static)
        area = self.query_one(AnswerArea)
        area.display = question is not None  # no input left over from the last question
        if question is None:
            self._set_prompt(ALL_ANSWERED)
            prompt.set_class(False, "-editing")
            return False
        editing = session.editing is not None
        vials = session.vial_choices(question)
        words = LOT_PICK if vials else question.prompt  # the script's "Enter to skip" is not so here
        self._set_prompt(f"Changing an earlier answer: {words}" if editing else words)
        prompt.set_class(editing, "-editing")
        if vials:
            area.show_vials(question, vials, session.vial_id)
        else:
            area.show(question, session.script, session.choices(question), session.suggested(question))
        return True

    def offer_vials(self, session: ConsultSession) -> None:
        """The open vials were read after the lot question was drawn as a text box (a draft resumed
        at it is drawn at once): the pick of them instead, unless something was typed there already."""
        question = session.current
        if question is not None and session.vial_choices(question) and self.query_one(AnswerArea).nothing_typed():
            self.show(session)

    def _set_prompt(self, text: str) -> None:
        if text != self._prompt_text:
            redraw(self.query_one("#question-prompt", Static), text, self._prompt_text)
            self._prompt_text = text

    def refocus(self) -> None:
        area = self.query_one(AnswerArea)
        if area.display:
            area.active.focus()

    def refuse(self, reason: str | None) -> None:
        """Show why an answer was not taken, under the question; only the latest, gone once taken."""
        refusal = self.query_one("#refusal", Static)
        if reason is None and not refusal.display:
            return  # nothing shown: nothing to lay out again
        refusal.update(f"Not taken: {reason}" if reason else "")
        refusal.display = reason is not None

    def on_choice_list_unchosen(self, event: ChoiceList.Unchosen) -> None:
        """Enter at a list with nothing highlighted: not an answer, and said so, as a refusal is."""
        event.stop()
        self.refuse(event.words)
