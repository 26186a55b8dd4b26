"""The dose planner's rules, one by one, on the shipped script and knowledge base."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from assistant.core.consult import Asymmetry, Consult
from assistant.core.flow import Flow
from assistant.core.knowledge import KnowledgeBase
from assistant.core.plan import Plan
from assistant.core.planner import make_plan
from assistant.core.problems import InvalidAnswers
from assistant.core.syringe import SyringeScale
from assistant.settings import ClinicSettings
from tests.helpers import TODAY, base_answers

PAIRED = ["crows_feet", "bunny_lines", "gummy_smile", "marionette", "masseter"]
ALL_ZONES = ["glabella", "forehead", "crows_feet", "bunny_lines", "gummy_smile", "marionette", "chin", "masseter"]


def consult_for(flow: Flow, **overrides: object) -> Consult:
    result = flow.read_file(base_answers(**overrides))
    assert result.ok, result.problems
    return Consult.from_answers(flow, result.answers)


def plan_for(flow: Flow, kb: KnowledgeBase, clinic: ClinicSettings | None = None, **overrides: object) -> Plan:
    return make_plan(consult_for(flow, **overrides), kb, clinic)


def asymmetric(zone: str, extra: float, stronger: str = "left", zones: list[str] | None = None) -> dict[str, object]:
    return {
        "zones": zones or [zone],
        "asymmetries": [{"zone": zone, "stronger_side": stronger, "extra_units": extra}],
    }


HALF_STEP = ClinicSettings(saline_ml=1, vial_units=100)
"""1 mL per 100 U: half a mark of the default syringe is 0.5 U, so every default and every half-unit
difference is on the marks; for the tests of the rules before the syringe's marks."""

STEP = Decimal("0.2")
"""Toxin units in half a mark of the default syringe (U-100, 0.3 mL) at the label's 4 U per 0.1 mL."""


def assert_lines_consistent(plan: Plan) -> None:
    for line in plan.lines:
        assert Decimal(str(line.units)) == line.points * Decimal(str(line.units_per_point))
        assert Decimal(str(line.units_per_point)) % STEP == 0, line
        assert line.syringe_marks == float(Decimal(str(line.ml_per_point)) * 100), line
        assert line.points >= 1
    assert Decimal(str(plan.total_units)) == sum(Decimal(str(line.units)) for line in plan.lines)


# --- helpers of the planner ----------------------------------------------------------------------


@pytest.mark.parametrize(("units", "points"), [(25, 3), (10, 4), (24, 5), (10.4, 4), (2, 1), (1, 2), (28, 3), (0.4, 4)])
def test_spread_keeps_the_total_in_steps_of_the_marks(kb: KnowledgeBase, units: float, points: int) -> None:
    scale = SyringeScale(kb.syringe(), Fraction(40))
    parts = scale.spread(Fraction(str(units)), points)
    assert sum(count * per for count, per in parts) == Fraction(str(units))
    assert sum(count for count, _ in parts) <= points
    assert len(parts) <= 2
    for _, per in parts:
        assert (per / Fraction(1, 5)).denominator == 1, "a whole number of half marks (0.2 U)"
    if len(parts) == 2:
        assert parts[1][1] - parts[0][1] == Fraction(1, 5), "some points carry one step more"


# --- defaults ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "units", "points"),
    [
        ("glabella", 20, 5),
        ("forehead", 12, 6),
        ("crows_feet", 10, 4),
        ("bunny_lines", 3, 2),
        ("gummy_smile", 1.5, 1),
        ("marionette", 2.5, 1),
        ("chin", 4, 2),
        ("masseter", 25, 3),
    ],
)
def test_each_zone_starts_from_its_default(flow: Flow, kb: KnowledgeBase, zone: str, units: float, points: int) -> None:
    plan = plan_for(flow, kb, HALF_STEP, zones=[zone])
    assert plan.status == "planned"
    assert plan.modifiers == ()
    sides = ("left", "right") if zone in PAIRED else ("center",)
    assert {line.side for line in plan.lines} == set(sides)
    for side in sides:
        lines = [line for line in plan.lines if line.side == side]
        assert sum(line.units for line in lines) == units
        assert sum(line.points for line in lines) == points
        assert all(line.kind == "full" for line in lines)


