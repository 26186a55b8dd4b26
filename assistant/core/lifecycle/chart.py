"""A patient's chart: every consult newest first with its state, what was given, the signatures,
the amendments, the documents printed, and the next due dates.

The chart screen shows a line per consult at once (from the store's ``history`` summaries) and the
whole of the highlighted one (``ChartConsult``, from its versions and its audit entries). The due
dates are ``tracing.due``'s, over the patient's own treatments, so the chart and "Who is due" never
disagree. Pure: the store hands in the rows, the caller the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from assistant.core.knowledge_model import Timing
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.record_model import RecordModel
from assistant.core.lifecycle.review_answers import event_date, review_words
from assistant.core.lifecycle.staff import ROLE_WORDS
from assistant.core.lifecycle.tracing import DueEntry, Treatment, due
from assistant.core.lifecycle.waiting import WORDS, waiting_for

DOCUMENT_ACTIONS = frozenset({"printed", "exported"})
"""The audit events that say a consult's documents left the program."""


def state_words(summary: ConsultSummary) -> str:
    """A consult's state as the chart lists it: planned, given, signed (and what it still waits for)."""
    words = summary.state if summary.status == "planned" else f"{summary.state} ({summary.status})"
    waits = waiting_for(summary)
    return f"{words}, {WORDS[waits]}" if waits is not None else words


def chart_line(summary: ConsultSummary, label: Callable[[str], str] = str) -> str:
    """One consult in the chart's list: date, state, units, zones (``label``: a zone id in words), who ran it."""
    units = (
        f"{summary.given_units:g} U given" if summary.given_units is not None else f"{summary.total_units:g} U planned"
    )
    zones = ", ".join(label(zone) for zone in summary.zones) or "no zones"
    return (
        f"{summary.date.isoformat()}  {state_words(summary)} · {units} · {zones} · run by {summary.staff or 'someone'}"
    )


class GivenRow(RecordModel):
    zone: str
    side: str
    units: float
    lot: str | None = None
    reason: str | None = None
    """Why it differs from the plan, when it does."""


class SignatureRow(RecordModel):
    name: str
    role: str
    meaning: str
    at: dt.datetime
    kind: str


class AmendmentRow(RecordModel):
    version: int
    at: dt.datetime
    by: str | None
    change: str
    reason: str | None


class DocumentRow(RecordModel):
    at: dt.datetime
    action: str
    detail: str | None


class ReviewRow(RecordModel):
    """A review as the chart shows it: when, by whom, and its change note's words."""

    at: dt.datetime
    by: str | None
    words: str
    serious: bool


class ChartConsult(RecordModel):
    """One consult as its chart shows it whole."""

    consult_id: str
    date: dt.date
    version: int
    state: str
    amended: bool
    status: str
    planned_units: float
    staff: str | None
    lot: str | None
    given_by: str | None = None
    given: tuple[GivenRow, ...] = ()
    given_units: float | None = None
    signatures: tuple[SignatureRow, ...] = ()
    amendments: tuple[AmendmentRow, ...] = ()
    documents: tuple[DocumentRow, ...] = ()
    reviews: tuple[ReviewRow, ...] = ()

    @property
    def state_words(self) -> str:
        return f"{self.state}, amended" if self.amended else self.state

    @classmethod
    def of(cls, versions: Sequence[ConsultRecord], events: Iterable[AuditEvent]) -> ChartConsult:
        """From every version of a consult (oldest first) and its audit events."""
        record = versions[-1]
        amendments = tuple(
            AmendmentRow(version=v.version, at=r.at, by=r.by, change=r.change, reason=r.reason)
            for v in versions
            if (r := v.revision) is not None and r.kind == "amended"
        )
        given = record.given
        return cls(
            consult_id=record.consult_id,
            date=record.date,
            version=record.version,
            state=record.state,
            amended=bool(amendments),
            status=record.status,
            planned_units=record.total_units,
            staff=record.staff,
            lot=record.lot_number,
            given_by=given.by if given else None,
            given=tuple(
                GivenRow(zone=line.zone, side=line.side, units=line.units, lot=line.lot, reason=line.reason)
                for line in (given.lines if given else ())
            ),
            given_units=given.total_units if given else None,
            signatures=tuple(
                SignatureRow(name=s.name, role=ROLE_WORDS.get(s.role, s.role), meaning=s.meaning, at=s.at, kind=s.kind)
                for s in record.signatures
            ),
            amendments=amendments,
            documents=tuple(
                DocumentRow(at=e.at, action=e.action, detail=e.detail) for e in events if e.action in DOCUMENT_ACTIONS
            ),
            reviews=tuple(
                ReviewRow(at=r.at, by=r.by, words=review_words(r), serious=r.serious) for r in record.reviews
            ),
        )


def next_due(treatments: Iterable[Treatment], timing: Timing, today: dt.date) -> list[DueEntry]:
    """The patient's coming review, touch-up window and retreatment, from today to the retreatment
    interval ahead (the knowledge base's figures, as "Who is due" reads them)."""
    horizon = int(timing.retreatment_interval_days.value) + 1
    return due(list(treatments), timing, today, horizon)


def serious_flag(records: Iterable[ConsultRecord]) -> str | None:
    """The chart's flag when a review found a serious adverse event on any of the patient's consults:
    which event, when, after which consult; None when no review found one."""
    found = [
        f"{event.event} on {event_date(review, event).isoformat()} (after the consult of {record.date.isoformat()})"
        for record in records
        for review in record.reviews
        for event in review.adverse_events
        if event.severity == "serious"
    ]
    return "SERIOUS ADVERSE EVENT: " + "; ".join(found) + "." if found else None
