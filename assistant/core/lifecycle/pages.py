"""Pages of a long answer, by keyset: each page starts after the key of the last row of the one before.

A look-up that can return many rows (recall by lot, who is due, a patient's history, the "to sign"
list) is read a page at a time, ordered by a key that is unique (a date and the consult id), so a
page reads an index range and costs the same on the first page as on the thousandth, and a row added
between two pages never repeats or skips a row before the cursor. The cursor handed to the user is
the key as opaque text (base64 of a small JSON list, naming the look-up it belongs to); anything
else given back as a cursor is refused with a sentence. Pure: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from assistant.core.lifecycle.ids import is_record_id

DEFAULT_LIMIT = 50
"""Rows on a page unless asked otherwise."""
STREAM_PAGE = 500
"""Rows read at a time when the whole answer is streamed (``--all``)."""
AFTER_ALL_IDS = "~"
"""Sorts after every consult id: ``(day, AFTER_ALL_IDS)`` is "after every consult of that day"."""

T = TypeVar("T")
DayKey = tuple[dt.date, str]
"""(date, consult id): the key of recall, history and the "to sign" list."""


class BadCursor(ValueError):
    """A cursor this look-up did not give (mistyped, cut, or of another command)."""

    def __init__(self) -> None:
        super().__init__(
            "the --after cursor is not one this command gave: copy it whole from the 'more:' line of the page before."
        )


class Page(BaseModel, Generic[T]):
    """Rows of one page and the cursor of the next (None on the last page)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    rows: tuple[T, ...]
    next: str | None


def encode(kind: str, key: tuple[object, ...]) -> str:
    """The key as opaque text: base64 (URL-safe, unpadded) of ``[kind, *key]``, dates as ISO text."""
    parts = [kind, *(part.isoformat() if isinstance(part, dt.date) else part for part in key)]
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def _parts(kind: str, cursor: str, count: int) -> list[object]:
    try:
        text = base64.urlsafe_b64decode(cursor.strip() + "=" * (-len(cursor.strip()) % 4)).decode("ascii")
        parts = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor() from None
    if not isinstance(parts, list) or len(parts) != count + 1 or parts[0] != kind:
        raise BadCursor()
    return parts[1:]


def _date(value: object) -> dt.date:
    if not isinstance(value, str):
        raise BadCursor()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadCursor() from None


def _consult_id(value: object) -> str:
    if not isinstance(value, str) or not is_record_id(value):
        raise BadCursor()
    return value


def day_key_cursor(kind: str, key: DayKey) -> str:
    return encode(kind, key)


def decode_day_key(kind: str, cursor: str | None) -> DayKey | None:
    """The (date, consult id) a cursor of ``kind`` holds; None for no cursor; ``BadCursor`` otherwise."""
    if cursor is None:
        return None
    day, consult_id = _parts(kind, cursor, 2)
    return _date(day), _consult_id(consult_id)


def decode_id_key(kind: str, cursor: str | None) -> str | None:
    """The consult id a cursor of ``kind`` holds (the recent consults are keyed by id alone)."""
    if cursor is None:
        return None
    (consult_id,) = _parts(kind, cursor, 1)
    return _consult_id(consult_id)


DueKey = tuple[dt.date, int, dt.date, str]
"""(due date, reason's rank, date of the treatment, consult id): the key of who is due."""


def due_cursor(key: DueKey) -> str:
    return encode("due", key)


def decode_due_key(cursor: str | None, ranks: int) -> DueKey | None:
    if cursor is None:
        return None
    day, rank, treated, consult_id = _parts("due", cursor, 4)
    if not isinstance(rank, int) or isinstance(rank, bool) or not 0 <= rank < ranks:
        raise BadCursor()
    return _date(day), rank, _date(treated), _consult_id(consult_id)


def page_of(rows: list[T], limit: int, cursor_of: Callable[[T], str]) -> Page[T]:
    """A page from ``limit + 1`` rows read: the extra row only says there is a next page."""
    if len(rows) > limit:
        kept = rows[:limit]
        return Page(rows=tuple(kept), next=cursor_of(kept[-1]))
    return Page(rows=tuple(rows), next=None)


def every_row(read: Callable[[str | None], Page[T]]) -> Iterator[T]:
    """The whole answer, page after page, holding one page at a time (``--all``)."""
    cursor: str | None = None
    while True:
        page = read(cursor)
        yield from page.rows
        if page.next is None:
            return
        cursor = page.next
