"""The core's check of doses recorded as given (``dose_limits``), on the real knowledge base: each
zone's limit per side (a central zone as a whole), the touch-up's most, the session maximum with
the earlier doses and the clinic's lower figure; and a record without an override keeps the content
(and audit hash) it had before overrides existed."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.audit import record_sha
from assistant.core.lifecycle.dose_limits import dose_breaches, session_limit
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.override import OverLimit, decide
from assistant.core.lifecycle.record import Given, GivenLine
from assistant.core.lifecycle.staff import NotPermitted
from assistant.core.plan import EarlierDoses
from assistant.settings import ClinicSettings
from tests.conftest import MakeRecord

NONE_BEFORE = EarlierDoses(units=0, window_days=90)
AT = dt.datetime(2026, 11, 24, 11, tzinfo=dt.UTC)


def line(zone: str, side: str, units: float) -> GivenLine:
    return GivenLine(zone=zone, side=side, units=units, points=1)  # type: ignore[arg-type]


def test_the_plan_as_given_passes_every_limit(kb: KnowledgeBase, make_record: MakeRecord) -> None:
    record = make_record(zones=("glabella", "forehead", "crows_feet", "masseter"))
    lines = lines_from_plan(record.plan, None, None)
    assert dose_breaches(lines, kb, ClinicSettings(), NONE_BEFORE, record.plan) == ()


def test_a_paired_zone_is_checked_per_side_and_a_central_one_as_a_whole(kb: KnowledgeBase) -> None:
    crows_feet = kb.zone("crows_feet").caution_above.value
    forehead = kb.zone("forehead").caution_above.value
    lines = [
        line("crows_feet", "left", crows_feet),  # at the limit: fine
        line("crows_feet", "right", crows_feet + 1),
        line("forehead", "left", forehead / 2 + 1),  # two halves of a central zone, together above it
        line("forehead", "right", forehead / 2),
    ]
    breaches = dose_breaches(lines, kb, ClinicSettings(), NONE_BEFORE)
    assert [(b.kind, b.zone, b.side, b.units, b.limit) for b in breaches] == [
        ("zone", "crows_feet", "right", crows_feet + 1, crows_feet),
        ("zone", "forehead", "center", forehead + 1, forehead),
    ]
    assert breaches[0].message.startswith(f"crows_feet right: {crows_feet + 1:g} U given, above its limit of ")
    assert "per side (the caution threshold)" in breaches[0].message


def test_a_zone_planned_as_a_touch_up_keeps_the_touch_ups_most(kb: KnowledgeBase, make_record: MakeRecord) -> None:
    record = make_record(
        zones=("glabella",), prior_treatment_date=(dt.date(2026, 11, 24) - dt.timedelta(days=19)).isoformat(),
        prior_zones=["glabella"],
    )  # fmt: skip
    assert {line.kind for line in record.plan.lines} == {"touch_up"}
    most = kb.timing.touch_up.max_units
    [breach] = dose_breaches([line("glabella", "center", most + 1)], kb, ClinicSettings(), NONE_BEFORE, record.plan)
    assert (breach.limit, "the touch-up's most" in breach.message) == (most, True)


def test_the_session_maximum_counts_the_earlier_doses_and_the_clinics_lower_figure(kb: KnowledgeBase) -> None:
    clinic = ClinicSettings(session_max_units=60)
    assert session_limit(kb, clinic) == (60, ("clinic settings",))
    assert session_limit(kb, ClinicSettings(session_max_units=10_000))[0] == kb.safety.session_max_units.value
    lines = [line("glabella", "center", 20), line("forehead", "center", 12)]
    assert dose_breaches(lines, kb, clinic, EarlierDoses(units=28, window_days=90)) == ()
    [breach] = dose_breaches(lines, kb, clinic, EarlierDoses(units=30, window_days=90))
    assert (breach.kind, breach.units, breach.earlier_units, breach.limit) == ("session", 32, 30, 60)
    assert breach.message == (
        "32 U given in this consult and 30 U in the last 90 days: 62 U, above the maximum of 60 U over 90 days "
        "[clinic settings]"
    )


def test_only_a_medical_director_overrides_and_only_with_a_reason(kb: KnowledgeBase) -> None:
    breaches = dose_breaches([line("glabella", "center", 40)], kb, ClinicSettings(), NONE_BEFORE)
    assert decide((), "Ina Choi", "injector", AT, None) is None
    with pytest.raises(OverLimit, match="glabella: 40 U given"):
        decide(breaches, "Dr Mina Seo", "medical_director", AT, "  ")
    with pytest.raises(NotPermitted, match="only a medical director"):
        decide(breaches, "Ina Choi", "injector", AT, "asked for it")
    override = decide(breaches, "Dr Mina Seo", "medical_director", AT, " discussed ")
    assert override is not None and (override.reason, override.breaches) == ("discussed", breaches)


def test_a_record_without_an_override_keeps_its_content_and_hash(make_record: MakeRecord) -> None:
    record = make_record()
    given = Given(lines=lines_from_plan(record.plan, None, None), by="Ina Choi", role="injector", at=AT)
    kept = record.model_copy(update={"given": given, "state": "given"})
    assert "override" not in kept.model_dump(mode="json")["given"]
    written_before = kept.model_dump(mode="json")
    assert record_sha(type(kept).model_validate(written_before)) == record_sha(kept)
