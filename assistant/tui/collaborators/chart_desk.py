"""The chart desk: find a patient as you type, her chart, what waits for whom, and a kept consult's
plan opened from them on any workstation.

Screens ask it for rows (every read runs off the UI thread, in the screen's worker), and it opens
what they pick: a consult's plan screen (G, K, S, P, X, E work there as after planning) or a new
consult for a patient whose identifiers are already confirmed. It never imports a screen: it shows
them through ``Dialogs``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from assistant.tui.texts import CHANGES_DROPPED

if TYPE_CHECKING:
    from assistant.core.lifecycle.chart import ChartConsult
    from assistant.core.lifecycle.pages import Page
    from assistant.core.lifecycle.staff import StaffAccount
    from assistant.core.lifecycle.waiting import WaitingFor, WaitingRow
    from assistant.records import ConsultRecord
    from assistant.services.chart import Chart, FoundPatient
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_desk import RecordDesk
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.returning import ReturningPatients
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs


class ChartDesk:
    def __init__(
        self,
        current: Current,
        host: Host,
        dialogs: Dialogs,
        records: RecordLink,
        signed_in: SignedIn,
        desk: RecordDesk,
        returning: ReturningPatients,
    ) -> None:
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.records = records
        self.signed_in = signed_in
        self.desk = desk
        self.returning = returning

    @property
    def account(self) -> StaffAccount | None:
        return self.signed_in.account

    @property
    def today(self) -> dt.date:
        return self.current.today

    def zone_label(self, zone: str) -> str:
        """A zone id in words, as the plan names it ("Crow's feet"); an unknown id as it is."""
        try:
            return self.current.files.kb.zone(zone).label.split(" (")[0]
        except (KeyError, AttributeError):
            return zone

    # --- reads, called in a thread by the screens ------------------------------------------------
    def search(self, text: str) -> list[FoundPatient]:
        from assistant.services.chart import search

        return search(self.records.repository, text)

    def checked(self, found: list[FoundPatient]) -> list[FoundPatient]:
        from assistant.services.chart import checked

        return checked(self.records.repository, found)

    def chart(self, patient_key: str) -> Chart:
        from assistant.services.chart import open_chart

        return open_chart(self.records.repository, patient_key, self.current.files.kb.timing, self.current.today)

    def story(self, consult_id: str) -> ChartConsult:
        from assistant.services.chart import consult_story

        return consult_story(self.records.repository, consult_id)

    def waiting_page(self, kind: WaitingFor, after: str | None = None) -> Page[WaitingRow]:
        from assistant.services.waiting import waiting_page

        return waiting_page(self.records.repository, kind, after)

    def counts(self) -> dict[WaitingFor, int]:
        from assistant.services.waiting import counts

        return counts(self.records.repository, self.account)

    # --- what the screens open -------------------------------------------------------------------
    def _dry_run(self) -> bool:
        """Trainer mode saves nothing, so nothing is given or signed from a chart or a list there."""
        if self.current.trainer:
            self.host.notify("Trainer mode is a dry run: the record's charts and lists are not opened in it.")
        return self.current.trainer

    def find_patient(self) -> None:
        """The search (palette, F5); the patient picked opens her chart."""
        if not self._dry_run():
            self.dialogs.show_patient_search(self, lambda key: self.open_chart(key) if key else None)

    def open_chart(self, patient_key: str) -> None:
        self.dialogs.show_chart(self, patient_key)

    def open_waiting(self) -> None:
        if not self._dry_run():
            self.dialogs.show_waiting(self)

    def open_consult(self, consult_id: str) -> None:
        """A kept consult's plan screen over the list it was picked from (read anew from the record)."""
        self.host.run_worker(self._open_consult(consult_id), name="open-consult", exit_on_error=False)

    async def _open_consult(self, consult_id: str) -> None:
        from assistant.records import RecordsError

        try:
            record = await self.dialogs.in_thread(self.records.repository.get, consult_id)
        except RecordsError as error:
            self.host.notify(str(error), title="The consult record could not be read", severity="error")
            return
        if record is None:
            self.host.notify(f"There is no consult {consult_id} in the record.", severity="error")
            return
        session = self._session_of(record)
        if session is None:
            return
        documents = self._documents()
        await self.dialogs.show_recorded_plan(session, record, self.desk, documents, edit=lambda: self._edit(session))

    def consent(self, consult_id: str, print_form: bool = False) -> None:
        """C on the chart: record the patient's signed consent on the highlighted consult; F: its form
        printed (saved as a PDF to print and sign)."""
        self.host.run_worker(self._consent(consult_id, print_form), name="consent", exit_on_error=False)

    async def _consent(self, consult_id: str, print_form: bool) -> None:
        from assistant.records import RecordsError
        from assistant.tui.collaborators import consenting

        if self._dry_run():
            return
        try:
            record = await self.dialogs.in_thread(self.records.repository.get, consult_id)
        except RecordsError as error:
            self.host.notify(str(error), title="The consult record could not be read", severity="error")
            return
        if record is None:
            return
        if print_form:
            await consenting.print_form(self.desk, record, self._documents())
        else:
            await consenting.record_consent(self.desk, record)

    def _session_of(self, record: ConsultRecord) -> ConsultSession | None:
        """The kept consult as a session: its answers judged again, its patient decided."""
        from assistant.services.kept_session import session_of

        try:
            return session_of(self.current.files, record)
        except (ValueError, TypeError, KeyError) as error:
            self.host.notify(f"{error}", title="This consult's answers cannot be read again", severity="error")
            return None

    def _documents(self) -> Any:
        from assistant.locations import user_data_dir

        return (self.current.data_dir or user_data_dir()) / "documents"

    def _keep_in_drafts(self) -> None:
        """The consult on screen, unfinished, stays a draft (kept after each answer) when another takes its
        place; a kept consult's changes not planned again are lost, and that is said."""
        current = self.current
        if current.changes_unplanned:
            self.host.notify(CHANGES_DROPPED, title="Changes not kept", severity="warning", timeout=15)
        elif current.session is not None and current.session.answers and not current.finished:
            self.host.notify("The consult in progress is kept in the drafts (F4 resumes it).", title="Kept")

    def _edit(self, session: ConsultSession) -> None:
        """E on a kept consult's plan: its answers in the review, planned again with P (an amendment
        once doses are recorded), as E after planning does."""
        self._keep_in_drafts()
        self.current.session = session
        self.current.finished = True
        self.host.start_consult()  # a complete consult opens on its review

    def new_consult_for(self, patient: FoundPatient) -> None:
        """A new consult for a patient picked from her chart: her name, date of birth and number
        answered and confirmed; her last treatment pre-filled as for any returning patient."""
        self.host.run_worker(self._new_consult_for(patient), name="new-consult-for", exit_on_error=False)

    async def _new_consult_for(self, patient: FoundPatient) -> None:
        current = self.current
        self._keep_in_drafts()
        current.use(current.files)
        session = current.consult
        answers: dict[str, object] = {"patient_name": patient.name}
        if patient.date_of_birth is not None:
            answers["date_of_birth"] = patient.date_of_birth.isoformat()
        if patient.clinic_number:
            answers["patient_id"] = patient.clinic_number
        session.resume(answers)
        current.finished = False
        self.returning.known(session, patient.patient_key)
        await self.host.start_consult()
        self.records.load_vials(session)
        self.host.say(f"A new consult for {patient.describe()}: her identifiers are confirmed from her chart.")

    def sign(self, consult_id: str) -> None:
        """K on a row of the Waiting screen: sign it, what is signed shown above the PIN (with nobody
        signed in, who signs is asked, and the PIN typed there signs)."""
        self.dialogs.in_dialog(lambda: self._sign(consult_id), "sign")

    async def _sign(self, consult_id: str) -> None:
        await self.desk.sign(consult_id)  # with nobody signed in, the account picker's PIN signs

    def add_photo(self, consult_id: str) -> None:
        """F on the chart: a photo added to the highlighted consult (``RecordDesk.add_photo``)."""
        self.dialogs.in_dialog(lambda: self.desk.add_photo(consult_id), "photo")

    def amend(self, consult_id: str, what: str) -> None:
        """A (answers) or D (doses given) on the chart: an amendment made on screen, with its reason
        and PIN (``RecordDesk.amend_on_screen`` / ``amend_given_on_screen``); the chart reads again
        when the record desk says it changed."""
        desk = self.desk
        change = desk.amend_on_screen if what == "answers" else desk.amend_given_on_screen
        self.dialogs.in_dialog(lambda: change(consult_id), "amend")
