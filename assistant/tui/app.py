"""The consult app: screens, global keys, command palette and themes.

Built by ``make_app`` for the CLI, the Pilot tests and the snapshot tests alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cached_property
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from assistant.consult_session import ConsultSession
from assistant.core.plan import Plan
from assistant.core.problems import InvalidAnswers
from assistant.core.search import KnowledgeSearch
from assistant.resources import Resources
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.explanation_screen import ExplanationScreen
from assistant.tui.screens.plan_screen import PlanScreen

LIGHT, DARK = "textual-light", "textual-dark"


class ConsultApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "Botulax consult"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
    ]

    def __init__(self, resources: Resources, today: date) -> None:
        super().__init__()
        self.resources = resources
        self.today = today
        self.session = ConsultSession(resources, today)
        self.finished = False

    @cached_property
    def knowledge_search(self) -> KnowledgeSearch:
        return KnowledgeSearch.for_knowledge(self.resources.kb)

    def on_mount(self) -> None:
        self.theme = DARK
        self.push_screen(ConsultScreen(self.session))

    # --- moving between screens ------------------------------------------------------------------
    def show_plan(self, session: ConsultSession, stop_early: bool = False) -> None:
        try:
            plan = session.plan(stop_early=stop_early)
        except InvalidAnswers as error:
            self.notify("\n".join(str(p) for p in error.problems), title="Cannot plan yet", severity="error")
            return
        self.finished = True
        self.push_screen(PlanScreen(session, plan))

    def show_explanation(self, session: ConsultSession, plan: Plan) -> None:
        from assistant.documents import RenderError, render_patient

        try:
            text = render_patient(plan, session.resources.kb, session.resources.clinic, "text")
        except RenderError as error:
            self.notify(str(error), title="Template problem", severity="error")
            return
        self.push_screen(ExplanationScreen(str(text)))

    def new_consult(self) -> None:
        def start(ok: bool | None) -> None:
            if ok:
                self.session = ConsultSession(self.resources, self.today)
                self.finished = False
                while len(self.screen_stack) > 1:
                    self.pop_screen()
                self.push_screen(ConsultScreen(self.session))

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
        consult = screen if isinstance(screen, ConsultScreen) else None
        if consult is not None:
            yield SystemCommand("Back one question", "Go back to the previous question", consult.action_back)
            yield SystemCommand("Review answers", "All answers on one page, each editable", consult.action_review)
            yield SystemCommand("Ask the knowledge base", "Look up doses, timing, safety", consult.action_focus_ask)
            yield SystemCommand("Why we ask", "Show the help text of this question", consult.action_help)
        if isinstance(screen, PlanScreen):
            yield SystemCommand("Patient explanation", "Preview the printed explanation", screen.action_explanation)
        yield SystemCommand("New consult", "Start a new consult", self.new_consult)
        yield SystemCommand("Toggle light/dark theme", "Switch between light and dark", self.action_toggle_theme)


def make_app(resources: Resources | None = None, today: date | None = None) -> ConsultApp:
    """The one way to build the app (CLI, Pilot tests, snapshot tests)."""
    if resources is None:
        from assistant.resources import load_resources

        loaded = load_resources()
        if loaded.value is None:
            raise SystemExit("\n".join(str(p) for p in loaded.problems))
        resources = loaded.value
    return ConsultApp(resources, today or date.today())
