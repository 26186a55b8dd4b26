"""The unfinished consults kept on disk, as staff choose among them: who, when, where it stopped.

A draft that cannot be read is listed as damaged with its file, never left out and never a reason
for the list (or the UI) to fail: it stays on disk untouched for someone to recover by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.core.flow import Flow
from assistant.records import ConsultRepository, Draft
from assistant.records.errors import StoreUnavailable


@dataclass(frozen=True)
class DraftEntry:
    """One line of the drafts list: a draft, or the id of one that could not be read and why."""

    draft_id: str
    draft: Draft | None = None
    damaged: str | None = None
    elsewhere: str | None = None
    """Another workstation's claim on it, in words (``being continued in ... since HH:MM``)."""

    def describe(self, flow: Flow) -> str:
        """Patient, when it was started and last answered, and the question it stopped at."""
        if self.draft is None:
            return f"A damaged draft ({self.draft_id}): {self.damaged}"
        draft = self.draft
        name = draft.patient_name or "an unnamed patient"
        born = draft.answers.get("date_of_birth")
        name += f" (born {born})" if born else ""  # two drafts of one name told apart by the second identifier
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
        claimed = f" · {self.elsewhere}" if self.elsewhere else ""
        return f"{name} · started {started}, last answered {updated} · {stopped}{claimed}"


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def claimed_elsewhere(draft: Draft, holder: str | None, moment: dt.datetime) -> str | None:
    """Words for a draft another workstation continues (None: free, or this app's own)."""
    from assistant.core.lifecycle.claims import claim_words, lapsed

    claim = draft.claim
    if claim is None or claim.released or holder is None or claim.holder == holder:
        return None
    if lapsed(claim, moment):
        return (
            f"was {claim_words(claim)}, no answer since {claim.seen.astimezone().strftime('%H:%M')}: may be taken over"
        )
    return claim_words(claim)


def list_drafts(
    repository: ConsultRepository,
    *,
    leave_out: str | None = None,
    local: ConsultRepository | None = None,
    holder: str | None = None,
) -> list[DraftEntry]:
    """Every draft but ``leave_out`` (the consult on screen), most recently answered first; the
    damaged ones last, each with its file and what is wrong with it.

    ``local``: this computer's folder, where drafts wait while the clinic's server cannot be
    reached; its drafts are listed too (the newer copy of one kept in both), and while the server is
    away the list is this computer's alone. ``holder``: this app's claim holder; a draft another
    workstation continues is listed with who and since when."""
    try:
        drafts, damaged = repository.draft_listing()
    except StoreUnavailable:
        if local is None:
            raise
        drafts, damaged = [], []
    if local is not None:
        here, damaged_here = local.draft_listing()
        newest: dict[str, Draft] = {d.draft_id: d for d in drafts}
        for draft in here:
            kept = newest.get(draft.draft_id)
            if kept is None or draft.updated_at > kept.updated_at:
                newest[draft.draft_id] = draft
        drafts = sorted(newest.values(), key=lambda d: d.updated_at, reverse=True)
        damaged = [*damaged, *damaged_here]
    moment = dt.datetime.now(dt.UTC)
    entries = [
        DraftEntry(d.draft_id, draft=d, elsewhere=claimed_elsewhere(d, holder, moment))
        for d in drafts
        if d.draft_id != leave_out
    ]
    for error in damaged:
        entries.append(DraftEntry(error.path.stem, damaged=f"{error.path} cannot be read ({error.reason})"))
    return entries


def delete_draft(repository: ConsultRepository, draft_id: str, *, local: ConsultRepository | None = None) -> bool:
    """A draft leaves the record, and this computer's copy too (one kept while the server was away)."""
    deleted = local.delete_draft(draft_id) if local is not None else False
    try:
        return repository.delete_draft(draft_id) or deleted
    except StoreUnavailable:
        if not deleted:
            raise
        return deleted


def drafts_of_patient(entries: list[DraftEntry], answers: Mapping[str, object], leave_out: str | None) -> list[Draft]:
    """The readable drafts of ``entries`` that name the patient ``answers`` name (two identifiers
    agreeing, ``core.lifecycle.draft_match``), newest first; none before her name is answered."""
    from assistant.core.lifecycle.draft_match import drafts_of
    from assistant.services.patients import identifiers_from

    identifiers = identifiers_from(answers)
    if identifiers is None:
        return []
    readable = [entry.draft for entry in entries if entry.draft is not None]
    return drafts_of(identifiers, [(draft, identifiers_from(draft.answers)) for draft in readable], leave_out)
