"""Hearing the other workstations' changes (issue 22.3): LISTEN on ``botulax_changes`` on a
connection of its own, in a thread of its own.

The triggers of migration ``0006_live_notify`` notify in the transaction that makes a change,
so a notification arrives once the change is committed and readable. The connection is psycopg's,
in autocommit, outside SQLAlchemy's pool: a pooled connection would be handed to a statement and
would not wait on the socket. ``conn.notifies(timeout=...)`` returns every second or so, so a stop
asked is honoured within that.

When the server goes away (restarted, the network down) the listener says so once
(``away(detail)``), tries again every ``retry`` seconds, and once it is back says so
(``back()``) and hands ``heard(None)``: what changed meanwhile was not heard, so whoever shows
records reads them again. The server's own words go to the log, never to the screen.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

from assistant.core.lifecycle.live import CHANNEL, Change
from assistant.records.postgres.connection import CONNECT_SECONDS, application_name
from assistant.records.postgres.url import Address

log = logging.getLogger(__name__)

Heard = Callable[[Change | None], None]


def conninfo(address: Address) -> str:
    """The address as libpq's connection string (socket folders and options included)."""
    options = {k: v for k, v in address.options.items() if k != "password_file"}
    return psycopg.conninfo.make_conninfo(
        "",
        user=address.user,
        password=address.password,
        host=address.host,
        port=address.port,
        dbname=address.database,
        connect_timeout=CONNECT_SECONDS,
        application_name=application_name(),
        **options,
    )


class Listener:
    def __init__(
        self,
        address: Address,
        heard: Heard,
        *,
        away: Callable[[str], None] | None = None,
        back: Callable[[], None] | None = None,
        running: Callable[[], bool] = lambda: True,
        poll: float = 0.5,
        retry: float = 2.0,
    ) -> None:
        """``heard(change)`` for each change (None: read everything again, changes were missed);
        ``away(detail)`` once when the server stops answering, ``back()`` once it answers again;
        ``running()`` False stops the listener (the app is gone). All are called from its thread."""
        self.address = address
        self.heard = heard
        self.away = away or (lambda _detail: None)
        self.back = back or (lambda: None)
        self.running = running
        self.poll = poll
        self.retry = retry
        self.listening = threading.Event()
        """Set while LISTEN is in force (tests wait on it before changing the record)."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Listener:
        self._thread = threading.Thread(target=self._run, name="record-listener", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set() or not self.running()

    def _run(self) -> None:
        away = False
        heard_before = False
        while not self.stopped:
            try:
                with psycopg.connect(conninfo(self.address), autocommit=True) as connection:
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
                    self.listening.set()
                    if away:
                        log.warning("listening again on %s", self.address.where)
                        away = False
                        self.back()
                    if heard_before:
                        self.heard(None)  # what changed while we were away was not heard
                    heard_before = True
                    self._hear(connection)
            except psycopg.Error as error:
                self.listening.clear()
                detail = self._redacted(error)
                log.warning("not listening to %s: %s", self.address.where, detail)
                if not away and not self.stopped:
                    away = True
                    self.away(detail)
                self._stop.wait(self.retry)
            except Exception:  # a callback failed: logged, and the listener goes on
                log.exception("a change heard from %s could not be passed on", self.address.where)
                self._stop.wait(self.retry)
        self.listening.clear()

    def _hear(self, connection: psycopg.Connection[object]) -> None:
        while not self.stopped:
            for notification in connection.notifies(timeout=self.poll):
                change = Change.from_payload(notification.payload)
                if change is None:
                    log.warning("a notification that is not ours on %s was ignored", CHANNEL)
                    continue
                self.heard(change)

    def _redacted(self, error: BaseException) -> str:
        words = " ".join(str(error).split()) or type(error).__name__
        if self.address.password:
            words = words.replace(self.address.password, "***")
        return words
