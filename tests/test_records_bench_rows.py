"""The records bench's fast bulk load writes what the program would: each consult's rows made from a
template (``bench/pg_rows.py``) equal those built from its record by the program's own models, and a
database loaded that way reads back the same records and passes ``audit verify``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from pg_bulk import bulk_load
from pg_rows import Rows
from records_data import CHART_CONSULTS, CHART_PATIENT, Clinic

from assistant.core.lifecycle.audit import AuditEvent, chain_after, record_sha
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import lot_key
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.services import audit_trail
from tests.conftest import WORKSTATIONS
from tests.postgres_server import TemporaryServer

pytestmark = pytest.mark.slow  # the bench's plans come from the real planner (seconds)


def _field(text: str) -> str | None:
    return None if text == "\\N" else text.replace("\\\\", "\\")


@pytest.fixture(scope="module")
def clinic() -> Clinic:
    return Clinic(patients=40, years=1, seed=7)


def test_each_consults_rows_are_those_its_record_makes(clinic: Clinic) -> None:
    rows = Rows(clinic, None)
    head = None
    visits = list(clinic.visits(600))
    assert {v.state for v in visits} == {"given", "signed"}
    for visit in visits:
        record = clinic.record_of(visit, *clinic.patients.people[visit.person])
        out: tuple[list[str], ...] = ([], [], [], [], [])
        rows.add(visit, out)  # type: ignore[arg-type]
        consult, version, entry, treatment, lots = ([line.rstrip("\n").split("\t") for line in lines] for lines in out)
        summary = ConsultSummary.of(record)
        assert consult[0] == [
            summary.consult_id, "1", summary.patient_key, summary.patient_name, summary.patient_id or "\\N",
            summary.date.isoformat(), summary.status, summary.state, repr(summary.total_units),
            "{" + ",".join(summary.zones) + "}", summary.staff, repr(summary.given_units),
            summary.given_on.isoformat() if summary.given_on else "\\N", "t" if summary.to_sign else "f",
        ]  # fmt: skip
        assert json.loads(_field(version[0][2]) or "") == record.model_dump(mode="json")
        assert version[0][3] == record_sha(record)
        expected = chain_after(head, AuditEvent.for_version(record, record.staff, record.finished_at))
        head = (expected.seq, expected.hash)
        assert entry[0] == [
            str(expected.seq), expected.at.strftime("%Y-%m-%dT%H:%M:%SZ"), expected.actor, expected.action,
            expected.consult_id, "1", expected.record_sha, "\\N", expected.prev_hash, expected.hash,
        ]  # fmt: skip
        given = treatment_of(record)
        assert given is not None
        assert treatment[0][:9] == [
            given.consult_id, given.patient_key, given.patient_name, given.patient_id or "\\N",
            given.date.isoformat(), given.kind, "{" + ",".join(given.zones) + "}", repr(given.units), given.given_by,
        ]  # fmt: skip
        assert json.loads(_field(treatment[0][9]) or "") == given.lots
        assert sorted((r[0], float(r[2])) for r in lots) == sorted((lot_key(k), v) for k, v in given.lots.items())
    assert rows.head == head


def test_the_chart_patient_comes_two_hundred_times(clinic: Clinic) -> None:
    people = clinic.patients.people
    visits = list(Clinic(patients=40, years=1, seed=7).visits(2000))
    assert people[0] == CHART_PATIENT
    chart = [v for v in visits if v.person == 0]
    assert len(chart) >= CHART_CONSULTS
    assert chart[0].day < date(2026, 3, 1) < chart[-1].day  # spread over the years


def test_a_bulk_loaded_database_reads_back_its_records_and_passes_audit_verify(
    postgres_server: TemporaryServer, postgres_url: str, clinic: Clinic
) -> None:
    owner = postgres_url.replace(f"//{WORKSTATIONS}@", f"//{postgres_server.user}@", 1)
    visits = list(clinic.visits(300))
    assert bulk_load(owner, clinic, visits) == 300
    store = PostgresStore(parse_database_url(postgres_url))
    try:
        for visit in visits[::37]:
            record = clinic.record_of(visit, *clinic.patients.people[visit.person])
            assert store.get(record.consult_id) == record
        verdict = audit_trail.check(store)
        assert verdict.entries == 300
        assert verdict.problems == []
        name = clinic.patients.people[visits[5].person][0]
        assert name in {m.patient_name for m in store.find_patients(name.split()[0])}
        day = datetime(2026, 11, 24, tzinfo=UTC).date() - timedelta(days=400)
        assert store.treatments(day, date(2026, 11, 24))
    finally:
        store.close()
