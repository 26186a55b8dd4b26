"""The record the app keeps consults in, opened once: the clinic's server when one is named
(``--database``, the environment, ``[records] database``), with this computer's data folder to keep
drafts and a finished consult while the server cannot be reached; else that folder alone.

It also says when the server cannot be reached or the daily checkpoint's folder is away, and reads
the open vials offered at the lot question.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import cached_property, partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.records import ConsultRepository
    from assistant.services.consult_session import ConsultSession
    from assistant.services.desk import Desk
    from assistant.services.recording import SessionRecorder
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host

log = logging.getLogger(__name__)


class RecordLink:
    def __init__(self, current: Current, host: Host, vials_read: Callable[[ConsultSession], None]) -> None:
        """``vials_read``: told once the open vials of a session were read (the lot question offers them)."""
        self.current = current
        self.host = host
        self.vials_read = vials_read
        self.said: Callable[[str | None], None] | None = None
        """Where the server's coming and going is said: the line under the header (``live_updates.py``)."""

    @property
    def opened(self) -> bool:
        """Whether the record was opened yet (it is opened when first needed, not at start)."""
        return "recorder" in self.__dict__

    @cached_property
    def recorder(self) -> SessionRecorder:
        """The record opened, its drafts claimed by this run (named by the account signed in)."""
        from assistant.services.draft_claims import DraftClaims

        recorder = self._open()
        current = self.current
        recorder.claims = DraftClaims(lambda: current.staff_name, lambda: current.files.clinic.draft_claim_minutes)
        return recorder

    def _open(self) -> SessionRecorder:
        from assistant.records import TinyDBStore, open_repository
        from assistant.records.errors import StoreUnavailable
        from assistant.services.daily_checkpoint import keeping_checkpoints
        from assistant.services.desk import Desk
        from assistant.services.recording import SessionRecorder

        current, clinic = self.current, self.current.files.clinic
        settings_url = None if current.database else clinic.records.database
        local = TinyDBStore(current.data_dir)
        folder = clinic.checkpoint_dir
        try:
            store = open_repository(current.data_dir, current.database, settings_url)
        except StoreUnavailable as error:  # away at start: the consult goes on, kept here until it is back
            repository = keeping_checkpoints(self._server_unchecked(settings_url), folder, self._say_checkpoint)
            desk = Desk(repository, require_cosign=clinic.require_cosign)  # the rule outlives the outage
            recorder = SessionRecorder(repository, desk, fallback=local)
            recorder.offline = error
            self.host.call_later(self.say_offline, error)
            return recorder
        fallback = None if isinstance(store, TinyDBStore) else local
        repository = keeping_checkpoints(store, folder, self._say_checkpoint)
        desk = Desk(repository, require_cosign=clinic.require_cosign)
        return SessionRecorder(repository, desk, fallback=fallback)

    @property
    def desk(self) -> Desk:
        """The recorder's desk: one keyring, so the consult kept and the acts on its plan are signed
        by the account signed in here."""
        return self.recorder.desk

    @property
    def repository(self) -> ConsultRepository:
        return self.recorder.repository

    def _server_unchecked(self, settings_url: str | None) -> ConsultRepository:
        from assistant.records.choose import database_url
        from assistant.records.postgres.store import PostgresStore
        from assistant.records.postgres.url import parse_database_url

        url, from_settings = database_url(self.current.database, settings_url)
        assert url is not None
        return PostgresStore(parse_database_url(url, from_settings=from_settings), check=False)

    def _say_checkpoint(self, warning: str) -> None:
        """The daily checkpoint's folder could not be reached (said from whichever thread kept the act)."""
        try:
            self.host.call_from_thread(self.host.notify, warning, title="No checkpoint today yet", severity="warning")
        except RuntimeError:  # already on the app's own thread
            self.host.notify(warning, title="No checkpoint today yet", severity="warning")

    def say_offline(self, error: Exception) -> None:
        """The server cannot be reached: one line under the header, its words in the log."""
        if self.said is not None:
            self.said(str(error))
            return
        log.warning("record server away: %s", error)
        self.host.notify(
            f"{error} Consults are kept on this computer meanwhile and saved when it is back.",
            title="The record server cannot be reached",
            severity="warning",
            timeout=20,
        )

    def unreadable(self, error: Exception) -> None:
        """The record could not be read: while the server is away, the line under the header says
        so (its words logged), never a notice over the question; any other error in a notice."""
        from assistant.records.errors import StoreUnavailable

        if isinstance(error, StoreUnavailable) and self.said is not None:
            self.say_offline(error)
            return
        self.host.notify(str(error), title="The consult record could not be read", severity="error")

    def in_words(self, error: Exception) -> str:
        """What a notice says of a record error: while the server is away, that it is away (its own
        words go to the log and the line under the header), never libpq's detail."""
        from assistant.records.errors import StoreUnavailable

        if isinstance(error, StoreUnavailable):
            self.say_offline(error)
            return "The record server is away: nothing was written. Try again once it is back."
        return str(error)

    def say_back(self) -> None:
        """The server answers again: the line goes."""
        if self.said is not None:
            self.said(None)
        else:
            self.host.notify("The record server is back: the consult is kept there again.", title="Connected")

    def load_vials(self, session: ConsultSession) -> None:
        """The open vials, offered at the lot question (picked from, with their units left)."""
        self.host.run_worker(
            partial(self._load_vials, session), name="vials", group="vials", exclusive=True, exit_on_error=False
        )

    async def _load_vials(self, session: ConsultSession) -> None:
        """Only the vials made up at the clinic's dilution, which the plan's volumes will be worked out
        at (G's form says why another is left out; here, read at the consult's start, a notice for each
        covered the first questions)."""
        from assistant.core.dilution import UnknownVial, clinic_dilution
        from assistant.core.lifecycle.vials import offered
        from assistant.records import RecordsError
        from assistant.services.desk import now

        files = self.current.files
        try:
            per_ml = clinic_dilution(files.kb.product, files.clinic).units_per_ml
            found = await asyncio.to_thread(self.recorder.repository.vials, True)
        except (RecordsError, UnknownVial):
            return  # no ledger to offer: the lot is typed (a clinic without a dilution cannot plan either)
        session.open_vials = offered(found, now(), per_ml)
        self.vials_read(session)
