"""The chart and the Waiting lists' pure parts: what a consult waits for, who may act on it, a
consult's whole story from its versions, the next due dates, and a search as typed.

Records come from the real planner and the real lifecycle rules; the search runs on both stores.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.chart import ChartConsult, chart_line, next_due, state_words
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.waiting import WaitingRow, kinds_for, may_do, waiting_for
from assistant.records import ConsultRepository
from assistant.services import chart
from tests.conftest import MakeRecord
from tests.helpers import TODAY, keep

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
INJECTOR = StaffAccount(name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=AT)
DIRECTOR = StaffAccount(name="Dr Mina Seo", role="medical_director", pin_hash="$argon2id$x", created_at=AT)
JUNIOR = StaffAccount(name="Jun Park", role="junior", pin_hash="$argon2id$x", created_at=AT)


def test_what_a_consult_waits_for_follows_its_state(make_record: MakeRecord) -> None:
    planned = make_record("Kim Ji-woo").model_copy(update={"cosign_required": True})
    given = rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, AT)
    signed = rules.sign(given, INJECTOR, AT)
    cosigned = rules.sign(signed, DIRECTOR, AT)
    stopped = make_record("Oh Mina", pregnant_or_breastfeeding=True)
    kinds = [waiting_for(ConsultSummary.of(r)) for r in (planned, given, signed, cosigned, stopped)]
    assert kinds == ["give", "sign", "cosign", None, None]
    assert planned.to_give and not given.to_give and not stopped.to_give
    assert state_words(ConsultSummary.of(planned)) == "planned, to give"
    assert state_words(ConsultSummary.of(stopped)) == "planned (contraindicated)"
    assert state_words(ConsultSummary.of(cosigned)) == "signed"
    assert chart_line(ConsultSummary.of(given)).startswith(f"{TODAY.isoformat()}  given, to sign · 20 U given")


def test_each_role_sees_only_what_it_may_do() -> None:
    assert kinds_for(JUNIOR) == ()
    assert kinds_for(INJECTOR) == ("give", "sign")
    assert kinds_for(DIRECTOR) == ("give", "sign", "cosign")
    assert kinds_for(None) == ("give", "sign", "cosign")  # no staff accounts: all, as "To sign" always was
    assert not may_do(INJECTOR, "cosign") and may_do(DIRECTOR, "cosign")


def test_a_waiting_row_says_who_and_how_much(make_record: MakeRecord) -> None:
    record = make_record("Kim Ji-woo", patient_id="C-17")
    row = WaitingRow.of(ConsultSummary.of(record), "give")
    assert row.describe() == f"{TODAY.isoformat()} · Kim Ji-woo (C-17) · 20 U planned · glabella · run by Dr Test"
    assert row.model_dump(mode="json")["waiting_for"] == "give"


def test_a_consults_story_has_what_was_given_signatures_amendments_and_documents(make_record: MakeRecord) -> None:
    planned = make_record("Kim Ji-woo", zones=("glabella", "forehead"))
    given = rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, AT)
    signed = rules.sign(given, INJECTOR, AT + timedelta(minutes=5))
    lines = tuple(line.model_copy(update={"lot": "BX9"}) for line in signed.given.lines)  # type: ignore[union-attr]
    amended = rules.amend(signed, DIRECTOR, AT + timedelta(days=1), "lot misread", "given lines", lines=lines)
    printed = AuditEvent(at=AT, actor="Ina Choi", action="printed", consult_id=planned.consult_id, detail="a.pdf")
    other = AuditEvent(at=AT, actor="Ina Choi", action="wrong pin", consult_id=planned.consult_id)
    story = ChartConsult.of([planned, given, signed, amended], [printed, other])
    assert (story.state, story.amended, story.state_words) == ("signed", True, "signed, amended")
    assert {(g.zone, g.lot) for g in story.given} == {("glabella", "BX9"), ("forehead", "BX9")}
    assert story.given_units == planned.total_units and story.given_by == "Ina Choi"
    assert [(s.name, s.role, s.kind) for s in story.signatures] == [("Ina Choi", "injector", "signature")]
    [amendment] = story.amendments
    assert (amendment.version, amendment.by, amendment.reason) == (4, "Dr Mina Seo", "lot misread")
    assert [(d.action, d.detail) for d in story.documents] == [("printed", "a.pdf")]
    fresh = ChartConsult.of([planned], [])
    assert (fresh.state_words, fresh.given, fresh.signatures) == ("planned", (), ())


def test_the_next_due_dates_are_who_is_dues_for_her_treatments(make_record: MakeRecord, kb: KnowledgeBase) -> None:
    record = make_record("Kim Ji-woo", day=TODAY - timedelta(days=3))
    given = rules.give(record, lines_from_plan(record.plan, "BX1", None), INJECTOR, AT)
    treatment = treatment_of(given.model_copy(update={"entered_on": TODAY}))
    assert treatment is not None
    due = next_due([treatment], kb.timing, TODAY)
    review = kb.timing.follow_up.review_after_days
    retreat = int(kb.timing.retreatment_interval_days.value)
    assert [e.reason for e in due] == ["review", "touch_up", "retreatment"]
    assert due[0].date == record.date + timedelta(days=review)
    assert due[-1].date == record.date + timedelta(days=retreat)
    assert next_due([], kb.timing, TODAY) == []


def test_a_query_is_a_name_or_number_and_perhaps_a_date_of_birth() -> None:
    assert chart.read_query("  Kim   Ji ") == chart.Query("Kim Ji", None)
    assert chart.read_query("kim 1990-03-02") == chart.Query("kim", date(1990, 3, 2))
    assert chart.read_query("1990-03-02") == chart.Query("", date(1990, 3, 2))
    assert chart.read_query("kim 1990-02-31").problem == (
        "1990-02-31 is not a date: type a date of birth as YYYY-MM-DD, e.g. 1991-03-07."
    )
    assert chart.read_query("02.03.1990").problem == "02.03.1990: type a date of birth as YYYY-MM-DD, e.g. 1991-03-07."
    assert chart.read_query("1990-3-2").problem == "1990-3-2: type a date of birth as YYYY-MM-DD, e.g. 1991-03-07."
    assert "outside the dates" in str(chart.read_query("1890-03-02").problem)
    assert not chart.read_query("1990-02-31").searchable and not chart.read_query(" ").searchable
    assert chart.read_query("kim 1990-03-0") == chart.Query("", None)  # still being typed: nothing said yet


def test_search_finds_by_name_number_and_date_of_birth_on_each_store(
    repository: ConsultRepository, make_record: MakeRecord
) -> None:
    from assistant.services import patients

    for name, number, born in (("Kim Ji-woo", "C-17", "1990-03-02"), ("Kim Ji-woo", "C-18", "1985-07-09")):
        record = make_record(name, patient_id=number, date_of_birth=born)
        identity = patients.identify(repository, patients.identifiers_from(record.answers))  # type: ignore[arg-type]
        key = patients.attach(repository, identity, AT, new_patient=True)
        keep(repository, record.model_copy(update={"patient_key": key}))
    first = chart.search(repository, "kim ji")  # one look-up: the dates of birth are read next
    assert [(p.checked, p.date_of_birth, p.consults) for p in first] == [(False, None, 1), (False, None, 1)]
    assert "date of birth..." in first[0].describe()
    both = chart.checked(repository, first)
    wanted = {("C-17", date(1990, 3, 2)), ("C-18", date(1985, 7, 9))}
    assert {(p.clinic_number, p.date_of_birth) for p in both} == wanted
    [one] = chart.search(repository, "Kim 1985-07-09")
    assert one.clinic_number == "C-18" and "born 1985-07-09" in one.describe()
    assert [p.clinic_number for p in chart.search(repository, "C-17")] == ["C-17"]
    assert [p.clinic_number for p in chart.search(repository, "1985-07-09")] == ["C-18"]
    assert chart.search(repository, "nobody") == []


def test_the_waiting_pages_split_to_sign_from_to_cosign_and_the_counts_stop_at_the_cap(
    repository: ConsultRepository, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.services import waiting

    def kept(name: str, day: int, cosign: bool = False) -> ConsultRecord:
        record = make_record(name, day=TODAY - timedelta(days=day)).model_copy(update={"cosign_required": cosign})
        return keep(repository, record)

    to_give = [kept(f"Give {n}", n) for n in (3, 2, 1)]
    to_sign, to_cosign = [], []
    for n, cosign in ((6, True), (5, False), (4, True), (3, False), (2, True), (1, False)):
        planned = kept(f"Sign {n}", n, cosign)
        given = keep(repository, rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, AT))
        if cosign:
            to_cosign.append(keep(repository, rules.sign(given, INJECTOR, AT)))
        else:
            to_sign.append(given)

    def ids(kind: str) -> list[str]:
        pages, after = [], None
        while True:
            page = waiting.waiting_page(repository, kind, after, limit=2)  # type: ignore[arg-type]
            pages.append([row.consult_id for row in page.rows])
            if page.next is None:
                return [i for rows in pages for i in rows] + [f"pages: {len(pages)}"]
            after = page.next

    assert ids("give") == [r.consult_id for r in to_give] + ["pages: 2"]
    assert ids("sign") == [r.consult_id for r in to_sign] + ["pages: 2"]
    assert ids("cosign") == [r.consult_id for r in to_cosign] + ["pages: 2"]
    assert waiting.counts(repository, INJECTOR) == {"give": 3, "sign": 3}
    monkeypatch.setattr(waiting, "COUNT_CAP", 2)
    assert waiting.counts(repository, DIRECTOR) == {"give": 3, "sign": 3, "cosign": 3}  # 3: more than 2
    assert waiting.counts(repository, JUNIOR) == {}


def test_a_chart_has_her_identifiers_consults_newest_first_and_due_dates_on_each_store(
    repository: ConsultRepository, make_record: MakeRecord, kb: KnowledgeBase
) -> None:
    from assistant.records import ConsultNotFound
    from assistant.services import patients

    older = make_record("Kim Ji-woo", day=TODAY - timedelta(days=3), patient_id="C-17", date_of_birth="1990-03-02")
    identity = patients.identify(repository, patients.identifiers_from(older.answers))  # type: ignore[arg-type]
    key = patients.attach(repository, identity, AT, new_patient=True)
    older = keep(repository, older.model_copy(update={"patient_key": key}))
    keep(repository, rules.give(older, lines_from_plan(older.plan, "BX1", None), INJECTOR, AT))
    newer = keep(repository, make_record("Kim Ji-woo", patient_id="C-17").model_copy(update={"patient_key": key}))
    found = chart.open_chart(repository, key, kb.timing, TODAY)
    assert (found.patient.name, found.patient.clinic_number, found.patient.date_of_birth) == (
        "Kim Ji-woo",
        "C-17",
        date(1990, 3, 2),
    )
    assert [(s.consult_id, s.state) for s in found.consults] == [
        (newer.consult_id, "planned"),
        (older.consult_id, "given"),
    ]
    assert found.due[0].reason == "review" and found.due[0].consult_id == older.consult_id
    story = chart.consult_story(repository, older.consult_id)
    assert story.state == "given" and story.given_units == older.total_units
    with pytest.raises(ConsultNotFound):
        chart.open_chart(repository, "nobody-at-all", kb.timing, TODAY)


def test_a_folder_kept_before_the_to_give_list_gets_it_from_reindex(tmp_path: Path, make_record: MakeRecord) -> None:
    import json

    from assistant.records import TinyDBStore

    store = TinyDBStore(tmp_path / "data", durable=False)
    planned = keep(store, make_record("Kim Ji-woo"))
    held = json.loads(store.layout.to_sign_file.read_text(encoding="utf-8"))
    store.layout.to_sign_file.write_text(json.dumps({"waiting": held.get("waiting", {})}), encoding="utf-8")
    assert store.to_give_page(None, None) == []  # as a folder kept before the list existed
    event = AuditEvent(at=AT, action="reindexed")
    assert store.rebuild_indexes(lambda fixed: event) == [  # compared like the to-sign list, and written
        f"the giving index does not list consult {planned.consult_id}, which waits to be given: "
        "the to-give list (Waiting, `waiting`) would not show it."
    ]
    assert [s.consult_id for s in store.to_give_page(None, None)] == [planned.consult_id]