@pytest.mark.parametrize(("zone", "drawn", "marks"), [("gummy_smile", 1.4, 3.5), ("marionette", 2.4, 6)])
def test_a_default_between_the_marks_is_drawn_as_the_nearest_dose_below(
    flow: Flow, kb: KnowledgeBase, zone: str, drawn: float, marks: float
) -> None:
    """1.5 U at 4 U per 0.1 mL is 3.75 marks: the syringe measures 1.4 U (3.5) or 1.6 U (4); halfway, the smaller."""
    plan = plan_for(flow, kb, zones=[zone])
    for line in plan.lines:
        assert (line.units_per_point, line.syringe_marks) == (drawn, marks)
        assert "falls between the syringe's marks" in line.why
    assert_lines_consistent(plan)


def test_glabella_is_five_points_of_four_units(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, zones=["glabella"])
    [line] = plan.lines
    assert (line.side, line.points, line.units_per_point, line.units) == ("center", 5, 4.0, 20.0)


def test_uneven_units_give_a_second_line(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, zones=["masseter"])
    left = [(line.points, line.units_per_point, line.syringe_marks) for line in plan.lines if line.side == "left"]
    assert left == [(1, 8.2, 20.5), (2, 8.4, 21)], "25 U in 0.2 U steps (half marks at 4 U per 0.1 mL)"
    why = {line.why for line in plan.lines if line.side == "left"}
    assert len(why) == 1  # both lines of a side explain the same split
    assert "25 U over 3 points in steps of the syringe's marks (0.2 U): 2 x 8.4 U and 1 x 8.2 U" in why.pop()
    half_step = [
        (line.points, line.units_per_point) for line in plan_for(flow, kb, HALF_STEP, zones=["masseter"]).lines
    ]
    assert half_step[:2] == [(1, 8.0), (2, 8.5)], "at 10 U per 0.1 mL half a mark is 0.5 U"


def test_an_even_spread_needs_no_explaining(flow: Flow, kb: KnowledgeBase) -> None:
    [line] = plan_for(flow, kb, zones=["glabella"]).lines
    assert "points in 0.5 U steps" not in line.why


# --- modifiers -----------------------------------------------------------------------------------


def test_modifiers_apply_with_a_reason_each(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, sex="male", age=55, skin_thickness="thick", muscle_strength="strong", zones=["forehead"])
    factors = {m.name: m.factor for m in plan.modifiers}
    assert factors == {"age": 1.04, "skin_thickness": 1.05, "muscle_strength": 1.1, "sex": 1.1}
    for modifier in plan.modifiers:
        assert modifier.reason
        assert modifier.sources
    assert "men" in next(m.reason for m in plan.modifiers if m.name == "sex")
    # 12 x 1.04 x 1.05 x 1.1 x 1.1 = 15.856: rounded once, to the nearest dose on the marks (0.2 U)
    assert plan.units_for("forehead", "center") == 15.8


def test_no_modifier_is_listed_when_none_applies(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, age=49, skin_thickness="normal", muscle_strength="average", effect="standard")
    assert plan.modifiers == ()


def test_subtle_uses_less_and_is_marked_unverified(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, effect="subtle", zones=["forehead"])
    [modifier] = plan.modifiers
    assert (modifier.name, modifier.factor, modifier.unverified) == ("effect", 0.8, True)
    assert plan.units_for("forehead", "center") == 9.6, "12 x 0.8 = 9.6 is on the marks: never 9.5, then 9.4"
    assert plan_for(flow, kb, HALF_STEP, effect="subtle", zones=["forehead"]).units_for("forehead", "center") == 9.5
    assert all(line.unverified for line in plan.lines)


