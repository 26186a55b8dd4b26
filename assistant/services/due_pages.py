"""Who is due, a page at a time (``core.lifecycle.due_pages`` says how the list is keyed).

For each reason the store hands the treatments that can give its entries, in (date, consult id)
order, a batch at a time; the later treatments of the same patients (which close a touch-up window
or replace a retreatment) are read for that batch alone, and ``tracing.due`` decides the entries,
as it does for the whole list. The three streams are merged by key until the page is full; a
stream is read only once its earliest possible key comes before the rows already found, so the
first page of a day, most often that day's reviews alone, reads one batch, not three.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator

from assistant.core.knowledge_model import Timing
from assistant.core.lifecycle.due_pages import REASONS, BatchAsked, Stream, earliest_key, key_of, start_after, streams
from assistant.core.lifecycle.pages import DEFAULT_LIMIT, DueKey, Page, decode_due_key, due_cursor, page_of
from assistant.core.lifecycle.tracing import DueEntry, due, due_window
from assistant.records.repository import ConsultRepository

BATCH = 64
"""Treatments read at a time per reason (a page of 50 needs about one batch of one reason)."""


def _entries(
    repository: ConsultRepository, timing: Timing, on: dt.date, days: int, stream: Stream, asked: BatchAsked
) -> Iterator[tuple[DueKey, DueEntry]]:
    """One reason's entries, in key order, read a batch at a time from ``asked``."""
    last = due_window(on, days)[1]
    while True:
        [(batch, later)] = repository.due_batches([asked], BATCH, last)
        if not batch:
            return
        wanted = {t.consult_id for t in batch}
        known = {t.consult_id: t for t in (*batch, *later)}
        found = [
            (key_of(entry, timing), entry)
            for entry in due(list(known.values()), timing, on, days, only=stream.reason, of=wanted)
        ]
        yield from sorted(found, key=lambda pair: pair[0])
        if len(batch) < BATCH:
            return
        asked = asked._replace(start=(batch[-1].date, batch[-1].consult_id))


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
    first = due_window(on, days)[0]
    unread: list[tuple[tuple[dt.date, int], Stream, BatchAsked]] = []
    for stream in streams(timing, on, days):
        asked = BatchAsked(start_after(stream, cursor, first), stream.end, stream.full_only, stream.later)
        unread.append((earliest_key(stream, asked.start, first), stream, asked))
    unread.sort(key=lambda waiting: waiting[0])
    heads: list[tuple[DueKey, int, DueEntry, Iterator[tuple[DueKey, DueEntry]]]] = []
    rows: list[tuple[DueKey, DueEntry]] = []
    while len(rows) <= limit:
        if unread and (not heads or unread[0][0] <= heads[0][0]):  # a stream may hold the next row: read it
            _, stream, asked = unread.pop(0)
            _push(heads, _entries(repository, timing, on, days, stream, asked), stream.rank)
        elif heads:
            key, rank, entry, rest = heapq.heappop(heads)
            rows.append((key, entry))
            _push(heads, rest, rank)
        else:
            break
    page = page_of(rows, limit, lambda pair: due_cursor(pair[0]))
    return Page(rows=tuple(entry for _, entry in page.rows), next=page.next)


def _push(
    heads: list[tuple[DueKey, int, DueEntry, Iterator[tuple[DueKey, DueEntry]]]],
    entries: Iterator[tuple[DueKey, DueEntry]],
    rank: int,
) -> None:
    """The stream's next entry onto the heap of heads (none when the stream is done)."""
    following = next(entries, None)
    if following is not None:
        heapq.heappush(heads, (following[0], rank, following[1], entries))
