"""The app's side of the treatment record: recording what was given, signing, amending, the "to
sign" list and who is due.

The rules are the services' and the core's: this only asks (account, PIN, reason, lines), runs the
use case off the UI thread, and says what came of it. Juniors never see Record given or Sign. The
plan screen's G and K call ``give`` and ``sign`` here.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import cached_property
from typing import TYPE_CHECKING, Any

from assistant.tui.collaborators.pin_again import Back, with_pin
from assistant.tui.messages import RecordChanged

if TYPE_CHECKING:
    from assistant.records import ConsultRecord
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.documents_desk import DocumentsDesk
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs


class RecordDesk:
    def __init__(
        self,
        current: Current,
        host: Host,
        dialogs: Dialogs,
        records: RecordLink,
        signed_in: SignedIn,
        show_count: Callable[[int], None],
    ) -> None:
        """``show_count(n)``: the consults waiting for a signature, said in the app's title."""
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.records = records
        self.signed_in = signed_in
        self.show_count = show_count

    @property
    def trainer(self) -> bool:
        return self.current.trainer

    def may(self, action: str) -> bool:
        return self.signed_in.may(action)

    def in_dialog(self, job: Callable[[], Coroutine[Any, Any, Any]], name: str) -> None:
        """Run ``job`` as a dialog's use case (see ``Dialogs.in_dialog``)."""
        self.dialogs.in_dialog(job, name)

    @cached_property
    def documents(self) -> DocumentsDesk:
        """What S and P on the plan screen save, and note as printed (``documents_desk``)."""
        from assistant.tui.collaborators.documents_desk import DocumentsDesk

        return DocumentsDesk(self.current, self.records, self.signed_in)

    async def read(self, consult_id: str) -> ConsultRecord | None:
        """The consult as the record holds it now (changed elsewhere); None: it cannot be read now."""
        from assistant.records import RecordsError

        try:
            return await self.dialogs.in_thread(self.records.repository.get, consult_id)
        except RecordsError:
            return None

    # --- the "to sign" list ----------------------------------------------------------------------
    def refresh_to_sign(self) -> None:
        if not self.current.trainer:
            self.host.run_worker(
                self._count_to_sign, name="to-sign", group="to-sign", exclusive=True, exit_on_error=False
            )

    async def _count_to_sign(self) -> None:
        from assistant.records import RecordsError

        try:
            waiting = await self.dialogs.in_thread(self.records.repository.to_sign)
        except RecordsError:
            return  # the server is away: said elsewhere, the count waits for it
        self.show_count(len(waiting))

    async def to_sign(self) -> None:
        from assistant.records import RecordsError
        from assistant.services.pages import to_sign_page

        repository = self.records.repository
        try:
            page = await self.dialogs.in_thread(to_sign_page, repository)
        except RecordsError as error:
            self.records.unreadable(error)
            return
        if not page.rows:
            self.host.notify("Nothing waits for a signature.")
            return
        signed_in = self.signed_in
        may_sign = signed_in.account is None or signed_in.may("sign")
        more = lambda after: to_sign_page(repository, after)  # noqa: E731  (the next pages, as it scrolls)
        consult_id = await self.dialogs.to_sign(list(page.rows), may_sign=may_sign, after=page.next, more=more)
        if consult_id:
            await self.sign(consult_id)  # with nobody signed in, the account picker's PIN signs (asked once)

    async def due(self) -> None:
        import datetime as dt

        from assistant.records import RecordsError
        from assistant.services.due_pages import due_page

        days, today, repository = 7, self.current.today, self.records.repository
        timing = self.current.files.kb.timing
        try:
            page = await self.dialogs.in_thread(due_page, repository, timing, today, days)
        except RecordsError as error:
            self.records.unreadable(error)
            return
        last = today + dt.timedelta(days=days - 1)
        count = f"{len(page.rows)}{' and more below' if page.next else ''}"
        heading = (
            f"Due from {today.isoformat()} to {last.isoformat()}: {count}. Enter on a review records it."
            if page.rows
            else (f"Nobody is due from {today.isoformat()} to {last.isoformat()}.")
        )
        more = lambda after: due_page(repository, timing, today, days, after)  # noqa: E731
        picked = await self.dialogs.due(list(page.rows), heading, after=page.next, more=more)
        if picked is not None:
            from assistant.tui.collaborators.reviewing import review_on_screen

            await review_on_screen(self, picked.consult_id)

    async def add_photo(self, consult_id: str) -> ConsultRecord | None:
        """F on the plan screen or the chart: a photo of the patient added (``photo_adding``)."""
        from assistant.tui.collaborators.photo_adding import PhotoAdding

        return await PhotoAdding(self.current, self.host, self.dialogs, self.records, self.signed_in).add(consult_id)

    # --- recording what was given, signing, amending ---------------------------------------------
    async def run_use_case(self, job: Any, *args: Any, pin_again: bool = False) -> Any:
        """A treatment use case off the UI thread; a refusal is a notice, and None is returned.
        ``pin_again``: a wrong PIN is returned (``WrongPin``), unsaid, for the PIN to be asked again."""
        from assistant.core.lifecycle.given import NothingToGive
        from assistant.core.lifecycle.override import OverLimit
        from assistant.core.lifecycle.staff import NotPermitted, WrongPin
        from assistant.core.lifecycle.vials import VialRefused
        from assistant.records import RecordsError
        from assistant.services.treatment import InvalidGiven

        try:
            return await self.dialogs.in_thread(job, *args)
        except NotPermitted as error:
            if pin_again and isinstance(error, WrongPin):
                return error
            self.host.notify(str(error), title="Not permitted", severity="error", timeout=15)
        except (InvalidGiven, NothingToGive, VialRefused, OverLimit, RecordsError) as error:
            self.host.notify(self.records.in_words(error), title="Nothing was recorded", severity="error", timeout=15)
        return None

    async def give(self, record: ConsultRecord, picked_vial: str | None) -> ConsultRecord | None:
        """The consent, the doses given on screen, the PIN (see ``giving.py``)."""
        from assistant.tui.collaborators.giving import give_on_screen

        return await give_on_screen(self, record, picked_vial)

    async def sign(self, consult_id: str) -> ConsultRecord | None:
        """Sign (or co-sign) what is shown: the lines given, total, lot and differences from the plan
        above the one PIN asked (with nobody signed in, the account picker's PIN is that one). The
        version shown is the version signed: changed meanwhile elsewhere, nothing is signed."""
        from functools import partial

        from assistant.core.lifecycle.what_is_signed import what_is_signed
        from assistant.services import treatment
        from assistant.tui.collaborators.amending import kept_record

        account = self.signed_in.account
        if account is not None and not account.may("sign"):
            self.host.notify("Only an injector or a medical director signs a record.", severity="error")
            return None
        if (record := await kept_record(self, consult_id)) is None:
            return None
        summary = "\n".join(what_is_signed(record))
        job = partial(treatment.sign, self.records.desk, consult_id)
        if account is None:
            ask = "To sign, pick your account and type your PIN."
            picked = await self.signed_in.sign_in_with_pin(ask, summary=summary)
            if picked is None:
                return None
            signed = await self.run_use_case(job, picked[0].name, picked[1], None, record.version)
        else:  # a wrong PIN asks it again; Esc on it signs nothing
            act = lambda name, entry: partial(job, name, entry.pin, None, record.version)  # noqa: E731
            signed = await with_pin(self, lambda name: f"PIN of {name}, to sign what is above:", act, summary=summary)
        if isinstance(signed, Back):
            return None
        if signed is not None:
            self.current.kept_state[signed.consult_id] = signed.state
            self.host.tell_screens(RecordChanged(signed))
            last = signed.signatures[-1]
            more = " A medical director's co-signature is still needed." if signed.awaiting_cosign else ""
            self.host.notify(f"Signed by {last.name}: {last.meaning}.{more}", title="Signed")
            self.refresh_to_sign()
        return signed

    async def amend_on_screen(self, consult_id: str) -> ConsultRecord | None:
        """Change the answers of any recorded consult on screen, with the reason and the PIN (the
        chart's amend; run it with ``in_dialog``). See ``amending.py``."""
        from assistant.tui.collaborators.amending import amend_answers_on_screen

        return await amend_answers_on_screen(self, consult_id)

    async def amend_given_on_screen(self, consult_id: str) -> ConsultRecord | None:
        """Correct the doses recorded as given, with the reason and the PIN (see ``amending.py``)."""
        from assistant.tui.collaborators.amending import amend_given_on_screen

        return await amend_given_on_screen(self, consult_id)

    async def amend(self, consult_id: str, plan: Any, answers: Any) -> ConsultRecord | None:
        """A consult already given (or signed) changed in the UI: an amendment, with its reason."""
        from functools import partial

        from assistant.core.lifecycle.amended_answers import contraindicated_after_giving
        from assistant.core.lifecycle.record import jsonable_answers
        from assistant.services import treatment
        from assistant.services.amend_answers import renaming
        from assistant.tui.collaborators.amending import kept_record, say_contraindicated

        account = self.signed_in.account
        if account is None or not account.may("amend"):
            self.host.notify(
                "Doses are already recorded for this consult: only an injector or a medical director amends it.",
                title="Not saved",
                severity="error",
                timeout=15,
            )
            return None
        if (record := await kept_record(self, consult_id)) is None:
            return None
        kept = jsonable_answers(answers)  # the register is read off the UI thread: the server may be slow
        if (renamed := await self.dialogs.in_thread(renaming, self.records.desk.repository, record, kept)) is not None:
            self.host.notify(f"{renamed} Nothing was amended.", title="Not saved", severity="error", timeout=20)
            return None
        warning = contraindicated_after_giving(record, plan)
        words = "This consult's doses are recorded, so the change is an amendment"
        words += f". {warning} Its" if warning else ": its"
        act = lambda name, entry: partial(  # noqa: E731  (a wrong PIN asks it again, the reason kept)
            treatment.amend_answers, self.records.desk, consult_id, name, entry.pin, entry.reason or "",
            self.current.files.script, plan, answers,
        )  # fmt: skip
        amended = await with_pin(self, lambda name: f"{words} reason, and the PIN of {name}:", act, ask_reason=True)
        if isinstance(amended, Back):
            return None
        say_contraindicated(self, amended, warning)
        if amended is not None:
            reason = amended.revision.reason if amended.revision else None
            self.host.notify(f"Amended: version {amended.version} ({reason}).", title="Amended")
        return amended
