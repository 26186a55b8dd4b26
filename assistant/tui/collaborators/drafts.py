"""Drafts kept as the consult goes (after each answer), the drafts list, and resuming a draft.

The disk work itself runs in ``DraftKeeper``'s one thread, in the order it was asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.core.text import counted
from assistant.tui.texts import CHANGES_DROPPED

if TYPE_CHECKING:
    from assistant.records import Draft
    from assistant.services.consult_session import ConsultSession
    from assistant.services.drafts import DraftEntry
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.draft_keeper import DraftKeeper
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.dialogs import Dialogs


DRAFTS_WAIT = 3.0
"""Seconds the offer of the patient's unfinished consult waits for the drafts to be read."""


class Drafts:
    def __init__(
        self,
        current: Current,
        host: Host,
        dialogs: Dialogs,
        records: RecordLink,
        resumed: Callable[[ConsultSession], object],
    ) -> None:
        """``resumed(session)``: a draft was resumed as the consult on screen (its patient is then
        looked up, as one typed would be)."""
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.records = records
        self.resumed = resumed
        self.declined: set[str] = set()
        """Drafts a person chose not to resume in place of a new consult for the same patient."""

    @cached_property
    def keeper(self) -> DraftKeeper:
        from assistant.tui.collaborators.draft_keeper import DraftKeeper

        return DraftKeeper(self.records.recorder, self._draft_failed, self._server_changed)

    def flush(self, timeout: float = 10.0) -> None:
        """Every draft write asked for so far has reached the disk (none asked: nothing to wait for)."""
        if "keeper" in self.__dict__:
            self.keeper.flush(timeout)

    def leave(self, timeout: float = 5.0) -> None:
        """The app is leaving: every draft write reaches the disk, and the unfinished consult's draft
        is left free for any workstation (its claim released, issue 22.4)."""
        current = self.current
        with contextlib.suppress(TimeoutError):
            self.flush(timeout)
        if "keeper" in self.__dict__ and not current.trainer:
            left = [] if current.finished else [current.consult]
            for session in [*left, *current.waiting]:  # the waiting ones: resumed here at the next start
                with contextlib.suppress(Exception):  # leaving: never held up by the record
                    self.keeper.release(session, current.staff_name).result(timeout)

    def _server_changed(self, error: Exception | None) -> None:
        """One line when the server goes away mid-consult, and one when it is back."""
        with contextlib.suppress(RuntimeError):  # the app has closed: nothing to tell
            if error is not None:
                self.host.call_from_thread(self.records.say_offline, error)
            else:
                self.host.call_from_thread(self.records.say_back)

    def _draft_failed(self, error: Exception) -> None:
        with contextlib.suppress(RuntimeError):  # the app has closed: nothing to tell
            self.host.call_from_thread(
                self.host.notify, str(error), title="The draft could not be kept on disk", severity="error"
            )

    def keep(self) -> None:
        """After each answer (once the next question is drawn, so disk writes never delay it)."""
        current = self.current
        if not current.trainer and not current.finished:
            self.keeper.save(current.consult, current.staff_name)

    def discard(self, session: ConsultSession) -> None:
        """The consult on screen is abandoned: its draft leaves the disk, and is never written again."""
        if not self.current.trainer:
            self.keeper.close(session, delete=True)

    # --- the drafts list -------------------------------------------------------------------------
    async def listing(self) -> list[DraftEntry]:
        from assistant.records import RecordsError

        try:
            return await asyncio.wrap_future(self.keeper.listing(self.current.consult.draft_id))
        except RecordsError as error:
            self.host.notify(str(error), title="The drafts could not be read", severity="error")
            return []

    async def open_list(self) -> None:
        """The drafts list (palette, or F4 on the consult screen)."""
        if self.current.trainer:
            self.host.notify("Trainer mode keeps no drafts.")
            return
        entries = await self.listing()
        if not entries:
            self.host.notify("No unfinished consults are kept.")
            return
        await self.show(entries)

    async def show(self, entries: list[DraftEntry], *, by_itself: bool = False) -> None:
        """The drafts list over the screen (mounted when this returns); a chosen draft is resumed.
        ``by_itself``: opened at start, not asked for; a key typed for the consult closes it, and
        the drafts are then only mentioned."""

        async def discard(draft_id: str) -> bool:
            return await asyncio.wrap_future(self.keeper.delete(draft_id))

        async def chosen(draft: Draft | None, typed_away: bool) -> None:
            if draft is not None:
                await self.resume(draft)
            elif typed_away:
                self.host.say(mention_drafts(entries))

        current = self.current
        mid_consult = bool(current.consult.answers) and not current.finished
        await self.dialogs.show_drafts(
            entries, current.consult, discard, chosen, mid_consult=mid_consult, by_itself=by_itself
        )

    async def offer_hers(self, session: ConsultSession, otherwise: Callable[[], Awaitable[None]]) -> bool:
        """Once the patient's identifiers are typed: an unfinished consult of hers is offered before a
        second one is started beside it (``core.lifecycle.draft_match``). True: it is being offered
        (``otherwise`` runs if the person starts another, or resumes nothing); False: she has none.
        Asked by itself over the consult, so keys typed meanwhile wait (``ConfirmScreen.unasked``)."""
        from assistant.records import RecordsError
        from assistant.services.drafts import drafts_of_patient

        if self.current.trainer or session.consult_id is not None:
            return False
        try:
            entries = await asyncio.wait_for(asyncio.wrap_future(self.keeper.listing(session.draft_id)), DRAFTS_WAIT)
        except (RecordsError, TimeoutError):  # the drafts list says why when asked for; this only offers
            return False
        hers = [
            d for d in drafts_of_patient(entries, session.answers, session.draft_id) if d.draft_id not in self.declined
        ]
        if not hers or session is not self.current.session:
            return False
        draft = hers[0]
        entry = next(e for e in entries if e.draft is draft)
        more = f" ({counted(len(hers) - 1, 'other')} in the drafts list, F4)" if len(hers) > 1 else ""
        message = (
            f"This patient has an unfinished consult{more}:\n{entry.describe(session.flow)}\n\n"
            "Resume it instead of starting another?"
        )

        async def answered(resume: bool | None) -> None:
            if resume and session is self.current.session and await self._instead(session, draft):
                return
            if not resume:
                self.declined.add(draft.draft_id)  # not offered again while the app runs
                self.host.say("A new consult is started for her; her unfinished one stays in the drafts list (F4).")
            await otherwise()  # who she is in the register, for the consult that goes on

        self.dialogs.confirm(message, "Resume it", "Start another", answered, unasked=True)
        return True

    async def _instead(self, session: ConsultSession, draft: Draft) -> bool:
        """Her draft takes the place of the consult just started for her: that one is discarded when
        every answer it holds is in the draft, else kept as a draft of its own (and said). False: the
        draft is not opened here (another workstation continues it: said by ``claim``)."""
        from assistant.core.lifecycle.draft_match import nothing_but_hers

        if not await self.claim(draft):
            return False
        if nothing_but_hers(session.answers, draft, session.script):
            self.keeper.close(session, delete=True)
        else:
            self.park(session)
            self.host.say("The consult just started for her answers differently: it is kept in the drafts list too.")
        await self._resume_claimed(draft)
        return True

    async def resume(self, draft: Draft) -> None:
        """Resume ``draft`` once this workstation has claimed it (see ``claim``). The consult it takes
        the place of, unfinished, is kept as a draft: said, as a tryout found it gone without a word."""
        if await self.claim(draft):
            left = self.current.session
            kept = self._parks(left) and left is not None and bool(left.answers)
            await self._resume_claimed(draft)
            if kept and left is not None and left.draft_id != draft.draft_id:
                name = left.patient_name() or "an unnamed patient"
                self.host.notify(f"The consult of {name} is kept as a draft: F4 lists it.", title="Kept as a draft")

    async def _resume_claimed(self, draft: Draft) -> None:
        from assistant.services.consult_session import ConsultSession

        current = self.current
        session = ConsultSession(current.files, current.today)
        try:
            session.resume(draft.answers)
        except (ValueError, TypeError, KeyError) as error:
            self.host.notify(f"{error}", title="This draft cannot be resumed", severity="error")
            return
        session.draft_id = draft.draft_id
        session.started_at = draft.started_at
        session.consult_id = draft.consult_id  # a kept consult being changed stays that consult
        session.offered, session.offered_by = dict(draft.offered), draft.offered_by
        if current.changes_unplanned:
            self.host.notify(CHANGES_DROPPED, title="Changes not kept", severity="warning", timeout=15)
        self.park(current.session)
        current.session = session
        current.finished = False
        await self.host.start_consult()
        name = draft.patient_name or "an unnamed patient"
        when = draft.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.host.say(f"Resumed the consult of {name}, last answered {when}. F2 shows the answers kept.")
        self.records.load_vials(session)
        self.resumed(session)

    def park(self, session: ConsultSession | None) -> None:
        """``session`` leaves the screen unfinished for a draft taken up, or for the patient's consult
        of today opened instead (``same_day``): its draft is kept with its claim released, as when the
        app quits. Held, it stayed "being continued" here for the claim's 30 minutes, refused even to
        this workstation started again (a tryout's finding, on both paths)."""
        if self._parks(session):
            assert session is not None
            self.keeper.release(session, self.current.staff_name)
            self.keeper.close(session, delete=False)

    def _parks(self, session: ConsultSession | None) -> bool:
        """Whether ``session``, leaving the screen, is kept as a draft (``park``): an unfinished consult."""
        return session is not None and not self.current.trainer and not self.current.finished

    async def claim(self, draft: Draft) -> bool:
        """Claim the draft before resuming it: refused while another workstation continues it; a
        lapsed claim is taken over only once a person confirms it (asked in a dialog's worker, which
        resumes it then) (issue 22.4)."""
        from assistant.core.lifecycle.claims import DraftClaimed

        try:
            await asyncio.wrap_future(self.keeper.claim(draft))
            return True
        except DraftClaimed as claimed:
            if not claimed.lapsed:
                self.host.notify(str(claimed), title="Not opened", severity="warning", timeout=15)
            else:
                words = str(claimed)
                self.dialogs.in_dialog(lambda: self._take_over(draft, words), "take-over")
            return False

    async def _take_over(self, draft: Draft, words: str) -> None:
        from assistant.core.lifecycle.claims import DraftClaimed

        if not await self.dialogs.yes_no(f"{words} Take it over here?", "Take it over", "Leave it"):
            return
        try:
            await asyncio.wrap_future(self.keeper.claim(draft, take_over=True))
        except DraftClaimed as claimed:  # taken over elsewhere meanwhile, or answered again there
            self.host.notify(str(claimed), title="Not opened", severity="warning", timeout=15)
            return
        await self._resume_claimed(draft)


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
        parts.append(f"{counted(damaged, 'draft file')} could not be read.")
    parts.append("F4 (or Ctrl+P, Drafts) lists them to resume or discard.")
    return " ".join(parts)
