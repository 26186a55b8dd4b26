"""For any day of consults, gives and merges among people with colliding names, a patient's 90-day
count holds her own doses only, and once her duplicate records are merged, all of them.

The people share names in every way the register must tell apart: the same name born on other
days, the same person with and without a clinic number, a name written in another case. A person at
the desk answers the register's suggestions truthfully, except that now and then she says "a
different person" for the same one (a duplicate record), which a medical director later merges.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.register import Identifiers, RegisterRefused, merge
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.planner import make_plan
from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import patients
from assistant.services.earlier import earlier_doses
from assistant.services.recording import make_record, save_new
from tests.helpers import TODAY, base_answers

PEOPLE = [
    Identifiers(name="Kim Minji", date_of_birth=dt.date(1990, 3, 2)),
    Identifiers(name="Kim Minji", date_of_birth=dt.date(1985, 7, 19)),
    Identifiers(name="Kim Minji", date_of_birth=dt.date(1992, 1, 9), clinic_number="P-1"),
    Identifiers(name="Lee Sora", date_of_birth=dt.date(1979, 12, 1), clinic_number="P-2"),
]
"""Who is really there; a visit may leave the clinic number out or write the name in capitals."""

INJECTOR = StaffAccount(
    name="Ina Choi", role="injector", pin_hash="x", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
)
WINDOW = 90

visit = st.tuples(
    st.integers(0, len(PEOPLE) - 1),  # who
    st.integers(0, 120),  # days before TODAY
    st.booleans(),  # given
    st.booleans(),  # the number left out today
    st.booleans(),  # the name typed in capitals
    st.booleans(),  # the desk wrongly says "a different person"
)


def as_typed(person: Identifiers, drop_number: bool, capitals: bool) -> Identifiers:
    return Identifiers(
        name=person.name.upper() if capitals else person.name,
        date_of_birth=person.date_of_birth,
        clinic_number=None if drop_number else person.clinic_number,
    )


def keep_visit(store: TinyDBStore, resources: Resources, truth: dict[str, int], visit: tuple) -> tuple[str, float]:
    who, days_ago, give, drop_number, capitals, mistaken = visit
    person = PEOPLE[who]
    typed = as_typed(person, drop_number, capitals)
    day = TODAY - dt.timedelta(days=days_ago)
    at = dt.datetime.combine(day, dt.time(10), dt.UTC)
    identity = patients.identify(store, typed)
    if identity.conflict is not None:  # her number with her name typed otherwise: refused, and retyped
        assert truth[identity.conflict.patient_key] == who, "a number is refused only for its own holder here"
        typed = typed.model_copy(update={"name": identity.conflict.name})  # as the record spells it
        identity = patients.identify(store, typed)
    confirmed = None
    if identity.matched is not None:
        assert truth[identity.matched.patient_key] == who, "an exact match is always the same person"
    else:
        same = [s.patient.patient_key for s in identity.suggestions if truth.get(s.patient.patient_key) == who]
        holder = typed.clinic_number is not None and any(
            s.patient.clinic_number == typed.clinic_number for s in identity.suggestions
        )
        if mistaken and holder:  # one clinic number is one patient: "a different person" is refused
            with pytest.raises(RegisterRefused, match="belongs to"):
                patients.attach(store, identity, at, new_patient=True)
            mistaken = False  # and the desk confirms her
        confirmed = same[0] if same and not mistaken else None
    key = patients.attach(store, identity, at, confirmed=confirmed, new_patient=confirmed is None)
    truth.setdefault(key, who)
    answers = base_answers(
        patient_name=typed.name,
        date_of_birth=typed.date_of_birth.isoformat(),  # type: ignore[union-attr]
        zones=["glabella"],
        **({"patient_id": typed.clinic_number} if typed.clinic_number else {}),
    )
    flow = Flow(resources.script, day)
    read = flow.read_file(answers)
    assert read.ok, read.problems
    plan = make_plan(Consult.from_answers(flow, read.answers), resources.kb, resources.clinic)
    record = make_record(plan, read.answers, started_at=at, finished_at=at, patient_key=key)
    record = save_new(store, record)
    if not give:
        return record.consult_id, 0.0
    given = rules.give(record, lines_from_plan(record.plan, "LOT-1", dt.date(2030, 1, 1)), INJECTOR, at)
    store.save(given, AuditEvent.for_version(given, INJECTOR.name, at))
    return record.consult_id, given.given.total_units  # type: ignore[union-attr]


def count_for(store: TinyDBStore, key: str) -> set[str]:
    return set(earlier_doses(store, key, TODAY, WINDOW).consults)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(visits=st.lists(visit, min_size=1, max_size=8))
@example(visits=[(2, 0, False, False, True, False), (2, 0, False, False, False, True)])  # her number, other capitals
def test_a_count_holds_her_own_doses_only_and_all_of_them_once_merged(resources: Resources, visits: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = TinyDBStore(Path(folder), durable=False)
        truth: dict[str, int] = {}
        given_to: dict[int, set[str]] = {i: set() for i in range(len(PEOPLE))}
        for item in visits:
            consult_id, units = keep_visit(store, resources, truth, item)
            days_ago = item[1]
            if units and days_ago < WINDOW:
                given_to[item[0]].add(consult_id)
        for key, who in truth.items():
            assert count_for(store, key) <= given_to[who], "another person's doses were counted"
        for who in range(len(PEOPLE)):  # a director merges each person's duplicate records
            keys = sorted(k for k, w in truth.items() if w == who)
            for other in keys[1:]:
                kept, absorbed = merge(store.registered(keys[0]), store.registered(other))  # type: ignore[arg-type]
                at = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
                store.save_patients([kept, absorbed], AuditEvent(at=at, action="patients merged"))
            if keys:
                assert count_for(store, keys[0]) == given_to[who], "once merged, every dose of hers counts"
