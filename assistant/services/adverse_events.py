"""Adverse events by lot: the report over the records, and recall's rows with what their reviews found
(and the zones given from the lot, read from the same records).

Built on the look-ups every store has (``recall`` for a lot, ``treatments`` for a period) and the
records themselves, so both stores answer alike and no index carries reviews: a review is part of
the record, hashed with it, and ``audit verify`` covers it.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.adverse_events import AdverseEventRow, adverse_event_rows, event_words
from assistant.core.lifecycle.pages import Page
from assistant.core.lifecycle.tracing import RecallRow
from assistant.records.repository import ConsultRepository


def adverse_events(
    repository: ConsultRepository, lot: str | None, start: dt.date | None, end: dt.date | None
) -> list[AdverseEventRow]:
    """Events found at reviews, oldest first: of ``lot``'s patients when named, dated from ``start``
    to ``end`` when given. A review comes after its treatment, so treatments dated after ``end``
    cannot hold an event dated before it."""
    if lot is not None:
        consult_ids = [row.consult_id for row in repository.recall(lot.strip())]
    else:
        treatments = repository.treatments(dt.date.min, end or dt.date.max, lots=False)
        consult_ids = [t.consult_id for t in treatments]
    rows: list[AdverseEventRow] = []
    for consult_id in dict.fromkeys(consult_ids):
        record = repository.get(consult_id)
        if record is not None and record.reviews:
            rows += adverse_event_rows(record, lot, start, end)
    return sorted(rows, key=lambda r: (r.date, r.consult_id, r.lot, r.event))


def with_events(repository: ConsultRepository, page: Page[RecallRow], lot: str) -> Page[RecallRow]:
    """A page of recall with, on each row, the adverse events its consult's reviews found and the
    zones given from ``lot`` (the index keeps the treatment's zones, all of them; the record, read
    here for its reviews anyway, says which lines came from which lot)."""
    rows = []
    for row in page.rows:
        record = repository.get(row.consult_id)
        update: dict[str, object] = {}
        if record is not None and (found := event_words(record)):
            update["adverse_events"] = found
        if record is not None and record.given is not None and (zones := record.given.zones_of_lot(lot)):
            update["zones"] = zones
        rows.append(row.model_copy(update=update) if update else row)
    return Page[RecallRow](rows=tuple(rows), next=page.next)