@pytest.mark.parametrize(
    ("overrides", "zone", "side", "units"),
    [
        ({"muscle_strength": "weak", "zones": ["marionette"]}, "marionette", "left", 2),  # 2.25: halfway, the smaller
        ({"sex": "male", "skin_thickness": "thin", "zones": ["crows_feet"]}, "crows_feet", "right", 10.5),  # 10.45
        ({"sex": "male", "muscle_strength": "strong", "zones": ["glabella"]}, "glabella", "center", 24),  # 24.2
        ({"muscle_strength": "weak", "zones": ["masseter"]}, "masseter", "left", 22.5),  # 22.5 exactly
    ],
)
def test_dose_is_rounded_once_to_the_nearest_step_halfway_the_smaller(
    flow: Flow, kb: KnowledgeBase, overrides: dict[str, object], zone: str, side: str, units: float
) -> None:
    plan = plan_for(flow, kb, HALF_STEP, **overrides)
    assert plan.units_for(zone, side) == units  # type: ignore[arg-type]


def test_age_and_skin_reproduce_the_references_fifteen_percent(flow: Flow, kb: KnowledgeBase) -> None:
    older = plan_for(flow, kb, age=55, skin_thickness="thick")
    younger = plan_for(flow, kb, age=30, skin_thickness="thin")
    older_factor = math.prod(m.factor for m in older.modifiers if m.name in ("age", "skin_thickness"))
    younger_factor = math.prod(m.factor for m in younger.modifiers if m.name in ("age", "skin_thickness"))
    assert {m.name for m in older.modifiers} == {"age", "skin_thickness"}
    assert {m.name for m in younger.modifiers} == {"skin_thickness"}
    assert older_factor / younger_factor == pytest.approx(1.15, abs=0.01)


# --- caps ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "wanted"), [(42, "25.41"), (55, "26.426")])
def test_glabella_is_clamped_to_its_caution_threshold_with_a_warning(
    flow: Flow, kb: KnowledgeBase, age: int, wanted: str
) -> None:
    # 20 x 1.1 (male) x 1.1 (strong) x 1.05 (thick) = 25.41; x 1.04 (age 50+) = 26.4264: exact, not rounded first
    plan = plan_for(flow, kb, sex="male", muscle_strength="strong", skin_thickness="thick", age=age)
    assert plan.units_for("glabella", "center") == 25
    caps = [w for w in plan.warnings if w.code == "cap"]
    assert len(caps) == 1
    assert caps[0].zone == "glabella"
    assert "Glabella" in caps[0].message
    assert f"{wanted} U would exceed the caution threshold of 25 U" in caps[0].message
    line = plan.lines[0]
    assert "zones/glabella/caution_above" in line.knowledge
    assert "clamped" in line.why
    assert_lines_consistent(plan)


def test_paired_zone_is_clamped_per_side(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, sex="male", muscle_strength="strong", skin_thickness="thick", age=55, zones=["masseter"])
    assert plan.units_for("masseter", "left") == plan.units_for("masseter", "right") == 30
    assert [w.zone for w in plan.warnings if w.code == "cap"] == ["masseter"]


def test_no_cap_warning_below_the_threshold(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, sex="male", muscle_strength="strong", zones=["glabella"])
    assert plan.units_for("glabella", "center") == 24.2, "20 x 1.1 x 1.1 = 24.2, on the marks"
    assert "cap" not in plan.warning_codes()


# --- session maximum -----------------------------------------------------------------------------


def test_a_plan_above_the_clinics_session_maximum_is_refused(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, ClinicSettings(session_max_units=30), zones=["glabella", "forehead"])
    assert plan.status == "refused"
    assert plan.lines == ()
    assert plan.total_units == 0
    assert plan.vials == 0
    [reason] = plan.reasons
    assert reason.code == "session_max"
    assert "32 U" in reason.message
    assert "30 U" in reason.message
    assert reason.source == "botox-cosmetic-pi"
    assert plan.session_max_units == 30


def test_a_plan_at_the_session_maximum_is_planned(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, ClinicSettings(session_max_units=32), zones=["glabella", "forehead"])
    assert plan.status == "planned"
    assert plan.total_units == 32


def test_clinic_settings_cannot_raise_the_session_maximum(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, ClinicSettings(session_max_units=1000))
    assert plan.session_max_units == kb.safety.session_max_units.value == 400


