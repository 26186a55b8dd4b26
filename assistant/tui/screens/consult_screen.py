"""The consult as a conversation: the assistant asks, the practitioner answers. Thin by design:
the session decides what comes next, the widgets show it (the question pinned above its input,
``widgets/question_panel.py``); this screen routes messages between them and the collaborators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from assistant.services.consult_session import ConsultSession, Submission
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consult_turns import answer_turns, knowledge_turns
from assistant.tui.texts import ASK_PLACEHOLDER
from assistant.tui.widgets.answer_area import SKIP_LOT, TYPE_LOT, AnswerArea, lot_answer
from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.question_panel import QuestionPanel
from assistant.tui.widgets.server_line import ServerLine
from assistant.tui.widgets.steady_header import SteadyHeader
from assistant.tui.widgets.title_bar import patient_sub_title, refit_header
from assistant.tui.widgets.transcript import AssistantTurn, HelpTurn, KnowledgeTurn, StaffTurn, Transcript

if TYPE_CHECKING:
    from assistant.core.search import Hit
    from assistant.tui.collaborators.finishing import Finishing
    from assistant.tui.collaborators.returning import ReturningPatients
    from assistant.tui.messages import AnswersTakenBack


class ConsultScreen(Screen[None]):
    @dataclass
    class Answered(Message):
        """An answer was taken (the app keeps the draft)."""

        question_id: str

    BINDINGS = [
        Binding("f1", "help", "Why we ask"),
        Binding("escape", "back", "Back"),
        Binding("f2", "review", "Review"),
        Binding("f3,question_mark", "focus_ask", "Ask (?)"),
        Binding("f4", "app.drafts", "Drafts", show=False),
        # The transcript scrolls by keyboard whatever input has focus (none of them needs these keys).
        Binding("pageup", "scroll_transcript(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_transcript(1)", "Scroll down", show=False, priority=True),
        Binding("ctrl+home", "transcript_edge(0)", "Transcript top", show=False, priority=True),
        Binding("ctrl+end", "transcript_edge(1)", "Transcript end", show=False, priority=True),
        Binding("home", "transcript_edge(0)", "Transcript top", show=False),  # where no input owns Home/End
        Binding("end", "transcript_edge(1)", "Transcript end", show=False),
    ]
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)  # the two widgets redraw, not the screen

    def __init__(
        self,
        session: ConsultSession,
        carry: str | None = None,
        *,
        returning: ReturningPatients,
        finishing: Finishing,
        search: Callable[[str], list[Hit]],
        until_drawn: Callable[[Widget], None],
    ) -> None:
        """``carry``: text typed on the welcome screen; ``returning`` looks the patient up once she is identified;
        ``finishing`` plans (the review's P, or a stop); ``search`` asks the knowledge base; ``until_drawn``
        holds the garbage collector off until a widget's next frame (collector_pause.py)."""
        super().__init__()
        self.session, self.carry, self.search, self.until_drawn = session, carry, search, until_drawn
        self.returning, self.finishing = returning, finishing
        self.reviewed: str | None = None  # the review's row last changed: its cursor goes back there

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        yield ServerLine()
        yield Static("", id="trainer-panel", markup=False)
        yield Transcript(id="transcript")
        yield QuestionPanel(id="question-panel")
        yield Input(placeholder=ASK_PLACEHOLDER, id="ask")
        yield SteadyFooter()

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    async def on_mount(self) -> None:
        if not self.query(Transcript):  # quit as the engine came: the app closed this screen's widgets already
            return
        if intro := self.session.script.intro:
            self.transcript.add(AssistantTurn(intro))
        await self.ask_current()
        if self.carry:
            field = self.query_one("#answer-text", Input)
            field.value = self.carry
            field.cursor_position = len(self.carry)  # typing goes on after it, as on the welcome screen

    # --- showing the question ------------------------------------------------------------------
    @property
    def panel(self) -> QuestionPanel:
        return self.query_one(QuestionPanel)

    async def ask_current(self, review_when_done: bool = True) -> None:
        asking = self.panel.show(self.session)
        self.app.sub_title = self.header_sub_title()
        if not asking and review_when_done:
            self.open_review()

    def header_sub_title(self) -> str:
        number, total = self.session.progress()
        name = self.session.patient_name() or "new patient"
        return patient_sub_title(self.app, name, f"question {number} of {total}")

    def on_resize(self) -> None:
        refit_header(self)

    def refocus(self) -> None:
        self.panel.refocus()

    def refuse(self, reason: str | None) -> None:
        self.panel.refuse(reason)

    # --- answers ---------------------------------------------------------------------------------
    async def on_answer_area_submitted(self, event: AnswerArea.Submitted) -> None:
        raw = event.raw
        if (isinstance(raw, str) and raw in (TYPE_LOT, SKIP_LOT)) or str(raw).startswith("vial:"):
            await self._lot_picked(str(raw))
            return
        if isinstance(raw, str) and raw.lstrip().startswith("?"):
            self.query_one("#answer-text", Input).value = ""
            self.ask_knowledge(raw.lstrip()[1:])
            return
        await self.take(raw)

    async def _lot_picked(self, choice: str) -> None:
        """At the lot question: an open vial (its lot taken, its expiry suggested next), another, or none."""
        if choice == TYPE_LOT:
            self.session.typing_lot = True
            await self.ask_current()
            return
        lot = lot_answer(self.session, choice)
        if lot is not None:
            await self.take(lot)

    async def take(self, raw: object, confirmed: bool = False) -> None:
        submission = self.session.submit(raw, confirmed)
        if not submission.verdict.accepted:
            self.refuse(" ".join(submission.verdict.errors))
            self.refocus()
            self.query_one(AnswerArea).select_rejected()
            return
        if submission.needs_confirmation:
            message = "\n\n".join(submission.verdict.warnings) + "\n\nGo on with this answer?"

            async def after_confirm(ok: bool | None) -> None:
                if ok:
                    await self.take(raw, confirmed=True)
                else:
                    self.refocus()
                    self.query_one(AnswerArea).select_rejected()

            self.app.push_screen(ConfirmScreen(message, yes="Confirm", no="Change it"), after_confirm)
            return
        if submission.unchanged:  # an earlier answer as it was: its turns stand, struck out nowhere
            await self.returning.answered_again(self.session, submission.question.id)
            await self.ask_current()
            return
        await self.record(submission)

    async def record(self, submission: Submission) -> None:
        self.until_drawn(self)  # the key's pause of the collector may have ended on a frame before this
        with self.app.batch_update():  # one refresh for the answer, the comments and the next question
            stopped = self._record(submission)
            if stopped:
                return
            if self.session.identifies_patient(submission.question.id):
                with self.transcript.held():  # its turns, and a notice after them, the frame after the question
                    await self.returning.look_up(self.session)
            await self.ask_current()

    def _record(self, submission: Submission) -> bool:
        """The answer and the knowledge base's comments into the transcript; True when the consult
        stops here (a contraindication, asked in a dialog)."""
        question = submission.question
        transcript = self.transcript
        transcript.retire_answers({question.id}, "-changed")
        turns, stop = answer_turns(submission, self.session.shown_answer(question), self.session.prompt_of)
        self.refuse(None)
        self.post_message(self.Answered(question.id))
        if submission.dropped:
            transcript.retire_answers(set(submission.dropped), "-dropped")
        transcript.add_all(turns)
        if stop is None:
            return False
        self.app.push_screen(
            ConfirmScreen(
                f"{stop.text}\n\nStop the consult here and record it as contraindicated?",
                yes="Stop here",
                no="Change the answer",
                danger=True,
            ),
            partial(self.stop_here, question.id),
        )
        return True

    async def stop_here(self, question_id: str, stop: bool | None) -> None:
        if stop:
            self.finishing.show_plan(self.session, stop_early=True)
        else:
            await self.edit(question_id)

    def say(self, text: str) -> None:
        """A remark from outside the conversation flow (a returning patient found, a draft resumed)."""
        self.transcript.add(KnowledgeTurn(text), follow=True)

    async def on_answers_taken_back(self, message: AnswersTakenBack) -> None:
        if message.session is self.session:  # struck out, and the question now due asked (not the one shown)
            self.transcript.retire_answers(set(message.questions), "-dropped")
            await self.ask_current()

    # --- knowledge -------------------------------------------------------------------------------
    def ask_knowledge(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.transcript.add(AssistantTurn("Type a question after the ?, e.g. ? max glabella"), follow=True)
            return
        asked = self.transcript.add(StaffTurn(f"? {text}", question_id=""), follow=True)
        for turn in knowledge_turns(text, self.search(text)):
            self.transcript.add(turn)
        self.transcript.reveal(asked)  # read from the top of the answer (PageDown for the rest)
        self.refocus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "ask":
            return
        event.stop()
        event.input.value = ""
        self.ask_knowledge(event.value.lstrip("? "))

    # --- navigation ------------------------------------------------------------------------------
    async def on_staff_turn_edit_requested(self, event: StaffTurn.EditRequested) -> None:
        if event.question_id:
            await self.edit(event.question_id)

    async def edit(self, question_id: str) -> None:
        self.session.edit(question_id)
        await self.ask_current()

    async def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "ask":
            self.refocus()
            return
        if self.session.back() is None:  # at the first question
            self.app.bell()
            return
        await self.ask_current()

    def action_help(self) -> None:
        if (question := self.session.current) is not None:
            help_text = question.help or "no help text for this question yet."
            self.transcript.add(HelpTurn(f"Why we ask “{question.prompt}”: {help_text}"), follow=True)

    def action_focus_ask(self) -> None:
        self.query_one("#ask", Input).focus()

    def action_scroll_transcript(self, pages: int) -> None:
        self.transcript.page(pages)

    def action_transcript_edge(self, end: int) -> None:
        self.transcript.edge(end)

    def action_review(self) -> None:
        if self.session.answers:
            self.open_review()

    def open_review(self) -> None:
        from assistant.tui.screens.review_screen import ReviewScreen  # DataTable: imported when first needed

        self.app.push_screen(ReviewScreen(self.session, at=self.reviewed), self.after_review)

    async def after_review(self, choice: tuple[str, str | None] | None) -> None:
        action, question_id = choice or ("back", None)
        if action == "edit" and question_id:
            self.reviewed = question_id
            await self.edit(question_id)
        elif action == "plan":
            if self.session.complete:
                self.app.sub_title = self.header_sub_title()  # the review is gone: not "review" over who ran it
                self.finishing.show_plan(self.session)
            else:
                self.transcript.add(AssistantTurn("Some questions are still open; answer them first."), follow=True)
                await self.ask_current()
        else:
            await self.ask_current(review_when_done=False)
