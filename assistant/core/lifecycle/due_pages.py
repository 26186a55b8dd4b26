"""Who is due, a page at a time: the three kinds of entry read as three ordered streams of treatments.

An entry of who is due falls a fixed number of days after its treatment (the review at day 14,
retreatment at day 90, the touch-up window opening at day 18; a window already open when the list
starts is listed on its first day). So each reason reads the treatments in the order of an index,
(date, consult id), and its entries come out in the order of (due date, reason, treatment date,
consult id), the key of the list: a page merges the three streams and stops after ``limit`` rows,
reading a stream only when its earliest possible key comes before the rows it has (``earliest_key``).
The cursor says where each stream starts again. Which treatments give an entry is decided by
``tracing.due``, as for the whole list. Pure: the service reads the rows.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from assistant.core.knowledge_model import Timing
from assistant.core.lifecycle.pages import AFTER_ALL_IDS, DayKey, DueKey
from assistant.core.lifecycle.tracing import DueEntry, Reason, Treatment, due_window

REASONS: tuple[Reason, ...] = ("review", "touch_up", "retreatment")
"""In the order entries of one day are listed (their rank in the key)."""


class Stream(NamedTuple):
    """The treatments one reason reads: dated from ``start`` to ``end``; only full treatments when
    ``full_only`` (a touch-up has no window and no retreatment of its own)."""

    reason: Reason
    rank: int
    days_after: int
    """Days from the treatment to its entry (for the touch-up window: to its opening)."""
    start: dt.date
    end: dt.date
    full_only: bool
    later: bool
    """Whether its entries depend on the patient's later treatments (a review does not)."""


class BatchAsked(NamedTuple):
    """A batch of one stream: its treatments after ``start`` (date, consult id), dated up to ``end``;
    with ``later``, the same patients' later treatments too."""

    start: DayKey
    end: dt.date
    full_only: bool
    later: bool = True


class TreatmentBatch(NamedTuple):
    """A batch of one stream's treatments (``rows``, in (date, consult id) order) and the treatments
    of the same patients from the batch's first date to the list's last day (``later``: they close
    a window or replace a retreatment; none when not asked), read together."""

    rows: list[Treatment]
    later: list[Treatment]


def streams(timing: Timing, on: dt.date, days: int) -> list[Stream]:
    first, last = due_window(on, days)
    rule = timing.follow_up
    review, opens, closes = rule.review_after_days, rule.touch_up_from_day, rule.touch_up_to_day
    retreat = int(timing.retreatment_interval_days.value)
    back = dt.timedelta
    return [
        Stream("review", 0, review, first - back(days=review), last - back(days=review), False, False),
        Stream("touch_up", 1, opens, first - back(days=closes), last - back(days=opens), True, True),
        Stream("retreatment", 2, retreat, first - back(days=retreat), last - back(days=retreat), True, True),
    ]


def start_after(stream: Stream, cursor: DueKey | None, first: dt.date) -> tuple[dt.date, str]:
    """The (treatment date, consult id) this stream reads after, given the last entry listed."""
    floor = (stream.start, "")
    if cursor is None:
        return floor
    due_on, rank, treated_on, consult_id = cursor
    if rank == stream.rank:
        return max(floor, (treated_on, consult_id))
    if stream.rank > rank:  # entries on the cursor's day come after it
        return floor if due_on <= first else max(floor, (due_on - dt.timedelta(days=stream.days_after), ""))
    return max(floor, (due_on - dt.timedelta(days=stream.days_after), AFTER_ALL_IDS))


def earliest_key(stream: Stream, start: DayKey, first: dt.date) -> tuple[dt.date, int]:
    """No entry of ``stream`` read after ``start`` has a key before this one: its treatments are
    dated on or after ``start``'s date and its entries fall ``days_after`` days after them (or on
    the list's first day), with the stream's rank. A page reads a stream only once the rows before
    this key do not fill it: a first page is most often the first day's reviews alone."""
    return max(first, start[0] + dt.timedelta(days=stream.days_after)), stream.rank


def treated_on(entry: DueEntry, timing: Timing) -> dt.date:
    """The date of the treatment an entry is about (its key's third part)."""
    rule = timing.follow_up
    if entry.reason == "review":
        return entry.date - dt.timedelta(days=rule.review_after_days)
    if entry.reason == "touch_up":
        assert entry.until is not None
        return entry.until - dt.timedelta(days=rule.touch_up_to_day)
    return entry.date - dt.timedelta(days=int(timing.retreatment_interval_days.value))


def key_of(entry: DueEntry, timing: Timing) -> DueKey:
    return (entry.date, REASONS.index(entry.reason), treated_on(entry, timing), entry.consult_id)
