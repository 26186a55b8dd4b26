"""Whatever the order of saves, new versions, gives, signs and amendments (refused ones included),
``history`` lists each consult once, at its latest version, and the audit trail verifies."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount
from assistant.records import TinyDBStore
from assistant.services import audit_trail
from assistant.services.desk import Desk
from assistant.services.recording import save_new
from assistant.services.treatment import keep
from tests.conftest import MakeRecord

AT = datetime(2026, 11, 24, 9, tzinfo=UTC)
STAFF = [
    StaffAccount(name=name, role=role, pin_hash="$argon2id$x", created_at=AT)  # type: ignore[arg-type]
    for name, role in (("Jun Park", "junior"), ("Ina Choi", "injector"), ("Dr Mina Seo", "medical_director"))
]
OPERATIONS = ("new", "revise", "give", "sign", "amend_given", "amend_answers")
steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 4), st.integers(0, 2), st.booleans()), min_size=1, max_size=14
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_keeps_one_row_per_consult_and_a_verifiable_trail(
    make_record: MakeRecord, steps: list[tuple[str, int, int, bool]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = TinyDBStore(Path(folder), durable=False)
        desk = Desk(store)
        consults: list[str] = []
        moment = AT
        for operation, which, who, cosign in steps:
            moment += timedelta(minutes=1)
            actor = STAFF[who]
            if operation == "new" or not consults:
                record = make_record("Kim Ji-woo" if which % 2 else "Lee Bora", zones=("glabella", "crows_feet"))
                consults.append(save_new(store, record.model_copy(update={"cosign_required": cosign})).consult_id)
                continue
            current = store.get(consults[which % len(consults)])
            assert current is not None
            with contextlib.suppress(NotPermitted):  # refused as the rules say: nothing is written
                keep(desk, change(current, operation, actor, moment, make_record), actor.name)
            rows = store.history("Kim Ji-woo") + store.history("Lee Bora")
            assert sorted(r.consult_id for r in rows) == sorted(consults)
            for row in rows:
                latest = store.get(row.consult_id)
                assert latest is not None and (row.version, row.state) == (latest.version, latest.state)
                assert [v.version for v in store.versions(row.consult_id)] == list(range(1, latest.version + 1))
        verdict = audit_trail.check(store)
        assert verdict.ok, verdict.problem
        latest = [store.get(c) for c in consults]
        assert {r.consult_id for r in store.to_sign()} == {r.consult_id for r in latest if r is not None and r.to_sign}


def change(
    current: ConsultRecord, operation: str, actor: StaffAccount, at: datetime, make: MakeRecord
) -> ConsultRecord:
    if operation == "revise":
        other = make(current.patient_name, zones=("glabella",), age=50)
        return rules.revise(current, other.plan, other.answers, "age changed", at, actor.name)
    if operation == "give":
        return rules.give(current, lines_from_plan(current.plan, "BX1", None), actor, at)
    if operation == "sign":
        return rules.sign(current, actor, at)
    if operation == "amend_given":
        lines = lines_from_plan(current.plan, "BX2", None)
        return rules.amend(current, actor, at, "lot corrected", "given changed", lines=lines)
    other = make(current.patient_name, zones=("glabella", "forehead"))
    return rules.amend(current, actor, at, "zones corrected", "answers changed", plan=other.plan, answers=other.answers)
