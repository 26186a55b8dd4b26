"""A side recorded as given differently from the plan is spread over its points in steps of the
plan's syringe, as a planned side is: the documents print doses a syringe measures."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.given_lines import VialDraw
from assistant.core.lifecycle.injected import plan_as_given
from assistant.core.lifecycle.record import Given, GivenLine
from tests.conftest import MakeRecord

AT = dt.datetime(2026, 11, 24, 11, tzinfo=dt.UTC)


def given_with(record, zone: str, side: str, units: float, points: int, **more: object) -> Given:  # type: ignore[no-untyped-def]
    lines = [
        GivenLine(**{**line.model_dump(), "units": units, "points": points, "reason": "patient moved", **more})
        if (line.zone, line.side) == (zone, side)
        else line
        for line in lines_from_plan(record.plan, None, None)
    ]
    return Given(lines=tuple(lines), by="Ina Choi", role="injector", at=AT)


def test_eleven_units_in_four_points_are_doses_the_marks_measure(kb: KnowledgeBase, make_record: MakeRecord) -> None:
    """A tryout recorded 11 U in 4 points for a crow's feet side: the summary printed "4 x 2.75 U"
    and 6.875 marks, a dose between the marks of a syringe that steps 0.2 U."""
    record = make_record(zones=("crows_feet",))
    plan = plan_as_given(record.plan, given_with(record, "crows_feet", "right", 11, 4), kb)
    right = [line for line in plan.lines if line.side == "right"]
    assert [(line.points, line.units_per_point) for line in right] == [(1, 2.6), (3, 2.8)]
    assert sum(plan.exact_units(line) for line in right) == 11
    assert [line.syringe_marks for line in right] == [6.5, 7.0], "half-unit marks, not 6.875"
    assert "11 U over 4 points in steps of the syringe's marks: 1 x 2.6 U and 3 x 2.8 U" in right[0].why
    assert plan.total_units == record.plan.total_units - record.plan.units_for("crows_feet", "right") + 11


def test_a_recorded_volume_is_kept_as_recorded(kb: KnowledgeBase, make_record: MakeRecord) -> None:
    record = make_record(zones=("crows_feet",))
    plan = plan_as_given(record.plan, given_with(record, "crows_feet", "right", 11, 4, ml=0.28), kb)
    [right] = [line for line in plan.lines if line.side == "right"]
    assert (right.points, right.units, right.ml_per_point) == (4, 11, 0.07)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.integers(min_value=4, max_value=200), points=st.integers(min_value=1, max_value=4))
def test_every_spread_keeps_the_total_and_stays_on_the_marks(
    kb: KnowledgeBase, make_record: MakeRecord, steps: int, points: int
) -> None:
    """The factory makes the same record each time: nothing carries from one example to the next."""
    record = make_record(zones=("crows_feet",))
    step = record.plan.unit_step
    assert step is not None
    if steps < points:
        return
    units = float(steps * step)
    plan = plan_as_given(record.plan, given_with(record, "crows_feet", "left", units, points), kb)
    left = [line for line in plan.lines if line.side == "left"]
    assert sum(line.points for line in left) == points
    assert sum(plan.exact_units(line) for line in left) == steps * step
    assert all(line.steps_per_point is not None and line.points * line.steps_per_point * step > 0 for line in left)
    assert max(line.units_per_point for line in left) - min(line.units_per_point for line in left) <= float(step) + 1e-9


def test_a_side_drawn_from_a_vial_is_spread_as_any_other(kb: KnowledgeBase, make_record: MakeRecord) -> None:
    """A tryout: 20 U in 3 points on a masseter side, drawn from an open vial: the signed summary
    printed "3 x 6.667 U" and 16.667 marks, a dose no mark measures. The volume the ledger works out
    from the vial (the units at the plan's dilution) was taken for one a person recorded. A volume
    unlike the plan's dilution (another reconstitution, or typed) stays as recorded."""
    record = make_record(zones=("masseter",))
    dilution = record.plan.dilution
    ml = round(20 * dilution.saline_ml / dilution.vial_units, 3)
    draw = VialDraw(vial_id="20261201-090000-aaaaaaaa", lot="BX2311", expiry=dt.date(2027, 5, 31), units=20)
    drawn = given_with(record, "masseter", "left", 20, 3, ml=ml, draws=(draw,), lot="BX2311", vial_id=draw.vial_id)
    plan = plan_as_given(record.plan, drawn, kb)
    left = [line for line in plan.lines if line.side == "left"]
    assert [(line.points, line.units_per_point) for line in left] == [(2, 6.6), (1, 6.8)]
    assert all(line.steps_per_point for line in left) and sum(plan.exact_units(line) for line in left) == 20
    other = given_with(record, "masseter", "left", 20, 3, ml=0.6, draws=(draw,), lot="BX2311", vial_id=draw.vial_id)
    [kept] = [line for line in plan_as_given(record.plan, other, kb).lines if line.side == "left"]
    assert (kept.points, kept.units, kept.ml_per_point) == (3, 20, 0.2)
