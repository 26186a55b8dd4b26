"""Issue 22.6: with the clinic's ``require_cosign``, a medical director who signs first has signed as
the medical director, so the record is complete; an injector's signature still waits for a
director's co-signature. The rule is the record's own (pure), so it holds on every path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount
from tests.conftest import MakeRecord

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def account(name: str, role: str) -> StaffAccount:
    return StaffAccount(name=name, role=role, pin_hash="$argon2id$x", created_at=AT)  # type: ignore[arg-type]


INJECTOR = account("Ina Choi", "injector")
DIRECTOR = account("Dr Mina Seo", "medical_director")
DIRECTOR_2 = account("Dr Han Lee", "medical_director")
STAFF = (INJECTOR, DIRECTOR, DIRECTOR_2)


@pytest.fixture
def cosigned_clinic_record(make_record: MakeRecord) -> ConsultRecord:
    record = make_record("Kim Ji-woo", zones=("glabella", "crows_feet"))
    record = record.model_copy(update={"cosign_required": True})
    return rules.give(record, lines_from_plan(record.plan, "BX2311", None), INJECTOR, AT)


def test_a_director_who_signs_first_completes_the_record(cosigned_clinic_record: ConsultRecord) -> None:
    signed = rules.sign(cosigned_clinic_record, DIRECTOR, AT)
    assert signed.locked and not signed.awaiting_cosign and not signed.to_sign
    assert signed.signatures[0].meaning == rules.DIRECTOR_MEANING
    with pytest.raises(rules.AlreadyDone, match="already signed by Dr Mina Seo"):
        rules.sign(signed, DIRECTOR_2, AT)  # nothing is left to co-sign


def test_an_injectors_signature_still_waits_for_a_director(cosigned_clinic_record: ConsultRecord) -> None:
    signed = rules.sign(cosigned_clinic_record, INJECTOR, AT)
    assert signed.awaiting_cosign and signed.signatures[0].meaning == rules.DEFAULT_MEANING
    cosigned = rules.sign(signed, DIRECTOR, AT + timedelta(minutes=1))
    assert not cosigned.awaiting_cosign and [s.kind for s in cosigned.signatures] == ["signature", "cosignature"]


def test_a_record_kept_before_the_rule_reads_complete(cosigned_clinic_record: ConsultRecord) -> None:
    """A director's signature kept (or imported) earlier, when it left the record waiting, now reads
    complete: the rule is read from the signatures, not stored beside them."""
    signed = rules.sign(cosigned_clinic_record, DIRECTOR, AT, meaning="reviewed and approved the treatment given")
    kept = ConsultRecord.model_validate(signed.model_dump(mode="json"))
    assert not kept.awaiting_cosign and not kept.to_sign


def test_without_the_clinic_rule_a_directors_signature_reads_as_any_other(make_record: MakeRecord) -> None:
    record = make_record("Kim Ji-woo", zones=("glabella",))
    record = rules.give(record, lines_from_plan(record.plan, None, None), DIRECTOR, AT)
    signed = rules.sign(record, DIRECTOR, AT)
    assert signed.signatures[0].meaning == rules.DEFAULT_MEANING and not signed.awaiting_cosign


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(signers=st.lists(st.sampled_from(range(len(STAFF))), min_size=1, max_size=5), cosign=st.booleans())
def test_whoever_signs_in_whatever_order_a_record_is_complete_once_a_director_signed(
    cosigned_clinic_record: ConsultRecord, signers: list[int], cosign: bool
) -> None:
    """For any order of sign attempts: the record waits for a co-signature exactly while the clinic
    asks one and no medical director has signed; a director's signature is never refused for want
    of a second director, and nobody signs twice."""
    record = cosigned_clinic_record.model_copy(update={"cosign_required": cosign})
    for index in signers:
        by = STAFF[index]
        try:
            record = rules.sign(record, by, AT)
        except NotPermitted:
            assert record.locked, "an unsigned given record is signed by an injector or a director"
            assert not record.awaiting_cosign or by.role != "medical_director" or by.name in signed_names(record)
        directors = [s for s in record.signatures if s.role == "medical_director"]
        assert record.awaiting_cosign == (record.locked and cosign and not directors)
        assert len(signed_names(record)) == len(record.signatures), "nobody signs twice"
        assert len(record.signatures) <= 2


def signed_names(record: ConsultRecord) -> set[str]:
    return {s.name for s in record.signatures}
