"""Who is due, a page at a time (``core.lifecycle.due_pages`` says how the list is keyed).

For each reason the store hands the treatments that can give its entries, in (date, consult id)
order, a batch at a time; the later treatments of the same patients (which close a touch-up window
or replace a retreatment) are read for that batch alone, and ``tracing.due`` decides the entries,
as it does for the whole list. The three streams are merged by key until the page is full.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator

from assistant.core.knowledge_model import Timing
from assistant.core.lifecycle.due_pages import (
    REASONS,
    BatchAsked,
    Stream,
    TreatmentBatch,
    key_of,
    start_after,
    streams,
)
from assistant.core.lifecycle.pages import DEFAULT_LIMIT, DueKey, Page, decode_due_key, due_cursor, page_of
from assistant.core.lifecycle.tracing import DueEntry, due, due_window
from assistant.records.repository import ConsultRepository

BATCH = 64
"""Treatments read at a time per reason (a page of 50 needs about one batch of each)."""


def _entries(
    repository: ConsultRepository,
    timing: Timing,
    on: dt.date,
    days: int,
    stream: Stream,
    asked: BatchAsked,
    read: TreatmentBatch,
) -> Iterator[tuple[DueKey, DueEntry]]:
    """One reason's entries, in key order, from its first batch (``read``), then a batch at a time."""
    last = due_window(on, days)[1]
    while True:
        batch, later = read
        if not batch:
            return
        wanted = {t.consult_id for t in batch}
        known = {t.consult_id: t for t in (*batch, *later)}
        found = [
            (key_of(entry, timing), entry)
            for entry in due(list(known.values()), timing, on, days)
            if entry.reason == stream.reason and entry.consult_id in wanted
        ]
        yield from sorted(found, key=lambda pair: pair[0])
        if len(batch) < BATCH:
            return
        asked = asked._replace(start=(batch[-1].date, batch[-1].consult_id))
        [read] = repository.due_batches([asked], BATCH, last)


def due_page(
    repository: ConsultRepository,
    timing: Timing,
    on: dt.date,
    days: int,
    after: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page[DueEntry]:
    """Who is due in the ``days`` from ``on``, by (date, reason, treatment date, consult id), from the
    cursor ``after`` (``BadCursor`` when it is not one)."""
    cursor = decode_due_key(after, len(REASONS))
    first, last = due_window(on, days)
    kinds = streams(timing, on, days)
    asked = [BatchAsked(start_after(stream, cursor, first), stream.end, stream.full_only) for stream in kinds]
    read = repository.due_batches(asked, BATCH, last)  # the three first batches in one call
    merged = heapq.merge(
        *(_entries(repository, timing, on, days, *three) for three in zip(kinds, asked, read, strict=True)),
        key=lambda pair: pair[0],
    )
    rows: list[tuple[DueKey, DueEntry]] = []
    for pair in merged:
        rows.append(pair)
        if len(rows) > limit:
            break
    page = page_of(rows, limit, lambda pair: due_cursor(pair[0]))
    return Page(rows=tuple(entry for _, entry in page.rows), next=page.next)
