"""The record's own rules, pure: states, who may do what, given against planned, amendments, the audit chain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import GENESIS, AuditEvent, chain, record_sha
from assistant.core.lifecycle.audit_verify import verify
from assistant.core.lifecycle.changes import describe_answer_changes, describe_given_changes
from assistant.core.lifecycle.given import GivenEntry, NothingToGive, compare_with_plan, lines_from_plan
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import (
    AccountPolicy,
    NotPermitted,
    StaffAccount,
    after_right_pin,
    after_wrong_pin,
    may_add_account,
    require,
)
from assistant.core.script import Script
from tests.conftest import MakeRecord

AT = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
PAIRED = {"glabella": False, "forehead": False, "crows_feet": True, "masseter": True}


def account(name: str, role: str) -> StaffAccount:
    return StaffAccount(name=name, role=role, pin_hash="$argon2id$x", created_at=AT)  # type: ignore[arg-type]


JUNIOR = account("Jun Park", "junior")
INJECTOR = account("Ina Choi", "injector")
DIRECTOR = account("Dr Mina Seo", "medical_director")
DIRECTOR_2 = account("Dr Han Lee", "medical_director")


@pytest.fixture
def planned(make_record: MakeRecord) -> ConsultRecord:
    return make_record("Kim Ji-woo", zones=("glabella", "crows_feet"))


# -- roles -------------------------------------------------------------------------------------------


def test_each_role_may_do_its_own_things() -> None:
    assert JUNIOR.may("run") and not JUNIOR.may("give") and not JUNIOR.may("sign")
    assert INJECTOR.may("give") and INJECTOR.may("sign") and INJECTOR.may("amend") and not INJECTOR.may("cosign")
    assert DIRECTOR.may("cosign") and DIRECTOR.may("manage_staff")
    with pytest.raises(NotPermitted, match="is a junior and may not sign"):
        require(JUNIOR, "sign", AT)
    with pytest.raises(NotPermitted, match="is an injector and may not co-sign"):
        require(INJECTOR, "cosign", AT)
    with pytest.raises(NotPermitted, match="disabled"):
        require(INJECTOR.model_copy(update={"enabled": False}), "give", AT)


def test_five_wrong_pins_lock_an_account_for_five_minutes_and_a_right_one_clears_the_count() -> None:
    policy = AccountPolicy()
    current = INJECTOR
    for n in range(1, 5):
        current = after_wrong_pin(current, AT, policy)
        assert (current.wrong_pins, current.locked_until) == (n, None)
    current = after_wrong_pin(current, AT, policy)
    assert current.locked_until == AT + timedelta(minutes=5) and current.wrong_pins == 0
    assert current.is_locked(AT + timedelta(minutes=4, seconds=59))
    assert not current.is_locked(AT + timedelta(minutes=5))
    with pytest.raises(NotPermitted, match="locked"):
        require(current, "give", AT + timedelta(minutes=1))
    cleared = after_right_pin(after_wrong_pin(INJECTOR, AT, policy))
    assert cleared is not None and cleared.wrong_pins == 0
    assert after_right_pin(INJECTOR) is None  # nothing to change
    assert current.revision > INJECTOR.revision


def test_the_first_account_is_free_then_only_a_medical_director_adds_one() -> None:
    may_add_account([], None, AT)
    with pytest.raises(NotPermitted, match="Only a medical director"):
        may_add_account([DIRECTOR], None, AT)
    with pytest.raises(NotPermitted, match="may not add or disable"):
        may_add_account([DIRECTOR], INJECTOR, AT)
    may_add_account([DIRECTOR], DIRECTOR, AT)


# -- given against planned ---------------------------------------------------------------------------


def test_given_by_default_is_the_plan_one_line_per_zone_and_side(planned: ConsultRecord) -> None:
    lines = lines_from_plan(planned.plan, "BX1", date(2027, 5, 31))
    assert [(line.zone, line.side) for line in lines] == [
        ("glabella", "center"),
        ("crows_feet", "left"),
        ("crows_feet", "right"),
    ]
    assert sum(line.units for line in lines) == planned.plan.total_units
    assert all(not line.differs_from_plan and line.lot == "BX1" for line in lines)


def test_a_line_that_differs_needs_a_reason_and_a_planned_one_left_out_is_written_as_zero(
    planned: ConsultRecord,
) -> None:
    glabella = planned.plan.units_for("glabella", "center")
    entries = [
        GivenEntry(zone="glabella", units=glabella, points=5),
        GivenEntry(zone="crows_feet", side="left", units=8, points=4),
        GivenEntry(zone="crows_feet", side="right", units=8, points=4),
    ]
    _, problems = compare_with_plan(planned.plan, entries, paired=PAIRED, lot=None, expiry=None)
    assert [(p.index, p.field) for p in problems] == [(1, "reason"), (2, "reason")]
    assert "differs from the plan" in problems[0].message

    reason = "the patient asked for a softer result"
    entries[1:] = [e.model_copy(update={"reason": reason}) for e in entries[1:]]
    lines, problems = compare_with_plan(planned.plan, entries, paired=PAIRED, lot="BX1", expiry=None)
    assert problems == []
    assert [line.differs_from_plan for line in lines] == [False, True, True]
    assert lines[1].reason == reason and lines[0].reason is None

    _, problems = compare_with_plan(planned.plan, entries[:1], paired=PAIRED, lot=None, expiry=None)
    assert len(problems) == 2 and "leaves it out" in problems[0].message
    zero = [
        *entries[:1],
        *(GivenEntry(zone="crows_feet", side=s, units=0, points=0, reason="bruising") for s in ("left", "right")),
    ]
    lines, problems = compare_with_plan(planned.plan, zero, paired=PAIRED, lot=None, expiry=None)
    assert problems == [] and [line.units for line in lines] == [glabella, 0, 0]


def test_sides_zones_and_duplicates_are_checked(planned: ConsultRecord) -> None:
    def problems(*entries: GivenEntry) -> list[str]:
        return [
            p.field for p in compare_with_plan(planned.plan, list(entries), paired=PAIRED, lot=None, expiry=None)[1]
        ]

    assert "side" in problems(GivenEntry(zone="crows_feet", units=8, points=4, reason="x"))
    assert "side" in problems(GivenEntry(zone="glabella", side="left", units=8, points=4, reason="x"))
    assert "zone" in problems(GivenEntry(zone="elbow", side="left", units=8, points=4, reason="x"))
    twice = GivenEntry(zone="glabella", units=20, points=5)
    assert problems(twice, twice).count("zone") >= 1


def test_a_contraindicated_consult_has_nothing_to_give(make_record: MakeRecord) -> None:
    stopped = make_record("Oh Mina", pregnant_or_breastfeeding=True)
    with pytest.raises(NothingToGive, match="contraindicated"):
        lines_from_plan(stopped.plan, None, None)
    with pytest.raises(NothingToGive):
        rules.give(stopped, (), INJECTOR, AT)


# -- states ------------------------------------------------------------------------------------------


def test_planned_then_given_then_signed_each_a_new_version(planned: ConsultRecord) -> None:
    given = rules.give(planned, lines_from_plan(planned.plan, None, None), INJECTOR, AT)
    assert (given.state, given.version, given.given and given.given.by) == ("given", 2, "Ina Choi")
    assert given.revision is not None and given.revision.kind == "given"
    signed = rules.sign(given, INJECTOR, AT + timedelta(minutes=5))
    assert (signed.state, signed.version, signed.locked) == ("signed", 3, True)
    [signature] = signed.signatures
    assert (signature.name, signature.role, signature.meaning) == ("Ina Choi", "injector", rules.DEFAULT_MEANING)
    assert planned.version == 1 and planned.state == "planned"  # the earlier version is untouched


def test_juniors_never_give_or_sign(planned: ConsultRecord) -> None:
    with pytest.raises(NotPermitted, match="junior"):
        rules.give(planned, lines_from_plan(planned.plan, None, None), JUNIOR, AT)
    given = rules.give(planned, lines_from_plan(planned.plan, None, None), INJECTOR, AT)
    with pytest.raises(NotPermitted, match="junior"):
        rules.sign(given, JUNIOR, AT)


def test_a_signed_record_changes_only_by_amendment(planned: ConsultRecord) -> None:
    signed = rules.sign(rules.give(planned, lines_from_plan(planned.plan, None, None), INJECTOR, AT), INJECTOR, AT)
    with pytest.raises(rules.AlreadyDone, match="already signed by Ina Choi at"):
        rules.sign(signed, DIRECTOR, AT)
    with pytest.raises(NotPermitted, match="only by amendment"):
        rules.revise(signed, signed.plan, signed.answers, "x", AT, "Jun Park")
    with pytest.raises(rules.AlreadyDone):
        rules.give(signed, (), INJECTOR, AT)
    assert signed.given is not None
    fewer = tuple(line.model_copy(update={"units": line.units - 1}) for line in signed.given.lines)
    amended = rules.amend(signed, DIRECTOR, AT, "recorded 1 U too much on each line", "given changed", lines=fewer)
    assert (amended.version, amended.state, amended.locked) == (4, "signed", True)
    assert amended.revision is not None and amended.revision.reason == "recorded 1 U too much on each line"
    assert amended.signatures == signed.signatures
    with pytest.raises(NotPermitted, match="reason"):
        rules.amend(signed, DIRECTOR, AT, "  ", "x", lines=fewer)


def test_signing_needs_doses_recorded_unless_nothing_was_to_be_given(
    planned: ConsultRecord, make_record: MakeRecord
) -> None:
    with pytest.raises(NotPermitted, match="record the doses given first"):
        rules.sign(planned, INJECTOR, AT)
    stopped = make_record("Oh Mina", pregnant_or_breastfeeding=True)
    signed = rules.sign(stopped, INJECTOR, AT)
    assert signed.state == "signed" and signed.signatures[0].meaning == rules.NO_TREATMENT_MEANING


def test_a_record_an_injector_signed_needs_a_medical_directors_cosignature(planned: ConsultRecord) -> None:
    record = planned.model_copy(update={"cosign_required": True})
    signed = rules.sign(rules.give(record, lines_from_plan(record.plan, None, None), INJECTOR, AT), INJECTOR, AT)
    assert signed.awaiting_cosign and signed.to_sign
    with pytest.raises(NotPermitted, match="co-sign"):
        rules.sign(signed, INJECTOR, AT)
    cosigned = rules.sign(signed, DIRECTOR_2, AT)
    assert not cosigned.awaiting_cosign and not cosigned.to_sign
    assert [s.kind for s in cosigned.signatures] == ["signature", "cosignature"]
    with pytest.raises(rules.AlreadyDone):
        rules.sign(cosigned, DIRECTOR_2, AT)


def test_a_revision_before_anything_is_given_replans_the_same_consult(
    planned: ConsultRecord, make_record: MakeRecord
) -> None:
    other = make_record("Kim Ji-woo", zones=("glabella",), age=55)
    revised = rules.revise(planned, other.plan, other.answers, "age changed", AT, "Jun Park")
    assert (revised.consult_id, revised.version, revised.state) == (planned.consult_id, 2, "planned")
    assert revised.plan == other.plan and revised.answers["age"] == 55
    assert revised.revision is not None and (revised.revision.kind, revised.revision.by) == ("revised", "Jun Park")
    given = rules.give(revised, lines_from_plan(revised.plan, None, None), INJECTOR, AT)
    with pytest.raises(NotPermitted, match="amend"):
        rules.revise(given, other.plan, other.answers, "x", AT, "Jun Park")


def test_changes_are_said_in_words(script: Script, planned: ConsultRecord) -> None:
    after = {**planned.answers, "age": 55, "zones": ["glabella"]}
    text = describe_answer_changes(script, planned.answers, after)
    assert text.startswith("answers changed: ") and "35 -> 55" in text
    assert "Crow's feet" in text and "age" not in text.split(":")[0]
    lines = lines_from_plan(planned.plan, "BX1", None)
    fewer = (lines[0].model_copy(update={"units": 18}), *lines[1:])
    assert describe_given_changes(lines, fewer).startswith("given changed: glabella center: 20 U in 5 points -> 18 U")


# -- the audit chain ---------------------------------------------------------------------------------


def test_a_chain_verifies_and_every_tampering_is_named(planned: ConsultRecord) -> None:
    events = [
        AuditEvent.for_version(planned, "Jun Park", AT),
        AuditEvent(at=AT, actor="Ina Choi", action="failed PIN"),
        AuditEvent(at=AT, actor="Ina Choi", action="printed", consult_id=planned.consult_id, version=1),
    ]
    entries = []
    for event in events:
        entries.append(chain(entries[-1] if entries else None, event))
    assert entries[0].prev_hash == GENESIS and [e.seq for e in entries] == [1, 2, 3]
    versions = [(planned.consult_id, 1, record_sha(planned))]
    head = (entries[-1].seq, entries[-1].hash)
    assert verify(entries, versions, head).ok and verify(entries, versions, head).entries == 3

    changed = [entries[0], entries[1].model_copy(update={"actor": "Someone else"}), entries[2]]
    assert "entry 2 (failed PIN) was changed" in (verify(changed, versions, head).problem or "")
    removed = [entries[0], entries[2]]
    assert "entry 2 is missing" in (verify(removed, versions, head).problem or "")
    assert "entries are missing" in (verify(entries[:2], versions, head).problem or "")
    edited = planned.model_copy(update={"patient_name": "Someone Else"})
    problem = verify(entries, [(planned.consult_id, 1, record_sha(edited))], head).problem or ""
    assert f"consult {planned.consult_id} version 1 does not match audit entry 1" in problem
    unaudited = [(planned.consult_id, 2, "x")]
    assert "version 2 has no audit entry" in (verify(entries, unaudited, head).problem or "")