# --- symmetry ------------------------------------------------------------------------------------


def test_paired_zones_are_symmetric_without_a_measured_asymmetry(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, zones=ALL_ZONES, sex="male", muscle_strength="strong", age=60, skin_thickness="thick")
    for zone in PAIRED:
        left = [(line.points, line.units_per_point) for line in plan.lines if line.zone == zone and line.side == "left"]
        right = [
            (line.points, line.units_per_point) for line in plan.lines if line.zone == zone and line.side == "right"
        ]
        assert left == right, zone
        assert left
    assert "asymmetry" not in plan.warning_codes()


def test_extra_units_go_to_the_stronger_side(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, **asymmetric("masseter", 3, stronger="right"))
    assert plan.units_for("masseter", "right") == 28
    assert plan.units_for("masseter", "left") == 25
    [warning] = [w for w in plan.warnings if w.code == "asymmetry"]
    assert warning.zone == "masseter"
    assert "1.5 mm" in warning.message, "the warning explains the risk"
    assert "3 U" in warning.message
    assert len([line for line in plan.lines if line.side == "right"]) == 2, "28 U over 3 points takes two lines"
    assert_lines_consistent(plan)


@pytest.mark.parametrize(("extra", "warned"), [(0.5, False), (1, False), (2, False), (2.5, True), (4, True)])
def test_asymmetry_warning_only_above_two_units(flow: Flow, kb: KnowledgeBase, extra: float, warned: bool) -> None:
    plan = plan_for(flow, kb, HALF_STEP, **asymmetric("masseter", extra))
    assert plan.units_for("masseter", "left") - plan.units_for("masseter", "right") == extra
    assert ("asymmetry" in plan.warning_codes()) is warned


def test_stronger_side_over_the_cap_lowers_the_weaker_side_by_as_much(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, **asymmetric("crows_feet", 4, stronger="left"))
    assert plan.units_for("crows_feet", "left") == 12
    assert plan.units_for("crows_feet", "right") == 8
    caps = [w for w in plan.warnings if w.code == "cap"]
    assert [w.zone for w in caps] == ["crows_feet"]
    assert "lowered by 2 U" in caps[0].message
    assert "asymmetry" in plan.warning_codes(), "a 4 U gap still warns"
    assert_lines_consistent(plan)


def test_asymmetry_on_a_capped_zone_keeps_the_difference(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(
        flow,
        kb,
        HALF_STEP,
        sex="male",
        muscle_strength="strong",
        skin_thickness="thick",
        age=55,
        **asymmetric("masseter", 1.5, stronger="right"),
    )
    assert plan.units_for("masseter", "right") == 30
    assert plan.units_for("masseter", "left") == 28.5


@pytest.mark.parametrize(("zone", "extra"), [("gummy_smile", 4), ("gummy_smile", 2), ("bunny_lines", 2.5)])
def test_weaker_side_below_the_typical_minimum_is_invalid(
    flow: Flow, kb: KnowledgeBase, zone: str, extra: float
) -> None:
    with pytest.raises(InvalidAnswers) as caught:
        plan_for(flow, kb, HALF_STEP, **asymmetric(zone, extra))
    assert [p.question_id for p in caught.value.problems] == ["asymmetries.0.extra_units"]
    assert "typical minimum" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("zone", "extra", "stronger", "weaker"), [("gummy_smile", 1.5, 2.5, 1), ("bunny_lines", 2, 4, 2)]
)
def test_weaker_side_exactly_at_the_typical_minimum_is_planned(
    flow: Flow, kb: KnowledgeBase, zone: str, extra: float, stronger: float, weaker: float
) -> None:
    plan = plan_for(flow, kb, HALF_STEP, **asymmetric(zone, extra))
    assert (plan.units_for(zone, "left"), plan.units_for(zone, "right")) == (stronger, weaker)


