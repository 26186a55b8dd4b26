"""The unfinished consults kept on disk, as staff choose among them: who, when, where it stopped.

A draft that cannot be read is listed as damaged with its file, never left out and never a reason
for the list (or the UI) to fail: it stays on disk untouched for someone to recover by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.core.flow import Flow
from assistant.records import ConsultRepository, Draft


@dataclass(frozen=True)
class DraftEntry:
    """One line of the drafts list: a draft, or the id of one that could not be read and why."""

    draft_id: str
    draft: Draft | None = None
    damaged: str | None = None

    def describe(self, flow: Flow) -> str:
        """Patient, when it was started and last answered, and the question it stopped at."""
        if self.draft is None:
            return f"A damaged draft ({self.draft_id}): {self.damaged}"
        draft = self.draft
        name = draft.patient_name or "an unnamed patient"
        started = _local(draft.started_at)
        updated = _local(draft.updated_at)
        question = draft.current_question
        if question is None:
            stopped = "every question answered"
        else:
            try:
                stopped = f"stopped at “{flow.question(question).prompt}”"  # an entry of a repeat group too
            except KeyError:
                stopped = "stopped at a question no longer in the script"
        return f"{name} · started {started}, last answered {updated} · {stopped}"


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def list_drafts(repository: ConsultRepository, *, leave_out: str | None = None) -> list[DraftEntry]:
    """Every draft but ``leave_out`` (the consult on screen), most recently answered first; the
    damaged ones last, each with its file and what is wrong with it."""
    drafts, damaged = repository.draft_listing()
    entries = [DraftEntry(d.draft_id, draft=d) for d in drafts if d.draft_id != leave_out]
    for error in damaged:
        entries.append(DraftEntry(error.path.stem, damaged=f"{error.path} cannot be read ({error.reason})"))
    return entries
