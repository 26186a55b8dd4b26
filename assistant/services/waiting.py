"""What waits for whom, read a page at a time: consults to give, to sign and to co-sign.

"To give" is the store's own list (``to_give_page``); "to sign" and "to co-sign" are the two halves
of the "to sign" list, told apart by state (``core.lifecycle.waiting``). A page of either half is read
from the "to sign" list's pages until it holds its rows, so its cursor is a plain (date, consult id)
key like every other. The Waiting screen and ``botulax-consult waiting`` both read these.
"""

from __future__ import annotations

from collections.abc import Iterator

from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.pages import DEFAULT_LIMIT, DayKey, Page, decode_day_key, encode, every_row, page_of
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.waiting import WaitingFor, WaitingRow, kinds_for, waiting_for
from assistant.records.repository import ConsultRepository


def _summaries(
    repository: ConsultRepository, kind: WaitingFor, after: DayKey | None, limit: int
) -> list[ConsultSummary]:
    """At most ``limit`` consults waiting for ``kind`` after the key ``after``, oldest first."""
    if kind == "give":
        return [one for one in repository.to_give_page(after, limit) if waiting_for(one) == "give"]
    found: list[ConsultSummary] = []
    while len(found) < limit:
        batch = repository.to_sign_page(after, limit)
        found += [one for one in batch if waiting_for(one) == kind]
        if len(batch) < limit:
            break
        after = batch[-1].sort_key()
    return found[:limit]


def waiting_page(
    repository: ConsultRepository, kind: WaitingFor, after: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[WaitingRow]:
    """A page of the consults waiting for ``kind``, oldest first, from the cursor ``after``."""
    start = decode_day_key(f"waiting_{kind}", after)
    rows = [WaitingRow.of(s, kind) for s in _summaries(repository, kind, start, limit + 1)]
    return page_of(rows, limit, lambda r: encode(f"waiting_{kind}", (r.date, r.consult_id)))


def every_waiting(repository: ConsultRepository, account: StaffAccount | None) -> Iterator[WaitingRow]:
    """Every row ``account`` may act on (all of them without an account): to give, to sign, to co-sign."""
    for kind in kinds_for(account):
        yield from every_row(lambda after, kind=kind: waiting_page(repository, kind, after))  # type: ignore[misc]


COUNT_CAP = 500
"""Counted at most per tab: past it the header says "500+" (a count never reads a whole long list)."""


def counts(repository: ConsultRepository, account: StaffAccount | None) -> dict[WaitingFor, int]:
    """How many consults wait for each kind ``account`` may act on (the Waiting screen's header),
    each at most ``COUNT_CAP + 1`` (more than the cap)."""
    return {kind: len(_summaries(repository, kind, None, COUNT_CAP + 1)) for kind in kinds_for(account)}