def test_asymmetry_on_a_touched_up_zone_puts_the_touch_up_on_the_stronger_side_only(
    flow: Flow, kb: KnowledgeBase
) -> None:
    """A residual difference after the peak: the touch-up's 2-3 U on the side that still moves more."""
    plan = plan_for(
        flow,
        kb,
        prior_treatment_date=TODAY - timedelta(days=19),
        prior_zones=["masseter"],
        **asymmetric("masseter", 3),
    )
    assert plan.units_for("masseter", "left") == 3 and plan.units_for("masseter", "right") == 0
    (line,) = plan.lines
    assert line.kind == "touch_up" and "stronger (left) side only" in line.why
    assert "asymmetry_not_applied" not in plan.warning_codes()


def test_a_touch_up_asymmetry_outside_two_to_three_units_is_refused(flow: Flow, kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidAnswers) as refused:
        plan_for(
            flow,
            kb,
            prior_treatment_date=TODAY - timedelta(days=19),
            prior_zones=["masseter"],
            **asymmetric("masseter", 4),
        )
    (problem,) = refused.value.problems
    assert problem.question_id == "asymmetries.0.extra_units" and "2-3 U on the stronger side" in problem.message


def test_asymmetry_on_a_deferred_zone_is_not_applied(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(
        flow,
        kb,
        prior_treatment_date=TODAY - timedelta(days=30),
        prior_zones=["masseter"],
        zones=["masseter", "glabella"],
        asymmetries=[{"zone": "masseter", "stronger_side": "left", "extra_units": 3}],
    )
    assert not any(line.zone == "masseter" for line in plan.lines)
    assert "asymmetry_not_applied" in plan.warning_codes()


def test_planner_refuses_an_asymmetry_zone_not_treated_today(flow: Flow, kb: KnowledgeBase) -> None:
    consult = consult_for(flow, zones=["glabella"]).model_copy(
        update={"asymmetries": (Asymmetry(zone="masseter", stronger_side="left", extra_units=1),)}
    )
    with pytest.raises(InvalidAnswers) as caught:
        make_plan(consult, kb)
    assert [p.question_id for p in caught.value.problems] == ["asymmetries.0.zone"]


# --- timing --------------------------------------------------------------------------------------


def timing_plan(flow: Flow, kb: KnowledgeBase, days: int, **overrides: object) -> Plan:
    return plan_for(
        flow,
        kb,
        **{
            "zones": ["glabella", "crows_feet", "forehead"],
            "prior_treatment_date": TODAY - timedelta(days=days),
            "prior_zones": ["glabella", "crows_feet"],
            **overrides,
        },
    )


@pytest.mark.parametrize("days", [0, 1, 9, 13])
def test_before_the_peak_the_zone_is_deferred_to_day_18(flow: Flow, kb: KnowledgeBase, days: int) -> None:
    plan = timing_plan(flow, kb, days)
    prior = TODAY - timedelta(days=days)
    assert plan.status == "planned"
    assert {d.zone: d.not_before for d in plan.deferred} == {
        "glabella": prior + timedelta(days=18),
        "crows_feet": prior + timedelta(days=18),
    }
    assert all("peak" in d.reason for d in plan.deferred)
    assert all(d.sources for d in plan.deferred)
    assert {line.zone for line in plan.lines} == {"forehead"}, "a zone not treated last time is planned in full"
    assert plan.units_for("forehead", "center") == 12


@pytest.mark.parametrize(("days", "early"), [(14, True), (15, True), (17, True), (18, False), (19, False), (21, False)])
def test_touch_up_window(flow: Flow, kb: KnowledgeBase, days: int, early: bool) -> None:
    plan = timing_plan(flow, kb, days, sex="male", muscle_strength="strong")
    assert plan.deferred == ()
    touch_ups = [line for line in plan.lines if line.kind == "touch_up"]
    assert {(line.zone, line.side) for line in touch_ups} == {
        ("glabella", "center"),
        ("crows_feet", "left"),
        ("crows_feet", "right"),
    }, "a central zone is one side: one line"
    for line in touch_ups:
        assert (line.points, line.units_per_point, line.units) == (1, 2.0, 2.0), "no modifiers on a touch-up"
        assert "timing/touch_up" in line.knowledge
    early_warnings = [w for w in plan.warnings if w.code == "touch_up_early"]
    if early:
        assert {w.zone for w in early_warnings} == {"glabella", "crows_feet"}
        assert all("18-21" in w.message for w in early_warnings)
    else:
        assert early_warnings == []
    # the zone planned in full still takes the modifiers
    assert plan.units_for("forehead", "center") == 14.6  # 12 x 1.1 x 1.1 = 14.52: the nearest on the marks, once


@pytest.mark.parametrize("days", [22, 40, 89])
def test_before_three_months_the_zone_waits_for_day_90(flow: Flow, kb: KnowledgeBase, days: int) -> None:
    plan = timing_plan(flow, kb, days)
    prior = TODAY - timedelta(days=days)
    assert {d.zone: d.not_before for d in plan.deferred} == {
        "glabella": prior + timedelta(days=90),
        "crows_feet": prior + timedelta(days=90),
    }
    assert {line.zone for line in plan.lines} == {"forehead"}


@pytest.mark.parametrize("days", [90, 120, 400])
def test_after_three_months_a_full_dose(flow: Flow, kb: KnowledgeBase, days: int) -> None:
    plan = timing_plan(flow, kb, days)
    assert plan.deferred == ()
    assert {line.kind for line in plan.lines} == {"full"}
    assert plan.units_for("glabella", "center") == 20
    assert plan.units_for("crows_feet", "left") == 10


def test_only_deferred_zones_still_plan(flow: Flow, kb: KnowledgeBase) -> None:
    plan = timing_plan(flow, kb, 5, zones=["glabella"], prior_zones=["glabella"])
    assert plan.status == "planned"
    assert plan.lines == ()
    assert plan.total_units == 0
    assert plan.vials == 0
    assert [d.zone for d in plan.deferred] == ["glabella"]


def test_follow_up_dates(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb)
    assert plan.follow_up.review_date == TODAY + timedelta(days=14)
    assert plan.follow_up.touch_up_from == TODAY + timedelta(days=18)
    assert plan.follow_up.touch_up_to == TODAY + timedelta(days=21)


def test_make_plan_takes_another_today(flow: Flow, kb: KnowledgeBase) -> None:
    consult = consult_for(flow, prior_treatment_date=TODAY - timedelta(days=10), prior_zones=["glabella"])
    assert make_plan(consult, kb).deferred
    later = make_plan(consult, kb, today=TODAY + timedelta(days=9))
    assert later.today == TODAY + timedelta(days=9)
    assert [line.kind for line in later.lines] == ["touch_up"]


# --- contraindications and cautions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("toxin_allergy", {"letybo-pi"}),
        ("infection_at_site", {"letybo-pi"}),
        ("neuromuscular_disorder", {"letybo-eu", "letybo-pi"}),
        ("pregnant_or_breastfeeding", {"letybo-eu", "letybo-pi"}),
    ],
)
def test_each_contraindication_stops_the_plan(flow: Flow, kb: KnowledgeBase, question: str, sources: set[str]) -> None:
    plan = plan_for(flow, kb, zones=["glabella", "forehead"], **{question: True})
    assert plan.status == "contraindicated"
    assert plan.lines == ()
    assert plan.total_units == 0
    [reason] = plan.reasons
    assert reason.code == question
    assert set(reason.sources) == sources
    assert set(reason.source.split(", ")) == sources
    assert reason.message


