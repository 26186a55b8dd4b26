"""The consult app, the composition root: it builds the collaborators (``collaborators/``) once, passing each
what it works with, and holds the global keys, the themes and the palette (``commands.py``). Behaviour lives in
the screens and those plain objects (``docs/tui.md``). Built by ``make_app`` for the CLI, the Pilot and the
snapshot tests; every key goes through ``key_gate.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.reactive import Reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from assistant.startup import FirstQuestion
from assistant.tui import styles
from assistant.tui.collaborators.chart_desk import ChartDesk
from assistant.tui.collaborators.current import Current
from assistant.tui.collaborators.drafts import Drafts
from assistant.tui.collaborators.finishing import Finishing
from assistant.tui.collaborators.idle_lock import IdleLock
from assistant.tui.collaborators.leaving import Leaving
from assistant.tui.collaborators.live_updates import LiveUpdates
from assistant.tui.collaborators.record_desk import RecordDesk
from assistant.tui.collaborators.record_link import RecordLink
from assistant.tui.collaborators.returning import ReturningPatients
from assistant.tui.collaborators.signed_in import SignedIn
from assistant.tui.collaborators.start_dialogs import StartDialogs
from assistant.tui.collaborators.trainer_mode import TrainerMode
from assistant.tui.collector_pause import CollectorPause
from assistant.tui.commands import DARK, LIGHT, allowed_over, app_bindings, palette
from assistant.tui.dialogs import Dialogs
from assistant.tui.key_gate import KeyGate
from assistant.tui.screens.welcome_screen import WelcomeScreen
from assistant.tui.stage import Stage
from assistant.tui.start_up import StartUp

if TYPE_CHECKING:  # the engine is imported after the first frame (see assistant.startup)
    from textual.message import Message
    from textual.notifications import SeverityLevel
    from textual.widget import AwaitMount

    from assistant.core.lifecycle.staff import StaffAccount
    from assistant.files.clinic_file import Loaded
    from assistant.files.resources import Resources
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.screens.consult_screen import ConsultScreen

APP_KEYS = frozenset({"ctrl+q", "ctrl+p", "ctrl+t"})
"""Keys that act on the app itself; on the welcome screen they work at once, loaded or not."""


class ConsultApp(App[None]):
    CSS_PATH = styles.BOTH  # absolute, so subclasses elsewhere find them
    TITLE = "Botulax consult"
    BINDINGS = app_bindings()  # a key for each of the palette's actions (commands.py)
    # App's, without a whole-screen repaint at each change (every answer): the header redraws its own line
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

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
        """Either ``resources`` already loaded, or a ``loader`` run in a thread after the first question
        (``first``) is on screen. ``loader`` also reloads the files in trainer mode, where nothing is saved
        (a dry run). ``ask_clinic``: no clinic settings were found, so they are asked for once at start."""
        super().__init__()
        self.first = first
        if resources is None and first is not None:  # the welcome screen first: the rest after it is drawn
            self.css_path = [styles.FIRST]
        self.current = current = Current(today, trainer, data_dir, database, ask_clinic, loader)  # fields' order
        self.key_gate = gate = KeyGate(self)
        self.idle_lock, self.collector = IdleLock(), CollectorPause(self)
        self.stage = stage = Stage(self, current, self.collector.until_drawn)
        self.dialogs = dialogs = Dialogs(self, gate, self.idle_lock)
        self.records = records = RecordLink(current, self, stage.offer_vials)
        self.signed_in = signed_in = SignedIn(current, self, dialogs, records, self.idle_lock)
        self.drafts = drafts = Drafts(current, self, dialogs, records, lambda s: self.returning.look_up_later(s))
        self.returning = ReturningPatients(current, self, dialogs, records, stage.show_name, drafts.offer_hers)
        self.record_desk = desk = RecordDesk(current, self, dialogs, records, signed_in, stage.show_to_sign)
        self.finishing = Finishing(current, self, dialogs, records, signed_in, self.drafts, desk, stage.show_plan)
        stage.cast(returning=self.returning, finishing=self.finishing, desk=desk)
        self.chart_desk = ChartDesk(current, self, dialogs, records, signed_in, desk, self.returning)
        self.live = LiveUpdates(current, self, records, desk, stage.show_server_line)  # changes made elsewhere
        self.trainer_mode = TrainerMode(current, self, stage.trainer_note, stage.show_mode)
        self.start_dialogs = StartDialogs(current, self, dialogs, gate, self.drafts, records, signed_in)
        self.leaving = Leaving(
            current, self, dialogs, self.drafts, records, clear_notices=self.clear_notifications, leave=self.exit
        )
        rest, collector = partial(styles.add_the_rest, self), self.collector
        self.start_up = StartUp(current, self, stage, gate, first, self.exit, self._started, rest, collector)
        if resources is not None:
            current.use(resources)

    # --- what the tests and the screens read of the consult in hand ------------------------------
    @property
    def session(self) -> ConsultSession:
        return self.current.consult

    @property
    def resources(self) -> Resources:
        return self.current.files

    @property
    def account(self) -> StaffAccount | None:
        return self.signed_in.account

    @property
    def locked(self) -> bool:
        return self.idle_lock.up

    # --- start -----------------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """Until the engine has loaded, the bottom screen is drawn from the start-up snapshot (one
        screen fewer to lay out before the first question shows); the consult is pushed over it."""
        if not self.current.engine_ready and self.first is not None:
            return WelcomeScreen(self.first)
        return super().get_default_screen()

    def on_mount(self) -> None:
        self.theme = DARK
        self.stage.show_mode()
        if self.current.engine_ready:
            self.key_gate.hold("loading")
            self.call_later(self.start_up.begin)

    def on_unmount(self) -> None:
        self.collector.resume()  # never left off once the app is gone (the tests run many in one process)
        self.drafts.leave()  # the last answer's draft reaches the disk, free for any workstation (issue 22.4)

    def on_ready(self) -> None:
        """The first frame is laid out: the engine loads once it is drawn (``StartUp.first_frame``)."""
        self.start_up.first_frame()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.ERROR and worker.name != "load-engine":
            self.dialogs.failed(worker)
            return
        if worker.name != "load-engine" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if not self.is_running:  # quit while it loaded: the screens are closing, nothing to hand over to
            return
        self.start_up.loaded(worker.result if event.state == WorkerState.SUCCESS else None, worker.error)

    def _started(self) -> None:
        """Once per run, the first consult on screen."""
        self.run_worker(self.start_dialogs.run(), name="start-dialogs", exit_on_error=False)
        if not self.current.trainer:
            self.signed_in.watch_idle()
            self.run_worker(self.signed_in.staff_accounts(), name="staff-register", exit_on_error=False)  # the copy
            self.record_desk.refresh_to_sign()
            self.records.load_vials(self.session)
            self.live.start()

    # --- keys ------------------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self.collector.until_next_frame()  # a key's frame first, then any collection (collector_pause.py)
            self.signed_in.keyboard_used()
            for key in self.key_gate.admit(event):
                if not self.screen_stack:
                    return  # closing: a key let through after the last screen went has nothing to type into
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
            not self.current.engine_ready
            and isinstance(self.screen, WelcomeScreen)
            and not WelcomeScreen.edits(key)
            and key.key not in APP_KEYS
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the idle lock is up the app's actions are refused (the palette, To sign, Who is due,
        the clinic settings...): only the account picker works. Ctrl+R reloads in trainer mode only."""
        if not self.idle_lock.allows(action) or not allowed_over(self.screen, action):
            return False  # and over a dialog, only Quit and light/dark (commands.py)
        if action == "reload_files":
            return self.current.trainer
        return super().check_action(action, parameters)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return palette(self, screen)  # clinic actions only; nothing behind the idle lock

    # --- what the collaborators ask of the app (``collaborators/host.py``) -----------------------
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

    def say(self, text: str) -> None:
        self.stage.say(text)

    def tell_screens(self, message: Message) -> None:
        self.stage.tell_screens(message)

    def start_consult(self, carry: str | None = None) -> AwaitMount:
        return self.stage.start_consult(carry)

    def on_consult_screen_answered(self, event: ConsultScreen.Answered) -> None:
        self.call_after_refresh(self.drafts.keep)

    # --- global actions (keys and the palette) ---------------------------------------------------
    def action_new_consult(self) -> None:
        self.leaving.new_consult()

    async def action_quit(self) -> None:
        self.leaving.quit()

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    async def action_drafts(self) -> None:  # the palette, or F4 on the consult screen
        await self.drafts.open_list()

    def action_to_sign(self) -> None:
        self.dialogs.in_dialog(self.record_desk.to_sign, "to-sign-list")

    def action_due(self) -> None:
        self.dialogs.in_dialog(self.record_desk.due, "due")

    def action_find_patient(self) -> None:
        self.chart_desk.find_patient()

    def action_waiting(self) -> None:
        self.chart_desk.open_waiting()

    def action_sign_in(self) -> None:
        self.dialogs.in_dialog(self.signed_in.switch_account, "sign-in")

    async def action_clinic_settings(self) -> None:
        await self.start_dialogs.open_settings()

    def action_trainer_mode(self) -> None:
        self.trainer_mode.turn_on()

    async def action_reload_files(self) -> None:
        if not await self.trainer_mode.reload():
            self.bell()


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
    """The one way to build the app (CLI, Pilot and snapshot tests). With ``loader`` and ``first`` the first
    question is drawn at once and the engine loads in a thread meanwhile; otherwise ``resources`` (loaded
    here when not given) are used from the start."""
    if resources is None and (loader is None or first is None):
        from assistant.files.resources import load_resources

        loaded = (loader or load_resources)()
        if loaded.value is None:
            raise SystemExit("\n".join(str(p) for p in loaded.problems))
        resources, first = loaded.value, None
    return ConsultApp(
        resources, today or date.today(), loader=loader, first=first, data_dir=data_dir, database=database,
        trainer=trainer, ask_clinic=ask_clinic,
    )  # fmt: skip
