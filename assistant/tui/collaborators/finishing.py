"""The end of a consult in the app: who ran it, keeping it (a new consult, its next version, or an
amendment once doses are recorded), and keeping it on this computer while the clinic's server
cannot be reached, to be saved as soon as it is back. The review's P (and a stop) start it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from assistant.tui.collaborators.cannot_plan import CANNOT_PLAN, cannot_plan
from assistant.tui.messages import SavedWhenBack

if TYPE_CHECKING:
    from assistant.core.lifecycle.staff import StaffAccount
    from assistant.core.plan import EarlierDoses, Plan, RecordedTreatments
    from assistant.records import ConsultRecord
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.drafts import Drafts
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_desk import RecordDesk
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs

RETRY_SECONDS = 5.0
"""How often a consult kept on this computer tries the server again."""

ShowPlan = Callable[["ConsultSession", "Plan", "ConsultRecord | None", bool], Awaitable[object]]
"""Shows the plan screen: (session, plan, record as saved or None, kept here waiting for the server)."""


class Finishing:
    def __init__(
        self,
        current: Current,
        host: Host,
        dialogs: Dialogs,
        records: RecordLink,
        signed_in: SignedIn,
        drafts: Drafts,
        desk: RecordDesk,
        show_plan: ShowPlan,
    ) -> None:
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.records = records
        self.signed_in = signed_in
        self.drafts = drafts
        self.desk = desk
        self.show_plan_screen = show_plan
        self.asked_again_for: ConsultSession | None = None
        """The consult kept here whose saving asked a PIN again (asked once; the palette's Sign in after)."""

    def show_plan(self, session: ConsultSession, stop_early: bool = False) -> None:
        if any(worker.group == "finish" and worker.is_running for worker in self.host.workers):
            return  # P twice: the first is under way
        job = self.dialogs.working(self._end(session, stop_early), "finishing")
        self.host.run_worker(job, name="finish", group="finish", exit_on_error=False)

    async def _end(self, session: ConsultSession, stop_early: bool) -> None:
        from assistant.core.problems import InvalidAnswers
        from assistant.tui.collaborators.same_day import plan_this_one

        try:
            plan = session.plan(stop_early=stop_early)  # answers that cannot be planned: said before anything is asked
        except InvalidAnswers as error:
            cannot_plan(self.host, self.dialogs.key_gate, "\n".join(str(p) for p in error.problems), severity="error")
            return
        if not self.current.trainer:
            signed_in = self.signed_in
            if not await self._key_at_hand():
                self.host.notify("The consult is not finished: P plans it again.")
                return
            if signed_in.account is None and await signed_in.staff_accounts():
                if await signed_in.sign_in("Who ran this consult? Pick your account and type your PIN.") is None:
                    self.host.notify("The consult is not finished: F2 reviews it, P plans it again.")
                    return
            elif signed_in.account is None and signed_in.register_source != "record":
                self.current.staff_name, self.current.staff_asked = None, False  # nobody named without a PIN
                self.host.notify("Nobody could sign in: the consult is kept as run by: not named.", title="Run by")
            elif signed_in.account is None and not self.current.staff_asked:
                await self._ask_name()  # the record has no staff accounts (and so never had)
            one_visit = (self.current, self.host, self.dialogs, self.records, self.show_plan_screen, self.drafts.park)
            if not await self._decide_patient(session) or not await plan_this_one(session, *one_visit):
                return
            if await self._look_up_earlier(session) or plan.patient_name != session.patient_name():
                plan = session.plan(stop_early=stop_early)  # the earlier doses count; her name as her record has it
        await self._finish(session, plan)

    async def _decide_patient(self, session: ConsultSession) -> bool:
        """Who the patient is must be decided before her earlier doses are counted: suggestions not
        answered yet are asked now; a clinic number held by another person stops the plan."""
        from assistant.core.lifecycle.register import RegisterRefused, conflict_words
        from assistant.records import RecordsError
        from assistant.services.session_patient import link
        from assistant.tui.texts import NEW_PATIENT, linked_words

        recorder = self.records.recorder
        for _ in range(2):
            try:
                await self.dialogs.in_thread(recorder.decided_key, session)
                return True
            except RecordsError:
                return True  # said by the earlier-doses look-up that follows
            except RegisterRefused as refused:
                identity = await self.dialogs.in_thread(recorder.identify, session)
                if identity is None or identity.conflict is not None or not identity.suggestions:
                    why = str(refused).rstrip(".")
                    if identity is not None and identity.conflict is not None:  # said as the transcript says it
                        why = f"The {conflict_words(identity.identifiers.clinic_number or '', identity.conflict)}"
                    words = f"{why}. Change the answer (F2) and plan again."
                    cannot_plan(self.host, self.dialogs.key_gate, words, severity="error", timeout=30)
                    return False
                key = await self.dialogs.patient(identity, self.current.files, session.patient_name() or "")
                if key is None:
                    self.host.notify("Say who the patient is to plan the consult.", title=CANNOT_PLAN)
                    return False
                if key == NEW_PATIENT:
                    session.patient.identifiers, session.patient.new_patient = identity.identifiers, True
                elif (typed := link(session, identity, key)) is not None:  # named as her record writes her
                    self.host.say(linked_words(session.patient_name() or "", typed))
        return True

    async def _look_up_earlier(self, session: ConsultSession) -> bool:
        """The doses given to this patient in the session maximum's window count towards it today,
        and the dates of every dose given set the timing of its zones; True when they differ from
        those the plan was made with (it is then made again)."""
        from assistant.core.lifecycle.register import RegisterRefused
        from assistant.records.errors import RecordsError, StoreUnavailable

        before = (session.earlier, session.recorded)
        recorder = self.records.recorder

        def look_up() -> tuple[EarlierDoses | None, RecordedTreatments | None]:
            return recorder.earlier(session), recorder.recorded(session)

        try:
            session.earlier, session.recorded = await self.dialogs.in_thread(look_up)
        except RegisterRefused:
            return False  # decided just before; a change meanwhile is asked at the next plan
        except StoreUnavailable as error:  # said in the line; what was not counted, in the plan's banner
            session.earlier, session.recorded = None, None
            self.records.say_offline(error)
        except RecordsError as error:
            session.earlier, session.recorded = None, None
            window = self.current.files.kb.safety.session_max_units.window_days
            self.host.notify(
                f"{error} The doses given in the last {window} days could not be counted towards the session "
                "maximum, nor their dates checked against the last treatment typed: check the patient's "
                "record before injecting.",
                title="Earlier doses not checked",
                severity="warning",
                timeout=30,
            )
        return (session.earlier, session.recorded) != before

    async def _ask_name(self) -> None:
        """Before any staff account exists, as the record itself says (never while it cannot be read,
        nor from this computer's copy of the register): a name, remembered for next time (no PIN to
        check)."""
        from assistant.files.user_config import UserConfig, load_user_config, save_user_config

        name = await self.dialogs.staff_name(load_user_config().staff_name)
        self.current.staff_asked = True
        self.current.staff_name = name
        if name:
            try:
                save_user_config(UserConfig(staff_name=name))
            except (OSError, ValueError) as error:  # ValueError: a name with control characters
                self.host.notify(f"Your name could not be remembered: {error}", severity="warning")

    def _role(self) -> str | None:
        account = self.signed_in.account
        return account.role if account else None

    async def _finish(self, session: ConsultSession, plan: Plan) -> None:
        from assistant.records import RecordsError
        from assistant.services.recording import KeptHere

        current = self.current
        record: ConsultRecord | None = None
        waiting = False
        if not current.trainer:
            try:
                drafts = self.drafts
                await self.dialogs.in_thread(lambda: drafts.keeper.close(session, delete=False).result(10))
                if (
                    session.consult_id is not None
                    and current.kept_state.get(session.consult_id, "planned") != "planned"
                ):
                    record = await self.desk.amend(session.consult_id, plan, session.record_answers())
                else:
                    recorder = self.records.recorder
                    record = await self.dialogs.in_thread(
                        recorder.finish, session, plan, current.staff_name, self._role()
                    )
            except KeptHere as kept:
                waiting = True
                if session not in current.waiting:
                    current.waiting.append(session)
                self.records.say_offline(kept)  # the line under the header; the banner says NOT SAVED YET
                self.host.set_timer(RETRY_SECONDS, lambda: self._retry(session, plan))
            except (RecordsError, TimeoutError) as error:
                self.host.notify(
                    f"{error}", title="The consult was planned but NOT saved", severity="error", timeout=30
                )
        if record is not None:
            current.kept_state[record.consult_id] = record.state
            plan = record.plan  # planned again when saved, if the record's earlier doses changed
        current.finished, session.kept_answers = True, dict(session.answers)
        await self.show_plan_screen(session, plan, record, waiting)
        self.desk.refresh_to_sign()

    def _retry(self, session: ConsultSession, plan: Plan) -> None:
        if session in self.current.waiting:  # a new consult started meanwhile: this one is still saved
            self.host.run_worker(self._save_waiting(session, plan), name="retry", group="retry", exit_on_error=False)

    async def _save_waiting(self, session: ConsultSession, plan: Plan) -> None:
        from assistant.core.lifecycle.staff import NotPermitted
        from assistant.records import RecordsError
        from assistant.services.recording import KeptHere

        try:
            recorder = self.records.recorder
            record = await self.dialogs.in_thread(recorder.finish, session, plan, self.current.staff_name, self._role())
        except KeptHere:
            self.host.set_timer(RETRY_SECONDS, lambda: self._retry(session, plan))
            return
        except NotPermitted:  # signed in from this computer's copy, or the screen locked: the key is sealed
            if await self._sign_in_again(session) is None:
                self.host.set_timer(RETRY_SECONDS, lambda: self._retry(session, plan))
            else:
                self._retry(session, plan)
            return
        except RecordsError as error:
            self.host.notify(f"{error}", title="The consult was planned but NOT saved", severity="error", timeout=30)
            return
        self.current.kept_state[record.consult_id] = record.state
        self.current.waiting[:] = [each for each in self.current.waiting if each is not session]
        self.records.say_back()
        self.host.notify(f"The record server is back: consult {record.consult_id} is saved.", title="Saved")
        if record.plan != plan:
            self._say_planned_again(plan, record.plan)
        self.host.tell_screens(SavedWhenBack(session, record))
        self.desk.refresh_to_sign()

    async def _key_at_hand(self) -> bool:
        """Who is signed in from this computer's copy of the register, with the server back, types
        their PIN again before the consult is kept: it opens their signing key on the server."""
        signed_in = self.signed_in
        account = signed_in.account
        if account is None or account.key in self.records.desk.keyring.keys:
            return True
        await signed_in.staff_accounts()
        if signed_in.register_source != "record":
            return True  # still away: the consult is kept here, and the PIN asked once it is back
        message = "The record server is back: type your PIN again to open your signing key, kept on the server."
        return await signed_in.sign_in(message, only=account.name) is not None

    async def _sign_in_again(self, session: ConsultSession) -> StaffAccount | None:
        """The server is back but the key that signs the consult is sealed there: who was signed in
        from this computer's copy of the register (or before the lock) types their PIN again, once
        for this consult; it is then saved under their name with their signature."""
        signed_in = self.signed_in
        await signed_in.idle_lock.wait_open()
        account = signed_in.account
        if account is not None and account.key in self.records.desk.keyring.keys:
            return account  # the PIN that opened the lock opened the key
        name = account.name if account is not None else None
        if self.asked_again_for is session:
            return None
        self.asked_again_for = session
        self.host.notify("The record server is back: sign in to save the consult kept here.", title="Not saved yet")
        return await signed_in.sign_in(
            f"The record server is back. To save the consult kept here{f' as run by {name}' if name else ''}, "
            "type the PIN again: it opens the signing key kept on the server.",
            only=name,
        )

    def _say_planned_again(self, before: Plan, after: Plan) -> None:
        """The consult was planned again when saved, counting the doses the server holds: said,
        whether or not its plan is still on screen."""
        from assistant.core.text import number

        counted = f"{number(after.earlier_units or 0)} U given in the last {after.earlier_window_days} days"
        if (after.status, after.lines) == (before.status, before.lines):
            self.host.notify(f"The earlier doses are counted now ({counted}): the plan stands.", title="Earlier doses")
            return
        refused = after.status == "refused"
        waits = "; ".join(f"{d.zone_label.split(' (')[0]} not before {d.not_before}" for d in after.deferred)
        what = f"{number(after.total_units)} U" + (f"; waiting: {waits}." if waits else ".")
        if refused:
            what = "REFUSED, above the session maximum: nothing can be given."
        severity = "error" if refused else "warning"
        self.host.notify(
            f"Planned again, counting {counted}: {what}", title="The plan changed", severity=severity, timeout=30
        )
