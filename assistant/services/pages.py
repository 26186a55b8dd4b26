"""Long look-ups a page at a time: recall by lot, a patient's history, the "to sign" list.

Each asks its store for one row more than the page holds: that row only says a next page exists,
whose cursor is the key of the page's last row (``core.lifecycle.pages``). ``every_row`` streams
a whole answer page after page (``--all``), never holding more than a page.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.pages import DEFAULT_LIMIT, Page, decode_day_key, encode, page_of
from assistant.core.lifecycle.tracing import RecallRow
from assistant.records.repository import ConsultRepository


def recall_page(
    repository: ConsultRepository, lot: str, after: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[RecallRow]:
    """Who received ``lot``, newest first, from the cursor ``after`` (``BadCursor`` when it is not one)."""
    before = decode_day_key("recall", after)
    rows = repository.recall_page(lot.strip(), before, limit + 1)
    return page_of(rows, limit, lambda r: encode("recall", (r.date, r.consult_id)))


def history_page(
    repository: ConsultRepository, patients: Sequence[str], after: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[ConsultSummary]:
    """The consults of the patients named (keys or a query), newest first, from the cursor ``after``."""
    before = decode_day_key("history", after)
    rows = repository.history_page(patients, before, limit + 1)
    return page_of(rows, limit, lambda s: encode("history", s.sort_key()))


def to_sign_page(
    repository: ConsultRepository, after: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[ConsultSummary]:
    """What waits for a signature, oldest first, from the cursor ``after``."""
    rows = repository.to_sign_page(decode_day_key("to_sign", after), limit + 1)
    return page_of(rows, limit, lambda s: encode("to_sign", s.sort_key()))
