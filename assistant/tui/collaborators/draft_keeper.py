"""The drafts' disk work, off the UI thread but in the order it was asked for.

Each answer saves the consult's draft; discarding the consult or finishing it deletes the draft.
Run as independent workers, a save still under way could write a draft back after it was deleted,
to be offered again at the next start. Here every draft operation runs in one thread, one after
another, and a session once discarded or finished is never saved again.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from assistant.records import Draft
    from assistant.services.consult_session import ConsultSession
    from assistant.services.drafts import DraftEntry
    from assistant.services.recording import SessionRecorder

T = TypeVar("T")


class DraftKeeper:
    def __init__(
        self,
        recorder: SessionRecorder,
        on_error: Callable[[Exception], None],
        on_server: Callable[[Exception | None], None] | None = None,
    ) -> None:
        """``on_error`` is called (in the drafts thread) with a failed save's error; ``on_server``
        when the clinic's server goes away (with why) or comes back (None) between two saves."""
        self.recorder = recorder
        self.on_error = on_error
        self.on_server = on_server
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drafts")
        self._closed: weakref.WeakSet[ConsultSession] = weakref.WeakSet()
        """The sessions discarded or finished (touched in the drafts thread only)."""

    def _submit(self, job: Callable[[], T]) -> Future[T]:
        return self._pool.submit(job)

    def save(self, session: ConsultSession, staff: str | None) -> Future[None]:
        def job() -> None:
            if session in self._closed:
                return
            before = self.recorder.offline
            try:
                self.recorder.save_draft(session, staff)
            except Exception as error:  # reported, never raised into a thread nobody waits on
                self.on_error(error)
                return
            after = self.recorder.offline
            if self.on_server is not None and (before is None) != (after is None):
                self.on_server(after)

        return self._submit(job)

    def close(self, session: ConsultSession, *, delete: bool) -> Future[bool]:
        """No more saves for ``session``; with ``delete``, its draft leaves the disk too."""

        def job() -> bool:
            self._closed.add(session)
            if delete and session.draft_id is not None:
                return self._delete(session.draft_id)
            return False

        return self._submit(job)

    def delete(self, draft_id: str) -> Future[bool]:
        return self._submit(lambda: self._delete(draft_id))

    def _delete(self, draft_id: str) -> bool:
        from assistant.services.drafts import delete_draft

        deleted = delete_draft(self.recorder.repository, draft_id, local=self.recorder.fallback)
        self.recorder.kept_here().discard(draft_id)
        return deleted

    def listing(self, leave_out: str | None) -> Future[list[DraftEntry]]:
        from assistant.services.drafts import list_drafts

        recorder = self.recorder
        holder = recorder.claims.holder if recorder.claims else None
        return self._submit(
            lambda: list_drafts(recorder.repository, leave_out=leave_out, local=recorder.fallback, holder=holder)
        )

    def release(self, session: ConsultSession, staff: str | None) -> Future[None]:
        """The app is leaving with ``session`` unfinished, or kept on this computer only (planned while
        the server was away): its draft is kept with its claim released, so any workstation (this one
        started again) continues it without waiting for it to lapse."""
        recorder = self.recorder

        def job() -> None:
            if session.draft_id is None or recorder.claims is None:
                return
            here = session.draft_id in recorder.kept_here()  # planned while the server was away
            if session in self._closed and not here:
                return
            draft = recorder.draft_of(session, staff)
            assert draft.claim is not None
            released = draft.model_copy(update={"claim": draft.claim.model_copy(update={"released": True})})
            with contextlib.suppress(Exception):  # leaving: a claim not released lapses in its time
                if here:
                    recorder.keep_here(released)
                else:
                    recorder.repository.save_draft(released)

        return self._submit(job)

    def claim(self, draft: Draft, *, take_over: bool = False) -> Future[None]:
        """Claim ``draft`` to resume it: saved with this app's claim, in turn with the other draft
        work. ``DraftClaimed`` (from the future) when another workstation continues it; while the
        server is away the draft is resumed unclaimed, as before claims."""
        from assistant.records.errors import StoreUnavailable
        from assistant.services.recording import now

        recorder = self.recorder

        def job() -> None:
            if recorder.claims is None:
                return
            try:
                recorder.repository.save_draft(recorder.claims.resumed(draft, now(), take_over=take_over))
            except StoreUnavailable:
                return

        return self._submit(job)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait (briefly) until every draft operation asked for so far has run."""
        self._submit(lambda: None).result(timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
