"""The consult app: screens, global keys, command palette and themes.

Built by ``make_app`` for the CLI, the Pilot tests and the snapshot tests alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from assistant.startup import FirstQuestion
from assistant.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:  # the engine is imported after the first frame (see assistant.startup)
    from assistant.consult_session import ConsultSession
    from assistant.core.plan import Plan
    from assistant.core.search import KnowledgeSearch
    from assistant.files.clinic_file import Loaded
    from assistant.resources import Resources

LIGHT, DARK = "textual-light", "textual-dark"


class ConsultApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "Botulax consult"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
    ]

    def __init__(
        self,
        resources: Resources | None,
        today: date,
        *,
        loader: Callable[[], Loaded[Resources]] | None = None,
        first: FirstQuestion | None = None,
    ) -> None:
        """Either ``resources`` already loaded, or a ``loader`` run in a thread after the first
        question (``first``) is on screen."""
        super().__init__()
        self.today = today
        self.loader = loader
        self.first = first
        self.finished = False
        self.resources: Resources
        self.session: ConsultSession
        if resources is not None:
            self._use(resources)

    def _use(self, resources: Resources) -> None:
        from assistant.consult_session import ConsultSession

        self.resources = resources
        self.session = ConsultSession(resources, self.today)

    @cached_property
    def knowledge_search(self) -> KnowledgeSearch:
        """Built on the first question asked, not at start-up."""
        from assistant.core.search import KnowledgeSearch

        return KnowledgeSearch.for_knowledge(self.resources.kb)

    def on_mount(self) -> None:
        self.theme = DARK
        if self.first is not None and self.loader is not None:
            from assistant.tui.screens.welcome_screen import WelcomeScreen

            self.push_screen(WelcomeScreen(self.first))
            self.run_worker(self.loader, thread=True, name="load-engine")
            return
        self._start_consult()

    def _start_consult(self, carry: tuple[str, bool] | None = None) -> None:
        from assistant.tui.screens.consult_screen import ConsultScreen

        current = self.session.current
        if self.first is None or current is None or current.id != self.first.question_id:
            carry = None  # the snapshot was of another first question: nothing typed applies
        screen = ConsultScreen(self.session, carry=carry)
        if self.screen_stack and type(self.screen).__name__ == "WelcomeScreen":
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "load-engine" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        loaded = event.worker.result if event.state == WorkerState.SUCCESS else None
        if loaded is None or loaded.value is None:
            problems = "\n".join(str(p) for p in (loaded.problems if loaded else [event.worker.error]))
            self.exit(return_code=2, message=f"{problems}\nbotulax-consult: cannot start (botulax-consult check).")
            return
        carry = getattr(self.screen, "typed", None)
        self._use(loaded.value)
        self._start_consult(carry)

    # --- moving between screens ------------------------------------------------------------------
    def show_plan(self, session: ConsultSession, stop_early: bool = False) -> None:
        from assistant.core.problems import InvalidAnswers

        try:
            plan = session.plan(stop_early=stop_early)
        except InvalidAnswers as error:
            self.notify("\n".join(str(p) for p in error.problems), title="Cannot plan yet", severity="error")
            return
        from assistant.tui.screens.plan_screen import PlanScreen  # not needed until the end: faster start

        self.finished = True
        self.push_screen(PlanScreen(session, plan))

    def show_explanation(self, session: ConsultSession, plan: Plan) -> None:
        from assistant.documents import RenderError, render_patient

        try:
            text = render_patient(plan, session.resources.kb, session.resources.clinic, "text")
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
                while len(self.screen_stack) > 1:
                    self.pop_screen()
                self._start_consult()

        if self.finished or not self.session.answers:
            start(True)
        else:
            self.push_screen(ConfirmScreen("Discard this consult and start a new one?", danger=True), start)

    # --- global actions --------------------------------------------------------------------------
    async def action_quit(self) -> None:
        if self.finished or not self.session.answers:
            self.exit()
            return
        self.push_screen(
            ConfirmScreen("The consult is not finished. Quit anyway?", yes="Quit", no="Stay", danger=True),
            lambda ok: self.exit() if ok else None,
        )

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
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
        yield SystemCommand("Toggle light/dark theme", "Switch between light and dark", self.action_toggle_theme)


def make_app(
    resources: Resources | None = None,
    today: date | None = None,
    *,
    loader: Callable[[], Loaded[Resources]] | None = None,
    first: FirstQuestion | None = None,
) -> ConsultApp:
    """The one way to build the app (CLI, Pilot tests, snapshot tests).

    With ``loader`` and ``first`` the first question is drawn at once and the engine loads in a
    thread meanwhile; otherwise ``resources`` (loaded here when not given) are used from the start.
    """
    if resources is None and (loader is None or first is None):
        from assistant.resources import load_resources

        loaded = (loader or load_resources)()
        if loaded.value is None:
            raise SystemExit("\n".join(str(p) for p in loaded.problems))
        resources, loader, first = loaded.value, None, None
    return ConsultApp(resources, today or date.today(), loader=loader, first=first)
