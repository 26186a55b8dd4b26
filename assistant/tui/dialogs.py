"""Dialogs asked by the collaborators: the one place they reach screens through.

A use case that asks a person something (a PIN, an account, the doses given, who the patient is)
awaits one of the methods below; each builds its screen here, imported when first needed (a faster
start), pushes it and returns what it was dismissed with. So no collaborator imports a screen.

Such a use case runs as a worker (awaited in a key's or a command's handler, it would hold the very
message queue the dialog's keys arrive on), with the keys typed meanwhile held for the dialog, and
its blocking record work off the UI thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence
    from pathlib import Path

    from textual.app import App
    from textual.screen import Screen
    from textual.worker import Worker

    from assistant.core.lifecycle.register import Identity
    from assistant.core.lifecycle.staff import StaffAccount
    from assistant.core.plan import Plan
    from assistant.core.script import Script
    from assistant.files.resources import Resources
    from assistant.records import ConsultRecord, ConsultSummary, Draft, Vial
    from assistant.services.consult_session import ConsultSession
    from assistant.services.drafts import DraftEntry
    from assistant.services.tracing import DueEntry
    from assistant.settings import ClinicSettings
    from assistant.tui.collaborators.chart_desk import ChartDesk
    from assistant.tui.collaborators.idle_lock import IdleLock
    from assistant.tui.collaborators.record_desk import RecordDesk
    from assistant.tui.collaborators.settings_signing import Outcome, Saved
    from assistant.tui.given_choice import GivenChoice, GivenLimits
    from assistant.tui.key_gate import KeyGate
    from assistant.tui.screens.consent_screen import ConsentEntry
    from assistant.tui.screens.photo_screen import PhotoChoice

T = TypeVar("T")

WORKING = ("finishing", "dialog")
"""The key gate's reasons for the use cases run as workers (finishing a consult, a dialog's)."""

READING_WORKERS = frozenset({"start-dialogs", "drafts", "returning", "vials", "to-sign"})
"""Background work that only reads the record: its error is said as the record not read."""


class Dialogs:
    def __init__(self, app: App[Any], key_gate: KeyGate, idle_lock: IdleLock) -> None:
        self.app = app
        self.key_gate = key_gate
        self.idle_lock = idle_lock

    async def ask(self, screen: Screen[T], *, over_lock: bool = False) -> T | None:
        """Push ``screen`` and wait for what it is dismissed with.

        A dialog is never drawn over the idle lock: it waits until the lock is lifted (``over_lock``:
        the lock's own account picker).

        A use case in a worker holds the keys typed meanwhile (``WORKING``): they belong to the
        dialog it is about to open, not to the screen below. Once the dialog is up they go to it;
        once it is dismissed the keys wait again, for the next dialog or the end of the use case."""
        if not over_lock:
            await self.idle_lock.wait_open()
        held = [reason for reason in WORKING if reason in self.key_gate.reasons]
        done: asyncio.Future[T | None] = asyncio.get_running_loop().create_future()
        await self.app.push_screen(screen, lambda value: done.done() or done.set_result(value))
        for reason in held:
            self.key_gate.release(reason)
        try:
            return await done
        finally:
            for reason in held:
                self.key_gate.hold(reason)

    def working(self, job: Coroutine[Any, Any, Any], reason: str) -> Coroutine[Any, Any, Any]:
        """``job`` with the keys held (``reason``) until it ends, but while its dialogs are up."""
        self.key_gate.hold(reason)

        async def held() -> Any:
            try:
                return await job
            finally:
                self.key_gate.release(reason)

        return held()

    async def in_thread(self, job: Any, *args: Any) -> Any:
        return await asyncio.to_thread(job, *args)

    def in_dialog(self, job: Callable[[], Coroutine[Any, Any, Any]], name: str) -> None:
        """Run a use case that waits for a dialog as a worker: awaited in a key's or a command's
        handler, it would hold the very message queue the dialog's keys arrive on. One at a time: a
        second G or K while a dialog is open does nothing, and nothing starts while the idle lock is up."""
        if self.idle_lock.up or any(worker.group == "dialog" and worker.is_running for worker in self.app.workers):
            return
        self.app.run_worker(self.working(job(), "dialog"), name=name, group="dialog", exit_on_error=False)

    def failed(self, worker: Worker[Any]) -> None:
        """Work in the background (reading the record, a dialog's use case, finishing a consult)
        never ends in silence: its error is said, and what was typed stays."""
        if worker.name in READING_WORKERS:
            self.app.notify(str(worker.error), title="The consult record could not be read", severity="error")
            return
        self.app.notify(
            f"{worker.error} Nothing typed is lost; try again.",
            title="That could not be done",
            severity="error",
            timeout=20,
        )

    # --- the dialogs, each awaited for its answer ------------------------------------------------
    async def pin(self, message: str, *, ask_reason: bool = False, summary: str | None = None, **again: Any) -> Any:
        """A ``PinEntry`` or None; ``summary``: what it signs; ``again``: a wrong PIN's ``refusal``, ``reason``."""
        from assistant.tui.screens.pin_screen import PinScreen

        return await self.ask(PinScreen(message, ask_reason=ask_reason, summary=summary, **again))

    async def photo(self, patient: str, folder: Path | None, files: list[Path]) -> PhotoChoice | None:
        """Which photo to add and its kind (``photo_screen``)."""
        from assistant.tui.screens.photo_screen import PhotoScreen

        return await self.ask(PhotoScreen(patient, folder, files))

    async def account(
        self,
        accounts: list[StaffAccount],
        check: Callable[[str, str], Awaitable[StaffAccount | str]],
        message: str,
        *,
        locked: bool = False,
        summary: str = "",
    ) -> StaffAccount | None:
        from assistant.tui.screens.account_screen import AccountScreen

        screen = AccountScreen(accounts, check, message, locked=locked, summary=summary)
        return await self.ask(screen, over_lock=locked)

    async def staff_name(self, remembered: str | None) -> str | None:
        from assistant.tui.screens.staff_screen import StaffScreen

        return await self.ask(StaffScreen(remembered))

    async def patient(self, identity: Identity, resources: Resources, typed: str) -> str | None:
        """Which of the patients suggested she is (a patient key), ``NEW_PATIENT``, or None."""
        from assistant.tui.screens.patient_match_screen import PatientMatchScreen

        return await self.ask(PatientMatchScreen(identity, resources.kb, typed))

    async def given(
        self,
        plan: Plan,
        vials: list[Vial],
        picked: str | None,
        resources: Resources,
        limits: GivenLimits,
        *,
        given: dict[tuple[str, str], tuple[float, int, str | None]] | None = None,
        again: GivenChoice | None = None,
        vials_again: Callable[[], list[Vial] | None] | None = None,
    ) -> GivenChoice | None:
        """The doses given, checked against ``limits`` before the PIN (see ``GivenLimits``); ``given``:
        the doses recorded, when corrected; ``again``: as typed before the PIN; ``vials_again``: see the screen."""
        from assistant.tui.screens.given_screen import GivenScreen

        paired = {zone.id: zone.paired for zone in resources.kb.knowledge.zones}
        return await self.ask(GivenScreen(plan, paired, vials, picked, limits, given, again, vials_again))

    async def to_sign(
        self, rows: list[ConsultSummary], *, may_sign: bool, after: str | None = None, more: Any = None
    ) -> str | None:
        """``after``/``more``: where the next page starts and how to read it, as the list scrolls."""
        from assistant.tui.screens.to_sign_screen import ToSignScreen

        return await self.ask(ToSignScreen(rows, may_sign, after=after, more=more))

    async def due(
        self, entries: list[DueEntry], heading: str, *, after: str | None = None, more: Any = None
    ) -> DueEntry | None:
        """The review picked (Enter), to be recorded; None: the list was closed."""
        from assistant.tui.screens.due_screen import DueScreen

        return await self.ask(DueScreen(entries, heading, after=after, more=more))

    async def amend(self, heading: str, text: str, problems: list[str]) -> str | None:
        """A recorded consult's answers, edited on screen (None: left as they were)."""
        from assistant.tui.screens.amend_screen import AmendScreen

        return await self.ask(AmendScreen(heading, text, problems))

    async def same_day(self, words: str) -> str | None:
        """The patient has a consult today: "open" it, plan a "second" one, or None (back)."""
        from assistant.tui.screens.same_day_screen import SameDayScreen

        return await self.ask(SameDayScreen(words))

    async def consent(self, message: str, again: Any = None, refusal: str | None = None) -> ConsentEntry | None:
        """The witness, photo consent and PIN of a signed consent (``again``: as typed, a wrong PIN's)."""
        from assistant.tui.screens.consent_screen import ConsentScreen

        return await self.ask(ConsentScreen(message, again, refusal))

    async def review(
        self, heading: str, zones: Sequence[tuple[str, str]], script: Script, today: dt.date, sided: set[str]
    ) -> dict[str, Any] | None:
        """The review's answers for the treated ``zones`` ((id, label); ``sided``: by side), by the review script."""
        from assistant.tui.screens.treatment_review_screen import TreatmentReviewScreen

        return await self.ask(TreatmentReviewScreen(heading, zones, script, today, sided))

    async def yes_no(self, message: str, yes: str, no: str) -> bool:
        """A question awaited for its answer (Esc: no)."""
        from assistant.tui.screens.confirm import ConfirmScreen

        return bool(await self.ask(ConfirmScreen(message, yes=yes, no=no)))

    # --- screens shown, their answer handled later -----------------------------------------------
    def confirm(self, message: str, yes: str, no: str, then: Callable[..., object], unasked: bool = False) -> None:
        """A question whose Yes loses something, or asked by itself (``unasked``): ``then(answer)`` once answered."""
        from assistant.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(message, yes=yes, no=no, danger=not unasked, unasked=unasked), then)

    async def show_patient_match(
        self, identity: Identity, resources: Resources, typed: str, decided: Callable[[str | None], object]
    ) -> None:
        from assistant.tui.screens.patient_match_screen import PatientMatchScreen

        await self.app.push_screen(PatientMatchScreen(identity, resources.kb, typed), decided)

    async def show_drafts(
        self,
        entries: list[DraftEntry],
        session: ConsultSession,
        discard: Callable[[str], Awaitable[bool]],
        chosen: Callable[[Draft | None, bool], Awaitable[None]],
        *,
        mid_consult: bool,
        by_itself: bool = False,
    ) -> None:
        """``chosen(draft, typed_away)`` once closed; ``by_itself``: opened at start, not asked for,
        so a key typed for the consult closes it and goes on there (``typed_away``)."""
        from assistant.tui.screens.drafts_screen import DraftsScreen

        pass_on = self.key_gate.put_back if by_itself else None
        screen = DraftsScreen(entries, session.flow, discard, mid_consult=mid_consult, pass_on=pass_on)
        await self.app.push_screen(screen, lambda draft: chosen(draft, screen.typed_away))

    async def show_setup(
        self,
        resources: Resources,
        save: Callable[[ClinicSettings, ClinicSettings], Awaitable[Outcome]],
        done: Callable[[ClinicSettings | None, Saved | None, bool], object],
        *,
        first_run: bool = False,
    ) -> None:
        """The clinic's settings; ``save(old, new)`` keeps them (or says why not, the screen staying);
        ``done(settings, saved, typed_away)`` once the screen is closed (None: left as they were;
        ``typed_away``: at first run, closed by a key typed for the consult, which goes on there)."""
        from assistant.core.dilution import clinic_dilution
        from assistant.files.clinic_writer import defaults
        from assistant.tui.screens.setup_screen import SetupScreen

        clinic = resources.clinic
        shown = defaults(clinic, float(clinic_dilution(resources.kb.product, clinic).saline_ml))
        screen = SetupScreen(clinic, shown, save, first_run=first_run, pass_on=self.key_gate.put_back)
        await self.app.push_screen(screen, lambda settings: done(settings, screen.saved, screen.typed_away))

    # --- the chart and what waits (``collaborators/chart_desk.py``) ------------------------------
    def show_patient_search(self, desk: ChartDesk, picked: Callable[[str | None], object]) -> None:
        from assistant.tui.screens.patient_search_screen import PatientSearchScreen

        self.app.push_screen(PatientSearchScreen(desk), picked)

    def show_chart(self, desk: ChartDesk, patient_key: str) -> None:
        from assistant.tui.screens.chart_screen import ChartScreen

        self.app.push_screen(ChartScreen(desk, patient_key))

    def show_waiting(self, desk: ChartDesk) -> None:
        from assistant.tui.screens.waiting_screen import WaitingScreen

        self.app.push_screen(WaitingScreen(desk))

    async def show_recorded_plan(
        self, session: ConsultSession, record: ConsultRecord, desk: RecordDesk, documents: Path, *, edit: Any
    ) -> None:
        """A kept consult's plan over the list it was opened from (Esc goes back; ``edit()`` for E)."""
        from assistant.tui.screens.recorded_plan_screen import RecordedPlanScreen

        await self.app.push_screen(RecordedPlanScreen(session, record, desk, documents, edit=edit))
