"""The next pages of a long list (To sign, Who is due), read as the highlight nears the end.

A plain object a list screen owns: it knows where the next page starts and how to read it, reads it
off the UI thread, and reads each page once however many highlights ask for it meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from assistant.records.errors import RecordsError

NEAR_THE_END = 5
"""Rows left below the highlight when the next page is read."""


class NextPages:
    def __init__(self, after: str | None, more: Callable[[str], Any] | None) -> None:
        """``after``: the next page's cursor (None: the list is whole); ``more(after)`` reads it (a
        ``Page``; run in a thread)."""
        self.after = after if more is not None else None
        self.more = more

    def wanted(self, highlighted: int, shown: int) -> bool:
        """Whether the highlight is near enough the last row shown to read the next page."""
        return self.after is not None and highlighted >= shown - NEAR_THE_END

    async def read(self, notify: Callable[..., None]) -> tuple[Any, ...]:
        """The next page's rows; none when the list is whole, already read, or could not be read (said)."""
        after, more = self.after, self.more
        if after is None or more is None:
            return ()
        try:
            page = await asyncio.to_thread(more, after)
        except RecordsError as error:
            notify(str(error), title="The next page could not be read", severity="error")
            return ()
        if self.after != after:
            return ()  # read already
        self.after = page.next
        return tuple(page.rows)
