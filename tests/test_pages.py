"""Keyset pages of the long look-ups, on both stores: recall by lot, a patient's history, the "to
sign" list and who is due. A page and the next meet exactly; the last page has no cursor; the pages
put together are the whole answer; a cursor the program did not give is refused; rows of one date
keep one order; a row saved between two pages neither repeats nor hides a row before the cursor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.due_pages import key_of
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.pages import BadCursor, Page, encode, every_row
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records import ConsultRepository
from assistant.services.due_pages import due_page
from assistant.services.pages import history_page, recall_page, to_sign_page
from assistant.services.tracing import who_is_due
from tests.conftest import MakeRecord
from tests.test_records_contract import AT, INJECTOR, keep

DAYS = [date(2026, 9, 1), date(2026, 9, 1), date(2026, 9, 3), date(2026, 9, 3), date(2026, 9, 3), date(2026, 9, 8)]
"""Two and three consults share a date: their order is the consult id's."""


def _given(repository: ConsultRepository, record: ConsultRecord, lot: str = "BX1") -> ConsultRecord:
    planned = keep(repository, record)
    return keep(repository, rules.give(planned, lines_from_plan(planned.plan, lot, None), INJECTOR, AT))  # type: ignore[arg-type]


def _pages(read, size: int) -> list[Page]:  # type: ignore[no-untyped-def]
    pages = [read(None, size)]
    while pages[-1].next is not None:
        pages.append(read(pages[-1].next, size))
    return pages


@pytest.fixture
def treated(repository: ConsultRepository, make_record: MakeRecord) -> list[ConsultRecord]:
    """Six treatments with lot BX1 (two patients called Kim Ji-woo), and one with another lot."""
    names = [("Kim Ji-woo", "P-1"), ("Kim Ji-woo", "P-2")]
    saved = [
        _given(repository, make_record(names[i % 2][0], patient_id=names[i % 2][1], day=d)) for i, d in enumerate(DAYS)
    ]
    _given(repository, make_record("Lee Bora", day=date(2026, 9, 2)), lot="OTHER")
    return saved


def test_recall_pages_meet_and_end_and_make_the_whole_list(
    repository: ConsultRepository, treated: list[ConsultRecord]
) -> None:
    pages = _pages(lambda after, n: recall_page(repository, "bx1", after, n), 4)
    assert [len(p.rows) for p in pages] == [4, 2] and pages[-1].next is None
    rows = [r for p in pages for r in p.rows]
    assert rows == repository.recall("BX1")
    assert [(r.date, r.consult_id) for r in rows] == sorted(((r.date, r.consult_id) for r in rows), reverse=True)
    assert len({r.consult_id for r in rows}) == 6
    assert list(every_row(lambda after: recall_page(repository, "BX1", after, 2))) == rows
    assert recall_page(repository, "BX1", None, 6).next is None  # exactly a page: no empty page after it


def test_history_of_a_common_name_in_pages(repository: ConsultRepository, treated: list[ConsultRecord]) -> None:
    whole = repository.history("Kim Ji-woo")
    assert len(whole) == 6  # both patients of that name
    pages = _pages(lambda after, n: history_page(repository, ["Kim Ji-woo"], after, n), 2)
    assert [len(p.rows) for p in pages] == [2, 2, 2] and pages[-1].next is None
    assert [s for p in pages for s in p.rows] == whole


def test_the_to_sign_list_in_pages(repository: ConsultRepository, treated: list[ConsultRecord]) -> None:
    whole = repository.to_sign()
    assert len(whole) == 7
    pages = _pages(lambda after, n: to_sign_page(repository, after, n), 3)
    assert [len(p.rows) for p in pages] == [3, 3, 1]
    assert [s for p in pages for s in p.rows] == whole


def test_a_row_saved_between_pages_neither_repeats_nor_hides_a_row(
    repository: ConsultRepository, treated: list[ConsultRecord], make_record: MakeRecord
) -> None:
    first = recall_page(repository, "BX1", None, 3)
    newer = _given(repository, make_record("Park Mina", day=date(2026, 9, 9)))  # before the cursor: not shown
    same_day = _given(repository, make_record("Park Mina", day=date(2026, 9, 3)))  # a later id: before the cursor
    older = _given(repository, make_record("Park Mina", day=date(2026, 9, 2)))  # after the cursor: shown
    rest = list(every_row(lambda after: recall_page(repository, "BX1", after or first.next, 3)))
    seen = [r.consult_id for r in (*first.rows, *rest)]
    assert len(seen) == len(set(seen)) == 7
    assert newer.consult_id not in seen and same_day.consult_id not in seen and older.consult_id in seen
    assert set(seen) | {newer.consult_id, same_day.consult_id} == {r.consult_id for r in repository.recall("BX1")}


def test_who_is_due_in_pages_is_who_is_due(
    repository: ConsultRepository, treated: list[ConsultRecord], kb: KnowledgeBase
) -> None:
    on, days = date(2026, 9, 10), 100
    whole = who_is_due(repository, kb, on, days)
    assert len(whole) >= 10
    pages = _pages(lambda after, n: due_page(repository, kb.timing, on, days, after, n), 3)
    assert all(len(p.rows) == 3 for p in pages[:-1]) and pages[-1].next is None
    rows = [e for p in pages for e in p.rows]
    keys = [key_of(e, kb.timing) for e in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert sorted(rows, key=lambda e: key_of(e, kb.timing)) == sorted(whole, key=lambda e: key_of(e, kb.timing))
    for size in (1, 2, 5, 50):
        assert list(every_row(lambda after, n=size: due_page(repository, kb.timing, on, days, after, n))) == rows


def test_a_later_treatment_closes_the_window_on_every_page(
    repository: ConsultRepository, make_record: MakeRecord, kb: KnowledgeBase
) -> None:
    """A touch-up window closed by the next treatment, and a retreatment replaced by a later full one,
    are gone from the pages as from the whole list, whichever page the later treatment falls on."""
    start = date(2026, 6, 1)
    for offset in (0, 19, 95, 96):
        _given(repository, make_record("Choi Yuna", patient_id="P-9", day=start + timedelta(days=offset)))
    on, days = start + timedelta(days=10), 100
    whole = who_is_due(repository, kb, on, days)
    rows = list(every_row(lambda after: due_page(repository, kb.timing, on, days, after, 1)))
    assert sorted(rows, key=lambda e: key_of(e, kb.timing)) == sorted(whole, key=lambda e: key_of(e, kb.timing))
    # day 0's window is closed by day 19, its retreatment (day 90) replaced by day 95; day 96's review is after
    assert [(e.reason, (e.date - start).days) for e in rows] == [
        ("review", 14), ("review", 33), ("touch_up", 37), ("review", 109),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "cursor",
    ["", "nonsense", "e30", encode("history", (date(2026, 9, 1), "20260901-100000-aaaaaaaa")), "W10", "WyJyZWNhbGwiXQ"],
)
def test_a_cursor_not_given_by_the_look_up_is_refused(
    repository: ConsultRepository, treated: list[ConsultRecord], cursor: str
) -> None:
    with pytest.raises(BadCursor, match="--after cursor is not one this command gave"):
        recall_page(repository, "BX1", cursor, 3)
    good = recall_page(repository, "BX1", None, 3).next
    assert good is not None
    with pytest.raises(BadCursor):
        recall_page(repository, "BX1", good[:-3], 3)
    with pytest.raises(BadCursor):
        history_page(repository, ["Kim Ji-woo"], good, 3)  # a recall's cursor is not a history's
