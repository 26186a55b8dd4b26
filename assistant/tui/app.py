"""The consult app: screens, global keys, command palette and themes.

Built by ``make_app`` for the CLI, the Pilot tests and the snapshot tests alike. Every key goes
through the key gate (``key_gate.py``): applied in order, one at a time, whatever screen change
is under way. The app is assembled from mixins, one job each: ``record_keeping.py`` (drafts,
returning patients), ``dialogs.py``, ``at_the_keyboard.py`` (account, PIN, idle lock),
``treatment_flow.py`` (given, sign, amend, to sign, who is due), ``finishing.py`` (the end of a
consult), ``trainer_mode.py``, ``palette.py`` and ``start_dialogs.py`` (clinic settings, drafts).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from assistant.startup import FirstQuestion
from assistant.tui.key_gate import KeyGate
from assistant.tui.palette import DARK
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.welcome_screen import WelcomeScreen
from assistant.tui.start_dialogs import StartDialogs

if TYPE_CHECKING:  # the engine is imported after the first frame (see assistant.startup)
    from textual.notifications import SeverityLevel
    from textual.widget import AwaitMount

    from assistant.core.plan import Plan
    from assistant.core.search import KnowledgeSearch
    from assistant.files.clinic_file import Loaded
    from assistant.files.resources import Resources
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.screens.consult_screen import ConsultScreen

APP_KEYS = frozenset({"ctrl+q", "ctrl+p", "ctrl+t"})
"""Keys that act on the app itself; on the welcome screen they work at once, loaded or not."""


class ConsultApp(StartDialogs):
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
        database: str | None = None,
        trainer: bool = False,
        ask_clinic: bool = False,
    ) -> None:
        """Either ``resources`` already loaded, or a ``loader`` run in a thread after the first
        question (``first``) is on screen. ``loader`` also reloads the files in trainer mode,
        where nothing is saved (a dry run). ``ask_clinic``: no clinic settings were found, so
        they are asked for once at start."""
        super().__init__()
        self.trainer = trainer
        self.today = today
        self.loader = loader
        self.first = first
        self.finished = False
        self.data_dir = data_dir
        self.database = database
        self.kept_state = {}
        self.ask_clinic = ask_clinic
        self.staff_name: str | None = None
        self.staff_asked = False
        self.key_gate = KeyGate(self)
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
            return WelcomeScreen(self.first)
        return super().get_default_screen()

    def on_mount(self) -> None:
        self.theme = DARK
        self._show_mode()
        if self.engine_ready:
            self.key_gate.hold("loading")
            self.call_later(self._begin)

    def on_ready(self) -> None:
        """The first frame is on screen. Only now does the engine load: its thread would hold the
        GIL while Textual lays out that frame."""
        if not self.engine_ready and self.loader is not None:
            self.run_worker(self.loader, thread=True, name="load-engine")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notices carry names, answers and file paths: always shown literally, never as markup. While
        the idle lock is up they are held, and shown once it opens."""
        if self.idle_lock.hold({"message": message, "title": title, "severity": severity, "timeout": timeout}):
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # --- keys ------------------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self.keyboard_used()
            for key in self.key_gate.admit(event):
                if self._waits_for_engine(key):
                    self.key_gate.put_back(key)
                    self.key_gate.hold("loading")
                    self.screen.show_loading()  # type: ignore[attr-defined]
                    return
                await super().on_event(key)
                self.key_gate.delivered()
            return
        await super().on_event(event)

    def _waits_for_engine(self, key: events.Key) -> bool:
        """On the welcome screen, typing edits its input; any other key (Enter, Esc, F1...) waits,
        with every key after it, for the consult screen."""
        return (
            not self.engine_ready
            and isinstance(self.screen, WelcomeScreen)
            and not WelcomeScreen.edits(key)
            and key.key not in APP_KEYS
        )

    # --- start -----------------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.ERROR and worker.name != "load-engine":
            # Work in the background (reading the record, a dialog's use case, finishing a consult)
            # never ends in silence: its error is said, and what was typed stays.
            if worker.name in ("start-dialogs", "drafts", "returning", "vials", "to-sign"):
                self.notify(str(worker.error), title="The consult record could not be read", severity="error")
            else:
                self.notify(
                    f"{worker.error} Nothing typed is lost; try again.",
                    title="That could not be done",
                    severity="error",
                    timeout=20,
                )
            return
        if worker.name != "load-engine" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        loaded = worker.result if event.state == WorkerState.SUCCESS else None
        if loaded is None or loaded.value is None:
            problems = "\n".join(str(p) for p in (loaded.problems if loaded else [worker.error]))
            self.exit(return_code=2, message=f"{problems}\nbotulax-consult: cannot start (botulax-consult check).")
            return
        self._use(loaded.value)
        # Keys already on their way to the welcome screen's input land there first; every later
        # key waits for the consult screen, which takes over with the text typed.
        self.key_gate.hold_then("loading", self._hand_over)

    async def _hand_over(self) -> None:
        welcome = self.screen_stack[0]
        typed = welcome.typed if isinstance(welcome, WelcomeScreen) else None
        current = self.session.current
        if self.first is not None and (current is None or current.id != self.first.question_id):
            # The snapshot was of another first question: what was typed was for that one.
            if self.key_gate.drop_held() or typed:
                self.call_later(self.say, "The first question changed while loading; please type the answer again.")
            typed = None
        await self._begin(typed)

    async def _begin(self, carry: str | None = None) -> None:
        try:
            await self.start_consult(carry)
        finally:
            self.key_gate.release("loading")
        # What start-up made (the engine, the knowledge base, the widgets) lives as long as the
        # app: kept out of the garbage collector's full passes, which would otherwise stall an
        # answer now and then for tens of milliseconds.
        gc.freeze()
        self.run_worker(self._start_dialogs(), name="start-dialogs", exit_on_error=False)
        if not self.trainer:
            self.watch_idle()
            self.run_worker(self.staff_accounts(), name="staff-register", exit_on_error=False)  # the copy refreshed
            self.refresh_to_sign()
            self.load_vials(self.session)

    def _consult_screen(self, carry: str | None = None) -> ConsultScreen:
        from assistant.tui.screens.consult_screen import ConsultScreen

        return ConsultScreen(self.session, carry=carry)

    def start_consult(self, carry: str | None = None) -> AwaitMount:
        """A new consult screen for the current session, in place of every screen but the bottom
        one (the welcome screen, or Textual's blank default); await it to have it mounted."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return self.push_screen(self._consult_screen(carry))

    # --- answers and the record ------------------------------------------------------------------
    def on_consult_screen_answered(self, event: ConsultScreen.Answered) -> None:
        self.call_after_refresh(self.keep_draft)

    # --- moving between screens ------------------------------------------------------------------
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
        session = self.session

        def start(ok: bool | None) -> None:
            if ok:
                if not self.finished:
                    self.discard_consult(session)
                self.clear_notifications()  # nothing said about the last consult carries into the next
                self._use(self.resources)
                self.finished = False
                self.start_consult()
                self.load_vials(self.session)

        if self.finished or not session.answers:
            start(True)
        else:
            self.push_screen(
                ConfirmScreen(
                    "Discard this consult and start a new one? Its answers are deleted, not kept as a draft.",
                    yes="Discard it",
                    no="Keep going",
                    danger=True,
                ),
                start,
            )

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

    def exit(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        if "drafts" in self.__dict__:
            with contextlib.suppress(TimeoutError):
                self.drafts.flush(timeout=5)  # the last answer's draft reaches the disk before we go
        super().exit(*args, **kwargs)  # type: ignore[arg-type]


def make_app(
    resources: Resources | None = None,
    today: date | None = None,
    *,
    loader: Callable[[], Loaded[Resources]] | None = None,
    first: FirstQuestion | None = None,
    data_dir: Path | None = None,
    database: str | None = None,
    trainer: bool = False,
    ask_clinic: bool = False,
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
    return ConsultApp(
        resources,
        today or date.today(),
        loader=loader,
        first=first,
        data_dir=data_dir,
        database=database,
        trainer=trainer,
        ask_clinic=ask_clinic,
    )
