"""A zone the patient's other consults make wait is not given without a medical director's reason,
on every path that records doses (issue: a tryout's two workstations planned one new patient at the
same moment, and both plans were given: 40 U of glabella the same day, no warning anywhere). Planning
defers such a zone; giving now checks the same timing against what the record holds then."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.core.lifecycle.dose_limits import dose_breaches, timing_breaches
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.plan import EarlierDoses, RecordedDose, RecordedTreatments
from assistant.files.resources import Resources
from tests.helpers import DIRECTOR, INJECTOR, Cli
from tests.test_cli_give_limits import clinic, consult_on, give  # noqa: F401 (clinic: a fixture)
from tests.test_document_layout import plan_of

DAY = dt.date(2026, 11, 24)
NONE_BEFORE = EarlierDoses(units=0, window_days=90)


def recorded(zone: str, days_ago: int, units: float = 20, kind: str = "full") -> RecordedTreatments:
    on = DAY - dt.timedelta(days=days_ago)
    given = RecordedDose(zone=zone, given_on=on, units=units, kind=kind, consult_id="C-1")  # type: ignore[arg-type]
    return RecordedTreatments(doses=(given,))


def test_a_zone_given_today_in_another_consult_waits(resources: Resources) -> None:
    plan, _ = plan_of(resources, "full_face")  # glabella 20, forehead 12, crow's feet 10 a side
    lines = lines_from_plan(plan, None, None)
    breaches, touch_ups = timing_breaches(lines, resources.kb, recorded("glabella", 0), DAY)
    assert [b.zone for b in breaches] == ["glabella"] and not touch_ups
    [breach] = breaches
    assert (breach.kind, breach.units, breach.limit) == ("timing", 20, 0)
    assert breach.message.startswith("glabella: 20 U given, but it was given on 2026-11-24 in consult C-1 (")
    assert ": not before " in breach.message
    assert [b.kind for b in dose_breaches(lines, resources.kb, resources.clinic, NONE_BEFORE, plan)] == []
    both = dose_breaches(lines, resources.kb, resources.clinic, NONE_BEFORE, plan, recorded("glabella", 0), DAY)
    assert [b.kind for b in both] == ["timing"]


def test_in_the_touch_up_window_a_full_dose_is_past_the_touch_ups_most(resources: Resources) -> None:
    """Given 19 days ago: the planner would touch up (2-3 U a side); a full 20 U now is past that."""
    plan, _ = plan_of(resources, "full_face")
    lines = lines_from_plan(plan, None, None)
    breaches, touch_ups = timing_breaches(lines, resources.kb, recorded("glabella", 19), DAY)
    assert breaches == [] and touch_ups == {"glabella"}
    found = dose_breaches(lines, resources.kb, resources.clinic, NONE_BEFORE, plan, recorded("glabella", 19), DAY)
    assert [(b.kind, b.zone) for b in found] == [("zone", "glabella")]
    assert "the touch-up's most" in found[0].message


def test_long_ago_and_other_zones_pass(resources: Resources) -> None:
    plan, _ = plan_of(resources, "full_face")
    lines = lines_from_plan(plan, None, None)
    assert timing_breaches(lines, resources.kb, recorded("glabella", 120), DAY) == ([], set())
    assert timing_breaches(lines, resources.kb, recorded("masseter", 0), DAY) == ([], set())


def test_the_second_of_two_consults_planned_at_once_is_not_given_the_same_zones(
    clinic: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The tryout's race, on the command line (both stores): two consults of one patient planned
    before either is given, then both given. The second is refused (exit 4) naming the first; a
    medical director may give it with a reason, kept with the record."""
    today = dt.date.today()
    first = consult_on(clinic, tmp_path, today)
    second = consult_on(clinic, tmp_path, today)
    assert give(clinic, first, INJECTOR)[0] == 0
    code, out, err = give(clinic, second, INJECTOR)
    assert code == 4, (out, err)
    assert f"glabella: 20 U given, but it was given on {today.isoformat()} in consult {first}" in err
    assert clinic.json("show", second)["state"] == "planned", "nothing recorded"
    code, _, err = give(clinic, second, DIRECTOR, "--override-reason", "the first was recorded on the wrong patient")
    assert code == 0, err
    breaches = clinic.json("show", second)["override"]["breaches"]
    assert {b["zone"] for b in breaches if b["kind"] == "timing"} == {"glabella", "forehead", "crows_feet"}
