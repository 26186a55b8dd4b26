"""A save and a look-up on a real PostgreSQL server take few round trips (issue 21): a first
version is one statement before its audit entry, a returning patient's name prefixes are rewritten
only when her name changes, look-ups send no BEGIN, and a pooled connection is tried only after it
rested, still meeting a restarted server with a fresh connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, text

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.pages import every_row
from assistant.records.errors import VersionConflict
from assistant.records.postgres import connection as pg_connection
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.services.due_pages import due_page
from assistant.services.pages import history_page
from assistant.services.recording import save_new
from tests.conftest import MakeRecord
from tests.postgres_server import TemporaryServer
from tests.test_records_contract import AT, INJECTOR, keep


@contextmanager
def statements(store: PostgresStore) -> Iterator[list[str]]:
    """The statements the store sends while the block runs (BEGIN and COMMIT are the driver's, not here)."""
    sent: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        sent.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresStore]:
    kept = PostgresStore(parse_database_url(postgres_url))
    yield kept
    kept.close()


def test_a_first_version_is_one_statement_and_its_audit_entry_one_more(
    store: PostgresStore, make_record: MakeRecord
) -> None:
    save_new(store, make_record("Kim Ji-woo", patient_id="P-1"))
    record = make_record("Kim Ji-woo", patient_id="P-1")
    with statements(store) as sent:
        save_new(store, record)
    assert [s.split()[0] for s in sent] == ["WITH", "SELECT", "WITH"]  # the save; the head, locked; entry + head
    assert "FOR UPDATE" in sent[1] and "INSERT INTO audit" in sent[2] and "UPDATE audit_head" in sent[2]
    assert store.get(record.consult_id) == record
    assert [e.action for e in store.audit_entries(record.consult_id)] == ["consult saved"]
    with pytest.raises(VersionConflict):
        save_new(store, record)  # the id taken: the insert did nothing, nothing else was written
    assert len(store.versions(record.consult_id)) == 1


def test_a_returning_patients_prefixes_are_rewritten_only_when_her_name_changes(
    store: PostgresStore, make_record: MakeRecord
) -> None:
    save_new(store, make_record("Lee Seo-yeon", patient_id="P-7"))
    with statements(store) as sent:
        save_new(store, make_record("Lee Seo-yeon", patient_id="P-7"))
    assert not any("name_prefixes" in s and s.startswith("DELETE") for s in sent)
    with statements(store) as sent:
        save_new(store, make_record("Lee Seo-yeon Park", patient_id="P-7"))  # her name, as now written
    assert any(s.startswith("DELETE FROM name_prefixes") for s in sent)
    assert [m.patient_name for m in store.find_patients("Seo Par")] == ["Lee Seo-yeon Park"]
    assert store.find_patients("Lee Seo-yeon")[0].consults == 3


def test_look_ups_send_no_transaction_and_several_words_find_in_name_order(
    store: PostgresStore, make_record: MakeRecord
) -> None:
    for name, number in [("Kim Ji-woo", "P-3"), ("Kim Ji-won", None), ("Ahn Kim-ji", "P-2"), ("Kim Min-ji", "P-1")]:
        save_new(store, make_record(name, patient_id=number))
    with statements(store) as sent:
        found = [m.patient_name for m in store.find_patients("kim ji")]
    assert found == ["Ahn Kim-ji", "Kim Ji-won", "Kim Ji-woo", "Kim Min-ji"]
    assert not any(s.upper().startswith(("BEGIN", "ROLLBACK")) for s in sent)
    with store.reads.connect() as connection:
        assert connection.connection.driver_connection.autocommit  # type: ignore[union-attr]


