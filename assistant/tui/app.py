"""The consult app: screens, global keys, command palette and themes.

Built by ``make_app`` for the CLI, the Pilot tests and the snapshot tests alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from assistant.startup import FirstQuestion
from assistant.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:  # the engine is imported after the first frame (see assistant.startup)
    from assistant.core.plan import Plan
    from assistant.core.search import KnowledgeSearch
    from assistant.files.clinic_file import Loaded
    from assistant.files.resources import Resources
    from assistant.records import Draft, PatientHistory
    from assistant.services.consult_session import ConsultSession
    from assistant.services.recording import SessionRecorder
    from assistant.tui.screens.consult_screen import ConsultScreen

LIGHT, DARK = "textual-light", "textual-dark"


class ConsultApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "Botulax consult"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+r", "reload_files", "Reload files"),
    ]

    def __init__(
        self,
        resources: Resources | None,
        today: date,
        *,
        loader: Callable[[], Loaded[Resources]] | None = None,
        first: FirstQuestion | None = None,
        data_dir: Path | None = None,
        trainer: bool = False,
    ) -> None:
        """Either ``resources`` already loaded, or a ``loader`` run in a thread after the first
        question (``first``) is on screen. ``loader`` also reloads the files in trainer mode,
        where nothing is saved (a dry run)."""
        super().__init__()
        self.trainer = trainer
        self.today = today
        self.loader = loader
        self.first = first
        self.finished = False
        self.data_dir = data_dir
        self.staff_name: str | None = None
        self.staff_asked = False
        self.resources: Resources
        self.session: ConsultSession
        if resources is not None:
            self._use(resources)

    def _use(self, resources: Resources) -> None:
        from assistant.services.consult_session import ConsultSession

        self.resources = resources
        self.session = ConsultSession(resources, self.today)

    @cached_property
    def knowledge_search(self) -> KnowledgeSearch:
        """Built on the first question asked, not at start-up."""
        from assistant.core.search import KnowledgeSearch

        return KnowledgeSearch.for_knowledge(self.resources.kb)

    @property
    def engine_ready(self) -> bool:
        """False while the first question is drawn from the snapshot and the engine loads."""
        return hasattr(self, "session")

    def get_default_screen(self) -> Screen:
        """Until the engine has loaded, the bottom screen is drawn from the start-up snapshot (one
        screen fewer to lay out before the first question shows); the consult is pushed over it."""
        if not self.engine_ready and self.first is not None:
            from assistant.tui.screens.welcome_screen import WelcomeScreen

            return WelcomeScreen(self.first)
        return super().get_default_screen()

    def on_mount(self) -> None:
        self.theme = DARK
        self._show_mode()
        if self.engine_ready:
            self.start_consult()

    def on_ready(self) -> None:
        """The first frame is on screen. Only now does the engine load: its thread would hold the
        GIL while Textual lays out that frame."""
        if not self.engine_ready and self.loader is not None:
            self.run_worker(self.loader, thread=True, name="load-engine")

    @cached_property
    def recorder(self) -> SessionRecorder:
        from assistant.records import open_repository
        from assistant.services.recording import SessionRecorder

        return SessionRecorder(open_repository(self.data_dir))

    def _consult_screen(self, carry: tuple[str, bool] | None = None) -> ConsultScreen:
        from assistant.tui.screens.consult_screen import ConsultScreen

        current = self.session.current
        if self.first is None or current is None or current.id != self.first.question_id:
            carry = None  # the snapshot was of another first question: nothing typed applies
        return ConsultScreen(self.session, carry=carry)

    def start_consult(self, carry: tuple[str, bool] | None = None) -> None:
        """A new consult screen for the current session, in place of every screen but the bottom
        one (the welcome screen, or Textual's blank default)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(self._consult_screen(carry))
        self._offer_drafts()

    def _offer_drafts(self) -> None:
        """Once per run, outside trainer mode: an interrupted consult is offered for resuming."""
        if not getattr(self, "_drafts_offered", False) and not self.trainer:
            self._drafts_offered = True
            self.run_worker(self.recorder.repository.drafts, thread=True, name="drafts")

    # --- the record ------------------------------------------------------------------------------
    def on_consult_screen_answered(self, event: ConsultScreen.Answered) -> None:
        if self.trainer:
            return  # a dry run keeps no drafts and looks nobody up
        # After the next question is drawn: the record's disk writes never delay the screen.
        self.call_after_refresh(self._keep_draft, event.question_id)

    def _keep_draft(self, question_id: str) -> None:
        self.run_worker(
            partial(self.recorder.save_draft, self.session, self.staff_name),
            thread=True,
            group="draft",
            exclusive=True,
            name="draft",
        )
        if question_id == "patient_id" or (question_id == "patient_name" and "patient_id" in self.session.answers):
            self.run_worker(partial(self.recorder.returning, self.session), thread=True, name="returning")

    def _returning(self, history: PatientHistory | None) -> None:
        self.session.previous = history.last if history else None
        if history is None:
            return
        visits = f"{len(history.consults)} consult(s), the last on {history.consults[0].date.isoformat()}"
        text = f"Returning patient: {visits}."
        if history.prior is not None:
            from assistant.core.advice import zone_names

            self.session.prefill.update(history.prior.answers())
            zones = zone_names(self.resources.kb, history.prior.zones)
            text += (
                f" Last treatment {history.prior.date.isoformat()} ({zones}): the questions about the last "
                "treatment will be pre-filled with it; change them if they are not right."
            )
        self._consult_screen_say(text)

    def _consult_screen_say(self, text: str) -> None:
        for screen in self.screen_stack:
            if type(screen).__name__ == "ConsultScreen":
                screen.say(text)  # type: ignore[attr-defined]

    def _offer_draft(self, drafts: list[Draft]) -> None:
        if not drafts or self.session.answers:
            return
        draft = max(drafts, key=lambda d: d.updated_at)
        name = draft.answers.get("patient_name") or "an unnamed patient"
        when = draft.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")

        async def answer(resume: bool | None) -> None:
            if resume:
                self.session.resume(draft.answers)
                self.session.draft_id = draft.draft_id
                self.session.started_at = draft.started_at
                self._consult_screen_say(f"Resumed the consult of {name}, last answered {when}.")
                for screen in self.screen_stack:
                    if type(screen).__name__ == "ConsultScreen":
                        await screen.reload_question()  # type: ignore[attr-defined]
            else:
                self.run_worker(partial(self.recorder.repository.delete_draft, draft.draft_id), thread=True)

        self.push_screen(
            ConfirmScreen(
                f"An unfinished consult of {name} (last answered {when}) was kept. Resume it?",
                yes="Resume",
                no="Discard it",
            ),
            answer,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.name in ("draft", "returning", "drafts", "record"):
            self.notify(
                str(event.worker.error), title="The consult record could not be read or written", severity="error"
            )
            return
        if event.state == WorkerState.SUCCESS and event.worker.name == "returning":
            self._returning(event.worker.result)
            return
        if event.state == WorkerState.SUCCESS and event.worker.name == "drafts":
            self._offer_draft(event.worker.result)
            return
        if event.worker.name != "load-engine" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        loaded = event.worker.result if event.state == WorkerState.SUCCESS else None
        if loaded is None or loaded.value is None:
            problems = "\n".join(str(p) for p in (loaded.problems if loaded else [event.worker.error]))
            self.exit(return_code=2, message=f"{problems}\nbotulax-consult: cannot start (botulax-consult check).")
            return
        self._use(loaded.value)
        self.start_consult(getattr(self.screen_stack[0], "typed", None))

    # --- moving between screens ------------------------------------------------------------------
    def show_plan(self, session: ConsultSession, stop_early: bool = False) -> None:
        from assistant.core.problems import InvalidAnswers

        try:
            plan = session.plan(stop_early=stop_early)
        except InvalidAnswers as error:
            self.notify("\n".join(str(p) for p in error.problems), title="Cannot plan yet", severity="error")
            return
        if not self.staff_asked and not self.trainer:
            self._ask_staff(lambda: self._finish(session, plan))
        else:
            self._finish(session, plan)

    def _ask_staff(self, then: Callable[[], None]) -> None:
        """Once per terminal session: who is running the consults (remembered for next time)."""
        from assistant.files.user_config import UserConfig, load_user_config, save_user_config
        from assistant.tui.screens.staff_screen import StaffScreen

        def answered(name: str | None) -> None:
            self.staff_asked = True
            self.staff_name = name
            if name:
                try:
                    save_user_config(UserConfig(staff_name=name))
                except (OSError, ValueError) as error:  # ValueError: a name with control characters
                    self.notify(f"Your name could not be remembered: {error}", severity="warning", markup=False)
            then()

        self.push_screen(StaffScreen(load_user_config().staff_name), answered)

    def _finish(self, session: ConsultSession, plan: Plan) -> None:
        from assistant.records import RecordsError
        from assistant.tui.screens.plan_screen import PlanScreen  # not needed until the end: faster start

        record = None
        try:
            if not self.trainer:
                record = self.recorder.finish(session, plan, self.staff_name)
        except RecordsError as error:
            self.notify(f"{error}", title="The consult was planned but NOT saved", severity="error", timeout=30)
        self.finished = True
        self.push_screen(PlanScreen(session, plan, record))

    def show_explanation(self, session: ConsultSession, plan: Plan) -> None:
        from assistant.documents import RenderError, render_patient

        try:
            text = render_patient(plan, session.resources.kb, session.resources.clinic, "text", answers=session.answers)
        except RenderError as error:
            self.notify(str(error), title="Template problem", severity="error")
            return
        from assistant.tui.screens.explanation_screen import ExplanationScreen

        self.push_screen(ExplanationScreen(str(text)))

    def new_consult(self) -> None:
        def start(ok: bool | None) -> None:
            if ok:
                self._use(self.resources)
                self.finished = False
                self.start_consult()

        if self.finished or not self.session.answers:
            start(True)
        else:
            self.push_screen(ConfirmScreen("Discard this consult and start a new one?", danger=True), start)

    # --- global actions --------------------------------------------------------------------------
    async def action_quit(self) -> None:
        if self.finished or not self.engine_ready or not self.session.answers:
            self.exit()
            return
        self.push_screen(
            ConfirmScreen(
                "The consult is not finished. Quit anyway?"
                + ("" if self.trainer else "\n\nIt is kept as a draft and offered for resuming next time."),
                yes="Quit",
                no="Stay",
                danger=True,
            ),
            lambda ok: self.exit() if ok else None,
        )

    # --- trainer mode ----------------------------------------------------------------------------
    def _show_mode(self) -> None:
        self.set_class(self.trainer, "-trainer")
        self.title = "Botulax consult · TRAINER (dry run: nothing is saved)" if self.trainer else self.TITLE
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload_files":
            return self.trainer
        return True

    def action_trainer_mode(self) -> None:
        self.trainer = True
        self._show_mode()
        self._trainer_note(
            "Trainer mode: Ctrl+R reloads the script, knowledge and templates from disk. Nothing is saved."
        )

    def _trainer_note(self, text: str) -> None:
        for screen in self.screen_stack:
            for panel in screen.query("#trainer-panel"):
                panel.update(text)  # type: ignore[attr-defined]

    async def action_reload_files(self) -> None:
        """Read the files again; show their problems, or go on with them keeping the answers given."""
        from assistant.files.resources import load_resources

        loaded = (self.loader or load_resources)()
        lines = [str(p) for p in loaded.problems]
        if loaded.value is None:
            self._trainer_note(
                "Not reloaded: the files have problems (the consult goes on with the last good files):\n"
                + "\n".join(lines)
            )
            self.bell()
            return
        answers = dict(self.session.answers)
        self._use(loaded.value)
        self.session.resume(answers)
        self.finished = False
        self.start_consult()
        script, kb = loaded.value.script, loaded.value.kb
        note = f"Reloaded: script {script.id} {script.version}, knowledge {kb.id} {kb.version}; answers kept."
        self.call_after_refresh(self._trainer_note, "\n".join([note, *lines]))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.engine_ready:
            return  # only Textual's own commands until the consult has loaded
        consult = screen if type(screen).__name__ == "ConsultScreen" else None
        if consult is not None:
            yield SystemCommand("Back one question", "Go back to the previous question", consult.action_back)
            yield SystemCommand("Review answers", "All answers on one page, each editable", consult.action_review)
            yield SystemCommand("Ask the knowledge base", "Look up doses, timing, safety", consult.action_focus_ask)
            yield SystemCommand("Why we ask", "Show the help text of this question", consult.action_help)
        explanation = getattr(screen, "action_explanation", None)
        if explanation is not None:
            yield SystemCommand("Patient explanation", "Preview the printed explanation", explanation)
        yield SystemCommand("New consult", "Start a new consult", self.new_consult)
        if self.trainer:
            yield SystemCommand(
                "Reload files", "Read the script, knowledge and templates again", self.action_reload_files
            )
        else:
            yield SystemCommand(
                "Trainer mode",
                "Reload files from disk as you edit them; a dry run that saves nothing",
                self.action_trainer_mode,
            )
        yield SystemCommand("Toggle light/dark theme", "Switch between light and dark", self.action_toggle_theme)


def make_app(
    resources: Resources | None = None,
    today: date | None = None,
    *,
    loader: Callable[[], Loaded[Resources]] | None = None,
    first: FirstQuestion | None = None,
    data_dir: Path | None = None,
    trainer: bool = False,
) -> ConsultApp:
    """The one way to build the app (CLI, Pilot tests, snapshot tests).

    With ``loader`` and ``first`` the first question is drawn at once and the engine loads in a
    thread meanwhile; otherwise ``resources`` (loaded here when not given) are used from the start.
    """
    if resources is None and (loader is None or first is None):
        from assistant.files.resources import load_resources

        loaded = (loader or load_resources)()
        if loaded.value is None:
            raise SystemExit("\n".join(str(p) for p in loaded.problems))
        resources, first = loaded.value, None
    return ConsultApp(resources, today or date.today(), loader=loader, first=first, data_dir=data_dir, trainer=trainer)
