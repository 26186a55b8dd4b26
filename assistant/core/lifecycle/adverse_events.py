"""Adverse events found at reviews, linked to the lots given: the rows of ``report adverse-events``
and the words ``recall`` adds to a lot's patients.

An event is found on a consult; the consult's doses came from one lot or more, so an event is
listed once per lot it may belong to (a review cannot tell which vial of one session caused it).
Dated by its onset when known, else by the review. Pure: the store hands in the records.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.review_answers import event_date
from assistant.core.lifecycle.tracing import Row
from assistant.core.lifecycle.vials import lot_key


class AdverseEventRow(Row):
    """One event, one lot (JSON fields are a contract: ``report adverse-events --format json``)."""

    consult_id: str
    patient_id: str | None
    patient_name: str
    lot: str
    """The lot as the record names it ("" for doses recorded without one)."""
    event: str
    severity: str
    date: dt.date
    reviewed_at: dt.datetime
    reviewed_by: str | None
    treated_on: dt.date
    zones: tuple[str, ...]
    note: str | None = None


def adverse_event_rows(
    record: ConsultRecord, lot: str | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> list[AdverseEventRow]:
    """The record's events per lot given: only ``lot`` (as lots compare) when named, only those dated
    from ``start`` to ``end`` (both included) when given."""
    if record.given is None:
        return []
    lots = [name for name in record.given.units_by_lot() if lot is None or (name and lot_key(name) == lot_key(lot))]
    rows = []
    for review in record.reviews:
        for event in review.adverse_events:
            day = event_date(review, event)
            if (start is not None and day < start) or (end is not None and day > end):
                continue
            rows += [
                AdverseEventRow(
                    consult_id=record.consult_id,
                    patient_id=record.patient_id,
                    patient_name=record.patient_name,
                    lot=name,
                    event=event.event,
                    severity=event.severity,
                    date=day,
                    reviewed_at=review.at,
                    reviewed_by=review.by,
                    treated_on=record.date,
                    zones=record.given.zones_of_lot(name) or record.treated_zones,  # of the lot, as recall
                    note=event.note,
                )
                for name in lots
            ]
    return rows


def event_words(record: ConsultRecord) -> tuple[str, ...]:
    """Each event the reviews found, as recall lists it: ``headache (mild)``."""
    return tuple(f"{e.event} ({e.severity})" for review in record.reviews for e in review.adverse_events)
