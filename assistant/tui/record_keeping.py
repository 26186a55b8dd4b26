"""The app's side of the consult record: drafts kept as the consult goes, the drafts list, and
the returning-patient check. A part of ``ConsultApp`` (a mixin), kept apart so each file has one job.
"""

from __future__ import annotations

import asyncio
import contextlib
from functools import cached_property
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from assistant.files.resources import Resources
    from assistant.records import ConsultRepository, Draft
    from assistant.services.consult_session import ConsultSession
    from assistant.services.drafts import DraftEntry
    from assistant.services.recording import SessionRecorder
    from assistant.tui.draft_keeper import DraftKeeper
    from assistant.tui.key_gate import KeyGate

RETURNING_WAIT = 3.0
"""Seconds the next question waits for the returning-patient check before going on without it."""


class RecordKeeping(App[None]):
    trainer: bool
    data_dir: Path | None
    today: date
    staff_name: str | None
    key_gate: KeyGate
    session: ConsultSession
    resources: Resources
    finished: bool

    database: str | None

    @cached_property
    def recorder(self) -> SessionRecorder:
        """The record the UI keeps consults in: the clinic's server when one is named (``--database``,
        the environment, ``[records] database``), with this computer's data folder to keep drafts and
        a finished consult while the server cannot be reached; else that folder alone."""
        from assistant.records import TinyDBStore, open_repository
        from assistant.records.errors import StoreUnavailable
        from assistant.services.daily_checkpoint import keeping_checkpoints
        from assistant.services.desk import Desk
        from assistant.services.recording import SessionRecorder

        settings_url = None if self.database else self.resources.clinic.records.database
        local = TinyDBStore(self.data_dir)
        folder = self.resources.clinic.checkpoint_dir
        try:
            store = open_repository(self.data_dir, self.database, settings_url)
        except StoreUnavailable as error:  # away at start: the consult goes on, kept here until it is back
            repository = keeping_checkpoints(self._server_unchecked(settings_url), folder, self._say_checkpoint)
            desk = Desk(repository, require_cosign=self.resources.clinic.require_cosign)  # the rule outlives the outage
            recorder = SessionRecorder(repository, desk, fallback=local)
            recorder.offline = error
            self.call_later(self._say_offline, error)
            return recorder
        fallback = None if isinstance(store, TinyDBStore) else local
        repository = keeping_checkpoints(store, folder, self._say_checkpoint)
        desk = Desk(repository, require_cosign=self.resources.clinic.require_cosign)
        return SessionRecorder(repository, desk, fallback=fallback)

    def _server_unchecked(self, settings_url: str | None) -> ConsultRepository:
        from assistant.records.choose import database_url
        from assistant.records.postgres.store import PostgresStore
        from assistant.records.postgres.url import parse_database_url

        url, from_settings = database_url(self.database, settings_url)
        assert url is not None
        return PostgresStore(parse_database_url(url, from_settings=from_settings), check=False)

    def _say_checkpoint(self, warning: str) -> None:
        """The daily checkpoint's folder could not be reached (said from whichever thread kept the act)."""
        try:
            self.call_from_thread(self.notify, warning, title="No checkpoint today yet", severity="warning")
        except RuntimeError:  # already on the app's own thread
            self.notify(warning, title="No checkpoint today yet", severity="warning")

    def _say_offline(self, error: Exception) -> None:
        self.notify(
            f"{error} Consults are kept on this computer meanwhile and saved when it is back.",
            title="The record server cannot be reached",
            severity="warning",
            timeout=20,
        )

    def load_vials(self, session: ConsultSession) -> None:
        """The open vials, offered at the lot question (picked from, with their units left)."""
        self.run_worker(self._load_vials(session), name="vials", group="vials", exclusive=True, exit_on_error=False)

    async def _load_vials(self, session: ConsultSession) -> None:
        from assistant.core.lifecycle.vials import usable_problem
        from assistant.records import RecordsError
        from assistant.services.desk import now

        try:
            found = await asyncio.to_thread(self.recorder.repository.vials, True)
        except RecordsError:
            return  # no ledger to offer: the lot is typed
        session.open_vials = [v for v in found if usable_problem(v, now()) is None]

    @cached_property
    def drafts(self) -> DraftKeeper:
        from assistant.tui.draft_keeper import DraftKeeper

        return DraftKeeper(self.recorder, self._draft_failed, self._server_changed)

    def _server_changed(self, error: Exception | None) -> None:
        """One line when the server goes away mid-consult, and one when it is back."""
        with contextlib.suppress(RuntimeError):  # the app has closed: nothing to tell
            if error is not None:
                self.call_from_thread(self._say_offline, error)
            else:
                self.call_from_thread(
                    self.notify, "The record server is back: the consult is kept there again.", title="Connected"
                )

    def _draft_failed(self, error: Exception) -> None:
        with contextlib.suppress(RuntimeError):  # the app has closed: nothing to tell
            self.call_from_thread(
                self.notify, str(error), title="The draft could not be kept on disk", severity="error"
            )

    def keep_draft(self) -> None:
        """After each answer (once the next question is drawn, so disk writes never delay it)."""
        if not self.trainer and not self.finished:
            self.drafts.save(self.session, self.staff_name)

    def discard_consult(self, session: ConsultSession) -> None:
        """The consult on screen is abandoned: its draft leaves the disk, and is never written again."""
        if not self.trainer:
            self.drafts.close(session, delete=True)

    def say(self, text: str) -> None:
        """A remark in the transcript of the consult on screen (below any dialog)."""
        for screen in self.screen_stack:
            if type(screen).__name__ == "ConsultScreen":
                screen.say(text)  # type: ignore[attr-defined]

    # --- the drafts list -------------------------------------------------------------------------
    async def list_drafts(self) -> list[DraftEntry]:
        from assistant.records import RecordsError

        try:
            return await asyncio.wrap_future(self.drafts.listing(self.session.draft_id))
        except RecordsError as error:
            self.notify(str(error), title="The drafts could not be read", severity="error")
            return []

    async def action_drafts(self) -> None:
        """The drafts list (palette, or F4 on the consult screen)."""
        if self.trainer:
            self.notify("Trainer mode keeps no drafts.")
            return
        entries = await self.list_drafts()
        if not entries:
            self.notify("No unfinished consults are kept.")
            return
        await self.show_drafts(entries)

    async def show_drafts(self, entries: list[DraftEntry]) -> None:
        """The drafts list over the screen (mounted when this returns); a chosen draft is resumed."""
        from assistant.tui.screens.drafts_screen import DraftsScreen

        async def discard(draft_id: str) -> bool:
            return await asyncio.wrap_future(self.drafts.delete(draft_id))

        mid_consult = bool(self.session.answers) and not self.finished
        screen = DraftsScreen(entries, self.session.flow, discard, mid_consult=mid_consult)
        await self.push_screen(screen, self._drafts_chosen)

    async def _drafts_chosen(self, draft: Draft | None) -> None:
        if draft is not None:
            await self.resume_draft(draft)

    async def resume_draft(self, draft: Draft) -> None:
        from assistant.services.consult_session import ConsultSession

        session = ConsultSession(self.resources, self.today)
        try:
            session.resume(draft.answers)
        except (ValueError, TypeError, KeyError) as error:
            self.notify(f"{error}", title="This draft cannot be resumed", severity="error")
            return
        session.draft_id = draft.draft_id
        session.started_at = draft.started_at
        session.consult_id = draft.consult_id  # a kept consult being changed stays that consult
        self.session = session
        self.finished = False
        await self.start_consult()  # type: ignore[attr-defined]
        name = draft.patient_name or "an unnamed patient"
        when = draft.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.say(f"Resumed the consult of {name}, last answered {when}. F2 shows the answers kept.")
        self.load_vials(session)
        if session.answers.get("patient_name"):
            self.run_worker(self.look_up_returning(session), name="returning", exit_on_error=False)

    # --- returning patients ----------------------------------------------------------------------
    async def look_up_returning(self, session: ConsultSession) -> None:
        """Has this patient been here before? Awaited before the next question is shown. An exact
        two-identifier match is a returning patient; a suggestion is asked (nothing of it is used
        before a person says it is her); a clinic number held by another person is said at once."""
        if self.trainer:
            return
        from assistant.records import RecordsError
        from assistant.services.consult_session import PatientDecision

        try:
            identity = await asyncio.wait_for(asyncio.to_thread(self.recorder.identify, session), RETURNING_WAIT)
        except TimeoutError:
            self.say("The consult record is slow to answer: whether this patient has been here before was not checked.")
            return
        except RecordsError as error:
            self.notify(str(error), title="The consult record could not be read", severity="error")
            return
        if identity is None or session is not self.session:
            return
        if session.consult_id is not None and identity.conflict is None:
            return  # a kept consult changed: she stays its patient, and her last time stays shown
        session.patient = PatientDecision(identifiers=identity.identifiers)
        session.previous = None
        if identity.conflict is not None:
            from assistant.core.lifecycle.register import conflict_words

            number = identity.identifiers.clinic_number or ""
            self.say(
                f"The {conflict_words(number, identity.conflict)}. Check the number (Esc goes back to it): "
                "this consult cannot be kept under another patient's number."
            )
        elif identity.matched is not None:
            session.patient.key = identity.matched.patient_key
            await self._returning(session, identity.matched.patient_key)
        elif identity.suggestions:
            from assistant.tui.screens.patient_match_screen import PatientMatchScreen

            screen = PatientMatchScreen(identity, self.resources.kb)
            await self.push_screen(screen, lambda key: self._patient_decided(session, key))

    def _patient_decided(self, session: ConsultSession, key: str | None) -> None:
        from assistant.tui.screens.patient_match_screen import NEW_PATIENT

        if session is not self.session:
            return
        if key is None:
            self.say("Who the patient is was not decided: you will be asked again before the plan.")
        elif key == NEW_PATIENT:
            session.patient.new_patient = True
            self.say("A different person: this consult is kept apart from the patients suggested.")
        else:
            session.patient.confirmed = session.patient.key = key
            self.run_worker(self._returning(session, key), name="returning", exit_on_error=False)

    async def _returning(self, session: ConsultSession, key: str) -> None:
        from assistant.records import RecordsError

        try:
            history = await asyncio.to_thread(self.recorder.history_of, key)
        except RecordsError as error:
            self.notify(str(error), title="The consult record could not be read", severity="error")
            return
        if session is not self.session or history is None:
            return
        session.previous = history.last
        count = len(history.consults)
        visits = f"{count} consult{'s' if count != 1 else ''}, the last on {history.consults[0].date.isoformat()}"
        text = f"Returning patient: {visits}."
        if history.prior is not None:
            from assistant.core.advice import zone_names

            session.prefill.update(history.prior.answers())
            zones = zone_names(self.resources.kb, history.prior.zones)
            text += (
                f" Last treatment {history.prior.date.isoformat()} ({zones}): the questions about the last "
                "treatment will be pre-filled with it; change them if they are not right."
            )
        self.say(text)


def mention_drafts(entries: list[DraftEntry]) -> str:
    readable = [e for e in entries if e.draft is not None]
    damaged = len(entries) - len(readable)
    parts = []
    if readable:
        newest = readable[0].draft
        who = (newest.patient_name if newest else None) or "an unnamed patient"
        more = f" and {len(readable) - 1} more" if len(readable) > 1 else ""
        parts.append(f"An unfinished consult of {who}{more} was kept.")
    if damaged:
        parts.append(f"{damaged} draft file{'s' if damaged != 1 else ''} could not be read.")
    parts.append("F4 (or Ctrl+P, Drafts) lists them to resume or discard.")
    return " ".join(parts)