def test_every_contraindication_is_listed(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, toxin_allergy=True, infection_at_site=True, pregnant_or_breastfeeding=True)
    assert {r.code for r in plan.reasons} == {"toxin_allergy", "infection_at_site", "pregnant_or_breastfeeding"}


def test_pregnancy_answer_of_a_male_patient_does_not_count(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, sex="male", pregnant_or_breastfeeding=True)
    assert plan.status == "planned"


@pytest.mark.parametrize(
    ("overrides", "sources"),
    [({"aminoglycosides": True}, "botox-cosmetic-pi"), ({"age": 75}, "letybo-eu"), ({"age": 76}, "letybo-eu")],
)
def test_cautions_warn_and_still_plan(
    flow: Flow, kb: KnowledgeBase, overrides: dict[str, object], sources: str
) -> None:
    plan = plan_for(flow, kb, **overrides)
    assert plan.status == "planned"
    assert plan.lines
    cautions = [w for w in plan.warnings if w.code == "caution"]
    assert len(cautions) == 1
    assert sources in cautions[0].message


def test_no_caution_under_75(flow: Flow, kb: KnowledgeBase) -> None:
    assert "caution" not in plan_for(flow, kb, age=74).warning_codes()


# --- provenance, dilution, totals ----------------------------------------------------------------