@pytest.mark.stops_postgres
@pytest.mark.slow
def test_a_rested_connection_is_tried_so_a_restarted_server_is_met_afresh(
    postgres_server: TemporaryServer, store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.history("anyone") == []
    postgres_server.stop()
    postgres_server.start_again()
    monkeypatch.setattr(pg_connection, "PING_AFTER", 0.0)  # the pooled connection rested long enough
    assert store.history("anyone") == []  # tried, found dead, replaced: no error
    postgres_server.stop()
    postgres_server.start_again()
    monkeypatch.setattr(pg_connection, "PING_AFTER", 3600.0)  # used a moment ago, but the server spoke:
    assert store.history("anyone") == []  # its "terminating connection" waits on the socket, so it is tried


def test_a_page_of_a_full_name_or_a_clinic_number_is_one_statement(
    store: PostgresStore, make_record: MakeRecord
) -> None:
    """The patients are chosen in the statement that reads their page, as ``history`` chooses them
    (the number's patient alone, else every patient of exactly that name); a name's prefix is
    resolved first, and its pages are the same as the whole history too."""
    for name, number in [("Kim Ji-woo", "P-1"), ("Kim Ji-woo", "P-2"), ("Kim Ji-won", "P-3"), ("Kim Ji-woo", "P-2")]:
        save_new(store, make_record(name, patient_id=number))
    for query, patients, one_statement in [("kim ji-woo", 2, True), ("P-2", 1, True), ("Kim Ji", 3, False)]:
        whole = store.history(query)
        assert len({s.patient_key for s in whole}) == patients
        with statements(store) as sent:
            page = history_page(store, [query], None, 2)
        assert list(page.rows) == whole[:2]
        assert (len(sent) == 1) is one_statement
        assert list(every_row(lambda after, q=query: history_page(store, [q], after, 2))) == whole


def test_the_first_page_of_a_day_of_reviews_reads_the_reviews_alone(
    store: PostgresStore, make_record: MakeRecord, kb: KnowledgeBase
) -> None:
    """The day's reviews fill the page before any touch-up window or retreatment could: the other
    reasons' treatments are not read, nor the reviewed patients' later treatments."""
    day = date(2026, 9, 1)
    for name in ("Kim Ji-woo", "Lee Bora", "Park Mina"):
        planned = keep(store, make_record(name, day=day))
        keep(store, rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, AT))  # type: ignore[arg-type]
    on = day + timedelta(days=kb.timing.follow_up.review_after_days)
    with statements(store) as sent:
        page = due_page(store, kb.timing, on, 7, None, 2)
    assert [e.reason for e in page.rows] == ["review", "review"] and page.next is not None
    assert len(sent) == 1 and " UNION " not in sent[0]
    rest = list(every_row(lambda after: due_page(store, kb.timing, on, 7, after or page.next, 2)))
    assert [e.reason for e in rest] == ["review", "touch_up", "touch_up", "touch_up"]


def test_a_returning_patients_row_is_not_locked_when_it_already_names_her(
    store: PostgresStore, make_record: MakeRecord
) -> None:
    """Neither her next consult nor its next version takes her row's lock (``ON CONFLICT DO UPDATE``
    locks the row it meets: a WAL record and a dirtied page, a full page image after a checkpoint);
    her name changed, the row is written again as before."""
    first = save_new(store, make_record("Choi Yu-na", patient_id="P-9"))

    def row() -> tuple[str, str]:
        with store.reads.connect() as connection:
            found = connection.execute(
                text("SELECT xmax::text, patient_name FROM patients WHERE patient_key = :k"), {"k": first.patient_key}
            ).one()
        return found[0], found[1]

    before = row()  # xmax: the first save's, which locked the row for her name prefixes (their key)
    planned = save_new(store, make_record("Choi Yu-na", patient_id="P-9"))
    keep(store, rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, AT))  # type: ignore[arg-type]
    assert row() == before == (before[0], "Choi Yu-na")  # no later transaction locked or changed it
    save_new(store, make_record("Choi Yu-na Kim", patient_id="P-9"))
    assert row()[1] == "Choi Yu-na Kim"
    assert [m.patient_name for m in store.find_patients("Yu-na Kim")] == ["Choi Yu-na Kim"]
