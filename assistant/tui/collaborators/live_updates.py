"""``LiveUpdates``: what another workstation (or another window on this folder) changes in the record
shows here within 2 seconds, no key pressed (issue 22.3); and while the record server is away, one
line under the header says so (issue 22.7).

On PostgreSQL it listens (``records/postgres/listening.py``), on a TinyDB folder it watches the
files (``records/tinydb/watching.py``), each in a thread of its own. A change heard is told to
every open screen as ``RecordChanged(None)`` (lists read again what they show), and, when it names
a consult, that consult is read again through the record desk and told as ``ChangedElsewhere``: the
plan screen showing it follows its state and keys, and says who did what. The "to sign" count in
the title is counted again.

The server's coming and going is said here from three places: the listener losing and finding its
connection, a draft or a consult kept on this computer (``RecordLink.say_offline``), and the
server back for them (``RecordLink.say_back``). The line is drawn by the stage; the server's own
words go to the log file (``files/log_file.py``), never to the screen.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.tui.messages import ChangedElsewhere, RecordChanged

if TYPE_CHECKING:  # the engine's modules (pydantic) load after the first frame: imported when used
    from textual.timer import Timer

    from assistant.core.lifecycle.live import Change
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_desk import RecordDesk
    from assistant.tui.collaborators.record_link import RecordLink

log = logging.getLogger(__name__)

VIALS_CHANGED = frozenset({"vials", "vial opened", "vial closed", "given", "amended"})
"""The changes after which the open vials are read again: the TinyDB ledger's files, and the server's
acts that open, close or draw from a vial (not a draft kept after each answer: a read per answer)."""

RECOUNT_SECONDS = 0.2
"""The "to sign" count in the title is counted again this long after the last change heard."""


class LiveUpdates:
    def __init__(
        self, current: Current, host: Host, records: RecordLink, desk: RecordDesk, show_line: Callable[[str], None]
    ) -> None:
        """``show_line(text)``: the line under the header on every open screen ("" hides it)."""
        self.current = current
        self.host = host
        self.records = records
        self.desk = desk
        self.show_line = show_line
        self.away_since: dt.datetime | None = None
        self.source: Any = None
        """The listener or the watcher, once started."""
        self.started = threading.Event()
        """Set once the listener or the watcher runs (tests wait on it, then on its own event)."""
        self._starting = False
        self._recount: Timer | None = None
        self.unnamed: str | None = None
        """Where a change was made when the store does not say: a TinyDB folder is one workstation's."""
        records.said = self.server_changed

    # --- hearing changes -------------------------------------------------------------------------
    def start(self) -> None:
        """Once per run, the consult's files loaded (the clinic's settings name the server). The
        listener's or the watcher's modules take seconds to import on a busy computer: in a thread."""
        if self.current.trainer or self.started.is_set() or self._starting:
            return
        self._starting = True
        self.host.run_worker(self._start, thread=True, name="live-updates", exit_on_error=False)

    def _start(self) -> None:
        from assistant.files.log_file import start_logging
        from assistant.records.choose import database_url

        start_logging()
        url, from_settings = database_url(self.current.database, self.current.files.clinic.records.database)
        if url:
            from assistant.records.postgres.listening import Listener
            from assistant.records.postgres.url import parse_database_url

            away = self._from_thread(self.server_changed)
            self.source = Listener(
                parse_database_url(url, from_settings=from_settings),
                self._from_thread(self.heard),
                away=away,
                back=lambda: away(None),
                running=lambda: self.host.is_running,
            ).start()
        else:
            from assistant.locations import user_data_dir
            from assistant.records.tinydb.watching import Watcher

            folder = self.current.data_dir or user_data_dir()
            self.unnamed = "another window"
            self.source = Watcher(folder, self._from_thread(self.heard), running=lambda: self.host.is_running).start()
        self.started.set()

    def stop(self) -> None:
        if self.source is not None:
            self.source.stop()

    def _from_thread(self, callback: Callable[..., Any]) -> Callable[..., None]:
        """``callback`` run on the app's thread when called from the listener's or the watcher's."""

        def on_app_thread(*args: Any) -> None:
            if not self.host.is_running:  # closing: a call now would leave a coroutine never run
                return
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nothing to tell
                self.host.call_from_thread(callback, *args)

        return on_app_thread

    def heard(self, change: Change | None) -> None:
        """A change made elsewhere (None: changes may have been missed; read everything again)."""
        if not self.host.is_running:
            return  # closing: nothing to show it on
        self.host.tell_screens(RecordChanged(None))
        if change is not None and change.consult_id is not None:
            consult_id, where = change.consult_id, change.workstation or self.unnamed
            self.host.run_worker(self._follow(consult_id, where), name="live", group=f"live-{consult_id}")
        if change is not None and change.kind == "draft":
            return  # a draft kept after each answer: nothing waits for a signature because of it
        current = self.current
        if (change is None or change.kind in VIALS_CHANGED) and current.session is not None and not current.finished:
            self.records.load_vials(current.session)  # a vial opened elsewhere: offered at the lot question
        if self._recount is None:  # one count for a burst of changes (a save writes several files)
            self._recount = self.host.set_timer(RECOUNT_SECONDS, self._count)

    def _count(self) -> None:
        """Counted once no count is under way: a new one would cancel it (the count is exclusive)."""
        self._recount = None
        if not self.host.is_running:
            return
        if any(w.group == "to-sign" and not w.is_finished for w in self.host.workers):
            self._recount = self.host.set_timer(RECOUNT_SECONDS, self._count)
        else:
            self.desk.refresh_to_sign()

    async def _follow(self, consult_id: str, where: str | None) -> None:
        record = await self.desk.read(consult_id)
        if record is not None:
            self.host.tell_screens(ChangedElsewhere(record, where))

    # --- the server away -------------------------------------------------------------------------
    def server_changed(self, detail: str | None) -> None:
        """The server stopped answering (``detail``: its words, logged) or answers again (None)."""
        if detail is not None:
            if self.away_since is None:  # once per outage: the listener tries again every 2 seconds
                log.warning("record server away: %s", detail)
                self.away_since = dt.datetime.now(dt.UTC)
                self._draw()
            else:
                log.debug("record server still away: %s", detail)
            return
        if self.away_since is not None:
            log.warning("record server back (away since %s)", self.away_since.isoformat(timespec="seconds"))
        self.away_since = None
        self.show_line("")

    def _draw(self) -> None:
        from assistant.core.lifecycle.live import away_line

        if self.away_since is not None:
            self.show_line(away_line(self.away_since, dt.datetime.now().astimezone().tzinfo or dt.UTC))
