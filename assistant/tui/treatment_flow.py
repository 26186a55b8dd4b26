"""The app's side of the treatment record: recording what was given, signing, amending, the "to
sign" list and who is due. A part of ``ConsultApp`` (a mixin), as ``record_keeping.py`` is for drafts.

The rules are the services' and the core's: this only asks (account, PIN, reason, lines), runs the
use case off the UI thread, and says what came of it. Juniors never see Record given or Sign.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.tui.at_the_keyboard import AtTheKeyboard

if TYPE_CHECKING:
    from assistant.records import ConsultRecord
    from assistant.tui.screens.pin_screen import PinEntry


class TreatmentFlow(AtTheKeyboard):
    kept_state: dict[str, str]
    """The state of each consult this app saved (consult id -> planned, given, signed)."""

    # --- the "to sign" list ----------------------------------------------------------------------
    def refresh_to_sign(self) -> None:
        if not self.trainer:
            self.run_worker(self._count_to_sign(), name="to-sign", group="to-sign", exclusive=True, exit_on_error=False)

    async def _count_to_sign(self) -> None:
        from assistant.records import RecordsError

        try:
            waiting = await self.in_thread(self.desk.repository.to_sign)
        except RecordsError:
            return  # the server is away: said elsewhere, the count waits for it
        base = "Botulax consult"
        self.title = f"{base} · to sign: {len(waiting)}" if waiting else base

    def action_to_sign(self) -> None:
        self.in_dialog(self._to_sign, "to-sign-list")

    async def _to_sign(self) -> None:
        from assistant.records import RecordsError
        from assistant.services.pages import to_sign_page
        from assistant.tui.screens.to_sign_screen import ToSignScreen

        repository = self.desk.repository
        try:
            page = await self.in_thread(to_sign_page, repository)
        except RecordsError as error:
            self.notify(str(error), title="The consult record could not be read", severity="error")
            return
        if not page.rows:
            self.notify("Nothing waits for a signature.")
            return
        may_sign = self.account is None or self.may("sign")
        more = lambda after: to_sign_page(repository, after)  # noqa: E731  (the next pages, as it scrolls)
        consult_id = await self.ask(ToSignScreen(list(page.rows), may_sign, after=page.next, more=more))
        if consult_id and self.account is None:
            await self.sign_in("To sign, pick your account and type your PIN.")
        if consult_id and self.account is not None:
            await self.sign(consult_id)

    def action_due(self) -> None:
        self.in_dialog(self._due, "due")

    async def _due(self) -> None:
        import datetime as dt

        from assistant.records import RecordsError
        from assistant.services.due_pages import due_page
        from assistant.tui.screens.due_screen import DueScreen

        days, repository, timing, today = 7, self.desk.repository, self.resources.kb.timing, self.today
        try:
            page = await self.in_thread(due_page, repository, timing, today, days)
        except RecordsError as error:
            self.notify(str(error), title="The consult record could not be read", severity="error")
            return
        last = today + dt.timedelta(days=days - 1)
        count = f"{len(page.rows)}{' and more below' if page.next else ''}"
        heading = (
            f"Due from {today.isoformat()} to {last.isoformat()}: {count}."
            if page.rows
            else (f"Nobody is due from {today.isoformat()} to {last.isoformat()}.")
        )
        more = lambda after: due_page(repository, timing, today, days, after)  # noqa: E731
        await self.ask(DueScreen(list(page.rows), heading, after=page.next, more=more))

    # --- recording what was given, signing, amending ---------------------------------------------
    async def ask_pin(self, message: str, *, ask_reason: bool = False) -> PinEntry | None:
        from assistant.tui.screens.pin_screen import PinScreen

        return await self.ask(PinScreen(message, ask_reason=ask_reason))

    async def run_use_case(self, job: Any, *args: Any) -> Any:
        """A treatment use case off the UI thread; a refusal is a notice, and None is returned."""
        from assistant.core.lifecycle.given import NothingToGive
        from assistant.core.lifecycle.override import OverLimit
        from assistant.core.lifecycle.staff import NotPermitted
        from assistant.core.lifecycle.vials import VialRefused
        from assistant.records import RecordsError
        from assistant.services.treatment import InvalidGiven

        try:
            return await self.in_thread(job, *args)
        except NotPermitted as error:
            self.notify(str(error), title="Not permitted", severity="error", timeout=15)
        except (InvalidGiven, NothingToGive, VialRefused, OverLimit, RecordsError) as error:
            self.notify(str(error), title="Nothing was recorded", severity="error", timeout=15)
        return None

    async def record_given(self, record: ConsultRecord, picked_vial: str | None) -> ConsultRecord | None:
        from functools import partial

        from assistant.core.lifecycle.vials import usable_problem
        from assistant.records import RecordsError
        from assistant.services import treatment
        from assistant.services.desk import now
        from assistant.tui.screens.given_screen import GivenLimits, GivenScreen

        if self.account is None or not self.account.may("give"):
            return None
        kb = self.resources.kb
        vials = [v for v in await self.in_thread(self.desk.repository.vials, True) if usable_problem(v, now()) is None]
        paired = {zone.id: zone.paired for zone in kb.knowledge.zones}
        try:
            earlier = await self.in_thread(
                treatment.earlier_for_giving, self.desk, record, kb, treatment.giving_day(now())
            )
        except RecordsError as error:
            self.notify(
                f"{error} The doses given before today cannot be counted towards the session maximum, so "
                "nothing can be recorded as given now.",
                title="Nothing was recorded",
                severity="error",
                timeout=15,
            )
            return None
        limits = GivenLimits(kb, self.resources.clinic, earlier, self.account.role == "medical_director")
        choice = await self.ask(GivenScreen(record.plan, paired, vials, picked_vial, limits))
        if choice is None:
            return None
        entry = await self.ask_pin(f"PIN of {self.account.name}, to record what was given to {record.patient_name}:")
        if entry is None:
            return None
        job = partial(
            treatment.give, self.desk, record.consult_id, self.account.name, entry.pin, kb, choice.entries,
            vial_ids=choice.vial_ids, clinic=self.resources.clinic, override_reason=choice.override_reason,
        )  # fmt: skip
        given = await self.run_use_case(job)
        if given is not None:
            assert given.given is not None
            self.kept_state[given.consult_id] = given.state
            self._show_record(given)
            self.notify(f"Recorded as given by {given.given.by}: {given.given.total_units:g} U.", title="Given")
            self.refresh_to_sign()
        return given

    def _show_record(self, record: ConsultRecord) -> None:
        """A plan screen showing this consult (on top or below a list) says its new state."""
        from assistant.tui.screens.plan_screen import PlanScreen

        for screen in self.screen_stack:
            if isinstance(screen, PlanScreen) and screen.record and screen.record.consult_id == record.consult_id:
                screen.saved(record)

    async def sign(self, consult_id: str) -> ConsultRecord | None:
        from assistant.services import treatment

        if self.account is None or not self.account.may("sign"):
            self.notify("Only an injector or a medical director signs a record.", severity="error")
            return None
        entry = await self.ask_pin(f"PIN of {self.account.name}, to sign consult {consult_id}:")
        if entry is None:
            return None
        signed = await self.run_use_case(treatment.sign, self.desk, consult_id, self.account.name, entry.pin)
        if signed is not None:
            self.kept_state[signed.consult_id] = signed.state
            self._show_record(signed)
            last = signed.signatures[-1]
            more = " A medical director's co-signature is still needed." if signed.awaiting_cosign else ""
            self.notify(f"Signed by {last.name}: {last.meaning}.{more}", title="Signed")
            self.refresh_to_sign()
        return signed

    async def amend(self, consult_id: str, plan: Any, answers: Any) -> ConsultRecord | None:
        """A consult already given (or signed) changed in the UI: an amendment, with its reason."""
        from functools import partial

        from assistant.services import treatment

        if self.account is None or not self.account.may("amend"):
            self.notify(
                "Doses are already recorded for this consult: only an injector or a medical director amends it.",
                title="Not saved",
                severity="error",
                timeout=15,
            )
            return None
        entry = await self.ask_pin(
            f"This consult's doses are recorded, so the change is an amendment: its reason, and the PIN of "
            f"{self.account.name}:",
            ask_reason=True,
        )
        if entry is None:
            return None
        job = partial(
            treatment.amend_answers, self.desk, consult_id, self.account.name, entry.pin, entry.reason or "",
            self.resources.script, plan, answers,
        )  # fmt: skip
        amended = await self.run_use_case(job)
        if amended is not None:
            self.notify(f"Amended: version {amended.version} ({entry.reason}).", title="Amended")
        return amended