def test_every_line_says_where_its_number_comes_from(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, zones=ALL_ZONES, sex="male")
    known = kb.source_ids()
    assert {line.zone for line in plan.lines} == set(ALL_ZONES)
    for line in plan.lines:
        assert line.off_label is (line.zone != "glabella")
        assert line.sources
        assert set(line.sources) <= known
        assert f"zones/{line.zone}/default_units" in line.knowledge
        assert "modifiers/sex" in line.knowledge
        assert "carruthers-2005" in line.sources, "the modifier's source is listed too"
        assert line.why


def test_ml_per_point_at_the_label_dilution(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, zones=["glabella", "crows_feet"])
    volumes = {(line.zone, line.units_per_point): (line.ml_per_point, line.syringe_marks) for line in plan.lines}
    assert volumes[("glabella", 4)] == (0.1, 10)
    assert volumes[("crows_feet", 2.4)] == (0.06, 6), "2.5 U would be 0.0625 mL, 6.25 marks: nobody draws it"
    assert volumes[("crows_feet", 2.6)] == (0.065, 6.5)
    assert plan.dilution.units_per_0_1_ml == 4


@pytest.mark.parametrize(
    ("saline_ml", "vial_units", "ml", "per_tenth"), [(1.25, 50, 0.1, 4), (2.0, 100, 0.08, 5), (5.0, 100, 0.2, 2)]
)
def test_ml_per_point_at_the_clinics_dilution(
    flow: Flow, kb: KnowledgeBase, saline_ml: float, vial_units: float, ml: float, per_tenth: float
) -> None:
    clinic = ClinicSettings(saline_ml=saline_ml, vial_units=vial_units)
    plan = plan_for(flow, kb, clinic, zones=["glabella"])
    assert plan.lines[0].ml_per_point == ml
    assert plan.dilution.units_per_0_1_ml == per_tenth


def test_totals_vials_and_no_cost_without_a_price(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, zones=["glabella", "forehead", "crows_feet"])
    assert plan.total_units == 52
    assert plan.vials == 1
    assert plan.cost is None
    assert plan.currency is None
    assert_lines_consistent(plan)


def test_vials_round_up(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb, zones=ALL_ZONES)
    # 20 + 12 + 2x10 + 2x3 + 2x1.4 + 2x2.4 + 4 + 2x25 (1.5 and 2.5 U fall between the marks)
    assert plan.total_units == 119.6
    assert plan.vials == 2
    small_vials = plan_for(flow, kb, ClinicSettings(vial_units=50, saline_ml=1.25), zones=ALL_ZONES)
    assert small_vials.vials == 3


def test_cost_when_the_clinic_sets_a_price(flow: Flow, kb: KnowledgeBase) -> None:
    clinic = ClinicSettings(price_per_unit=12.5, currency="KRW")
    plan = plan_for(flow, kb, clinic, zones=["glabella", "forehead"])
    assert plan.cost == 32 * 12.5
    assert plan.currency == "KRW"


def test_the_planner_is_pure(flow: Flow, kb: KnowledgeBase) -> None:
    consult = consult_for(flow, **asymmetric("masseter", 3, zones=ALL_ZONES))
    assert make_plan(consult, kb) == make_plan(consult, kb)


def test_versions_are_recorded(flow: Flow, kb: KnowledgeBase) -> None:
    plan = plan_for(flow, kb)
    assert plan.versions.script_id == flow.script.id
    assert plan.versions.script_version == flow.script.version
    assert plan.versions.knowledge_id == kb.id
