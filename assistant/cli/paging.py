"""``--limit``, ``--after`` and ``--all`` of the long look-ups (``recall``, ``due``, ``history``), and
how their output says where the next page starts.

Text ends with a line ``more: --after CURSOR`` when there is a next page. JSON stays the bare list it
always was, written a row at a time (so ``--all`` streams it); the cursor is then said on standard
error, or with ``--paged`` the output is ``{"rows": [...], "next": CURSOR or null}``. CSV and
calendars say it on standard error. ``--all`` reads the whole answer page after page, holding one
page at a time.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from assistant.cli.common import emit, say

if TYPE_CHECKING:  # the parser is built before the UI starts: no pydantic on that path
    from assistant.core.lifecycle.pages import Page

T = TypeVar("T")
DEFAULT_LIMIT = 50
"""``core.lifecycle.pages.DEFAULT_LIMIT``, named here so that building the parser imports no model."""
MOST = 10_000
"""The largest page asked for with ``--limit`` (``--all`` for the whole answer)."""


def add_paging(parser: argparse.ArgumentParser, default: int) -> None:
    parser.add_argument("--limit", type=int, default=default, metavar="N", help=f"rows on a page (default {default})")
    parser.add_argument("--after", metavar="CURSOR", help="the next page: the cursor the page before ended with")
    parser.add_argument("--all", action="store_true", help="the whole answer (streamed), not a page")
    parser.add_argument(
        "--paged", action="store_true", help='JSON as {"rows": [...], "next": CURSOR or null} instead of a bare list'
    )


def problem(args: argparse.Namespace) -> str | None:
    """A sentence when the paging flags do not go together, else None."""
    if not 1 <= args.limit <= MOST:
        return f"--limit is a number of rows from 1 to {MOST:,} (--all for the whole answer)."
    if args.all and args.after is not None:
        return "--all reads the whole answer from its start: it takes no --after."
    return None


class Rows:
    """The rows a command prints and, once they are printed, the next page's cursor (None: the last)."""

    def __init__(self, args: argparse.Namespace, read: Callable[[str | None, int], Page[T]]) -> None:
        from assistant.core.lifecycle.pages import STREAM_PAGE, every_row

        self.next: str | None = None
        if args.all:
            self.rows: Iterable[Any] = _shown(args.command, every_row(lambda after: read(after, STREAM_PAGE)))
        else:
            page = read(args.after, args.limit)  # BadCursor before anything is printed
            self.rows, self.next = page.rows, page.next

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


def _shown(what: str, rows: Iterator[T]) -> Iterator[T]:
    """The rows of ``--all`` as they stream, their count shown as progress (``progress.py``)."""
    from assistant.cli.progress import progress
    from assistant.core.progress import counted

    with progress(f"{what} --all") as report:
        yield from counted(rows, report)


def more_line(cursor: str | None) -> str | None:
    return f"more: --after {cursor}" if cursor else None


def say_more(cursor: str | None) -> None:
    """The next page's cursor on standard error (outputs that have no place for it)."""
    if line := more_line(cursor):
        say(line)


def emit_json(args: argparse.Namespace, rows: Rows, dump: Callable[[Any], Any]) -> None:
    """The rows as the JSON list ``json.dumps(..., indent=2)`` writes, a row at a time."""
    inner = "    " if args.paged else "  "
    emit('{\n  "rows": [' if args.paged else "[", end="", json_text=True)
    first = True
    for row in rows:
        text = json.dumps(dump(row), indent=2, ensure_ascii=False).replace("\n", "\n" + inner)
        emit(("\n" if first else ",\n") + inner + text, end="", json_text=True)
        first = False
    closing = "" if first else "\n" + inner[:-2]
    if args.paged:
        emit(f'{closing}],\n  "next": {json.dumps(rows.next)}\n}}', json_text=True)
    else:
        emit(f"{closing}]", json_text=True)
        say_more(rows.next)
