"""Issue 19, section 3, the dose arithmetic: the asymmetry question steps as the syringe measures,
units are counted in the syringe's own steps (exact at every dilution, rounded once), and a clinic that
names only its vial size takes the label's saline for it.

Answers go through the flow the consult uses (with the clinic's bounds) and the real planner and
knowledge base; nothing of ours is stubbed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistant.core.consult import Consult
from assistant.core.dilution import answer_bounds, clinic_scale, vial_problem
from assistant.core.flow import Flow
from assistant.core.hints import answer_hint
from assistant.core.lifecycle.given import given_problems, lines_from_plan
from assistant.core.lifecycle.record import GivenLine
from assistant.core.plan import Plan
from assistant.core.planner import make_plan
from assistant.core.problems import InvalidAnswers
from assistant.core.syringe import PRINTED
from assistant.files.resources import Resources
from assistant.services.consult_session import ConsultSession
from assistant.settings import ClinicSettings
from tests.helpers import TODAY, base_answers
from tests.test_planner_properties import ZONES, answer_sets

EXTRA = "asymmetries.0.extra_units"

# (clinic, the step the question asks in, in U): the syringe's step, or the smallest multiple of it a
# decimal writes when the step is a third or a sixth of a unit.
CLINICS = [
    (ClinicSettings(), "0.2"),  # half a mark at the label's 4 U per 0.1 mL
    (ClinicSettings(saline_ml=3), "0.5"),  # half a mark is 1/6 U: three of them
    (ClinicSettings(saline_ml=1.5), "1"),  # half a mark is 1/3 U
    (ClinicSettings(syringe="u100_1ml"), "0.4"),  # a whole mark at 4 U per 0.1 mL
    (ClinicSettings(saline_ml=1, syringe="u100_1ml"), "1"),
]


def bounded_flow(resources: Resources, clinic: ClinicSettings) -> Flow:
    return Flow(resources.script, TODAY, answer_bounds(resources.kb, clinic))


def plan_of(resources: Resources, clinic: ClinicSettings, **overrides: object) -> Plan:
    flow = bounded_flow(resources, clinic)
    result = flow.read_file(base_answers(**overrides))
    assert result.ok, result.problems
    return make_plan(Consult.from_answers(flow, result.answers), resources.kb, clinic)


def with_asymmetry(zone: str, extra: object, stronger: str = "left") -> dict[str, object]:
    return {"zones": [zone], "asymmetries": [{"zone": zone, "stronger_side": stronger, "extra_units": extra}]}


# --- 1. the asymmetry question offers only what the planner accepts ---------------------------------------


@pytest.mark.parametrize(("clinic", "step"), CLINICS)
def test_the_asymmetry_question_asks_in_the_syringes_steps(
    resources: Resources, clinic: ClinicSettings, step: str
) -> None:
    """As the UI asks it (the consult session): the bounds, the hint's words, and every answer it takes
    is planned with exactly that difference; an answer between the steps is refused at the question."""
    session = ConsultSession(dataclasses.replace(resources, clinic=clinic), TODAY)
    question = session.flow.question(EXTRA)
    typed = Decimal(step)
    assert (Decimal(str(question.min)), Decimal(str(question.max)), Decimal(str(question.step))) == (
        typed,
        (Decimal(4) / typed).to_integral_value(rounding="ROUND_FLOOR") * typed,
        typed,
    )
    assert f"in steps of {step}" in answer_hint(question, session.script)
    scale = clinic_scale(resources.kb, clinic)
    value = typed
    while value <= Decimal(str(question.max)):
        verdict = session.flow.judge(EXTRA, str(value), {})
        assert verdict.accepted, (value, verdict.errors)
        assert scale.on_marks(Fraction(value)), value
        plan = plan_of(resources, clinic, **with_asymmetry("masseter", str(value)))
        gap = plan.exact_units_for("masseter", "left") - plan.exact_units_for("masseter", "right")
        assert gap == Fraction(value), "the measured difference, exactly"
        value += typed
    between = typed + typed / 2
    verdict = session.flow.judge(EXTRA, str(between), {})
    assert not verdict.accepted
    assert f"not in steps of {step} U" in verdict.errors[0]
    assert scale.syringe.label in verdict.errors[0], "the refusal names the syringe the step comes from"


def test_the_labels_dilution_takes_a_difference_of_one_step_and_refuses_half_units(resources: Resources) -> None:
    """Seen: "steps of 0.5" offered, 1.5 taken, then refused by planning as not a multiple of 0.2 U."""
    flow = bounded_flow(resources, ClinicSettings())
    assert not flow.judge(EXTRA, "1.5", {}).accepted
    assert flow.judge(EXTRA, "0.2", {}).accepted
    plan = plan_of(resources, ClinicSettings(), **with_asymmetry("crows_feet", 0.2))
    assert (plan.units_for("crows_feet", "left"), plan.units_for("crows_feet", "right")) == (10.2, 10)


def test_the_most_comes_from_the_knowledge_base(resources: Resources) -> None:
    most = resources.kb.safety.symmetry.extra_units_max
    flow = bounded_flow(resources, ClinicSettings(saline_ml=1))
    assert flow.question(EXTRA).max == most.value
    verdict = flow.judge(EXTRA, str(most.value + 0.5), {})
    assert not verdict.accepted and "extra_units_max" in verdict.errors[0]
    unbounded = Flow(resources.script, TODAY)  # a file read without the clinic's bounds: the planner refuses
    result = unbounded.read_file(base_answers(**with_asymmetry("masseter", most.value + 0.5)))
    assert result.ok
    with pytest.raises(InvalidAnswers) as caught:
        make_plan(Consult.from_answers(unbounded, result.answers), resources.kb, ClinicSettings(saline_ml=1))
    assert [p.question_id for p in caught.value.problems] == [EXTRA]
    assert f"at most {most.value:g} U" in caught.value.problems[0].message


# --- 2. units in the syringe's own steps, rounded once -----------------------------------------------------


@pytest.mark.parametrize("saline", [1.5, 3])
def test_line_units_totals_and_the_gap_are_exact_at_thirds_of_a_unit(resources: Resources, saline: float) -> None:
    """Seen at 1.5 and 3 mL per 100 U: 3 x 8.333 = 24.999 U, and a 1 U gap printed as 1.002 U."""
    clinic = ClinicSettings(saline_ml=saline)
    plan = plan_of(
        resources,
        clinic,
        zones=["masseter", "crows_feet"],
        asymmetries=[{"zone": "crows_feet", "stronger_side": "left", "extra_units": 1}],
    )
    for side in ("left", "right"):
        assert plan.units_for("masseter", side) == 25  # type: ignore[arg-type]
        assert [line.units for line in plan.lines if (line.zone, line.side) == ("masseter", side)] == [25]
    assert plan.units_for("crows_feet", "left") - plan.units_for("crows_feet", "right") == 1
    assert plan.exact_units_for("crows_feet", "left") - plan.exact_units_for("crows_feet", "right") == 1
    assert plan.total_units == 71
    for line in plan.lines:
        assert plan.exact_units(line) == line.points * line.steps_per_point * plan.unit_step  # type: ignore[operator]
        assert line.units == float(plan.exact_units(line))


def test_a_dose_is_rounded_once_to_the_nearest_step_the_syringe_measures(resources: Resources) -> None:
    """Seen at 1 mL per 100 U with a whole-mark syringe: 1.72 U -> 1.5 U -> 1 U; the nearest is 2 U."""
    clinic = ClinicSettings(saline_ml=1, syringe="u100_1ml")
    plan = plan_of(resources, clinic, zones=["gummy_smile"], age=55, muscle_strength="strong")
    assert [m.name for m in plan.modifiers] == ["age", "muscle_strength"]  # 1.5 x 1.04 x 1.1 = 1.716 U
    assert plan.units_for("gummy_smile", "left") == plan.units_for("gummy_smile", "right") == 2
    assert "1.716 U falls between the syringe's marks: 2 U" in plan.lines[0].why


@st.composite
def clinics(draw: st.DrawFn) -> ClinicSettings:
    """Any dilution the clinic settings allow (saline up to 100 mL, any vial size), any syringe."""
    saline = draw(st.decimals(min_value=Decimal("0.1"), max_value=Decimal(100), places=2))
    vial = draw(st.one_of(st.sampled_from([50, 100]), st.integers(1, 10_000)))
    syringe = draw(st.sampled_from(["u100_0_3ml_half", "u100_1ml"]))
    return ClinicSettings(saline_ml=float(saline), vial_units=vial, syringe=syringe)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clinic=clinics(), answers=answer_sets(asymmetry=False), data=st.data())
def test_every_line_is_points_times_a_dose_on_the_marks_and_every_gap_exact(
    resources: Resources, clinic: ClinicSettings, answers: dict[str, object], data: st.DataObject
) -> None:
    kb = resources.kb
    scale = clinic_scale(kb, clinic)
    flow = bounded_flow(resources, clinic)
    question = flow.question(EXTRA)
    two_sided = [z for z in answers["zones"] if z in ZONES and kb.zone(z).takes_asymmetry]  # type: ignore[attr-defined]
    if two_sided and question.max >= question.min:  # type: ignore[operator]
        zones = data.draw(st.lists(st.sampled_from(two_sided), min_size=1, unique=True))
        steps = int(Decimal(str(question.max)) / Decimal(str(question.step)))
        answers["asymmetries"] = [
            {
                "zone": zone,
                "stronger_side": data.draw(st.sampled_from(["left", "right"])),
                "extra_units": str(Decimal(str(question.step)) * data.draw(st.integers(1, steps))),
            }
            for zone in zones
        ]
    result = flow.read_file(answers)
    assert result.ok, result.problems  # every difference drawn is one the question offers
    consult = Consult.from_answers(flow, result.answers)
    try:
        plan = make_plan(consult, kb, clinic)
    except InvalidAnswers as error:
        for problem in error.problems:
            assert "cannot be measured" not in problem.message, "the question took it: the planner must too"
        assume(False)
        raise
    assume(plan.status == "planned")
    step = plan.unit_step
    assert step == scale.step
    sides: dict[tuple[str, str], Fraction] = {}
    for line in plan.lines:
        assert line.steps_per_point is not None and line.steps_per_point >= 1, "at least one step a point"
        exact = line.points * line.steps_per_point * step
        assert plan.exact_units(line) == exact
        assert line.units == float(exact), "points x the dose per point, exactly"
        marks = Fraction(str(line.syringe_marks))
        assert marks == line.steps_per_point * Fraction(str(scale.syringe.mark_step)), "on the marks"
        sides[(line.zone, line.side)] = sides.get((line.zone, line.side), Fraction(0)) + exact
    for (zone, side), units in sides.items():
        assert plan.exact_units_for(zone, side) == units  # type: ignore[arg-type]
    assert plan.total_units == float(sum(sides.values(), Fraction(0))), "the total is the sum of the lines"
    if plan.lines:
        given = lines_from_plan(plan, "BX1", TODAY)
        assert given_problems(given, step, TODAY) == [], "the plan, given as it is, is measurable"
    for asymmetry in consult.asymmetries:
        if not any(line.zone == asymmetry.zone and line.kind == "full" for line in plan.lines):
            continue
        weaker = "left" if asymmetry.stronger_side == "right" else "right"
        gap = plan.exact_units_for(asymmetry.zone, asymmetry.stronger_side) - plan.exact_units_for(
            asymmetry.zone,
            weaker,  # type: ignore[arg-type]
        )
        assert gap == Fraction(str(asymmetry.extra_units)), "the measured gap, exactly"


# --- 3. a clinic naming only its vial size -------------------------------------------------------------------


def test_a_clinic_naming_only_a_50_unit_vial_uses_the_labels_saline_for_it(resources: Resources) -> None:
    plan = plan_of(resources, ClinicSettings(vial_units=50), zones=["glabella"])
    assert (plan.dilution.vial_units, plan.dilution.saline_ml, plan.dilution.units_per_0_1_ml) == (50, 1.25, 4)
    [line] = plan.lines
    assert (line.units_per_point, line.ml_per_point) == (4, 0.1), "the label's 5 x 0.1 mL of 4 U"
    label = resources.kb.product.reconstitution
    assert label.saline_for(50) == 1.25 and label.sources == ("letybo-pi",)


def test_a_vial_size_the_label_does_not_prepare_needs_its_saline(resources: Resources) -> None:
    product = resources.kb.product
    problem = vial_problem(product, ClinicSettings(vial_units=200))
    assert problem is not None and "vial_units" in problem and "200 U" in problem and "saline_ml" in problem
    assert vial_problem(product, ClinicSettings(vial_units=200, saline_ml=5)) is None
    assert vial_problem(product, ClinicSettings(vial_units=50)) is None


# --- 4. a given line is a dose a syringe measures, from a lot that had not expired ----------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    clinic=clinics(),
    points=st.integers(1, 9),
    steps=st.integers(0, 400),
    off=st.sampled_from([Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(-1, 7)]),
    expiry_days=st.integers(-400, 400),
)
def test_a_given_line_is_kept_only_on_the_marks_and_from_a_lot_in_date(
    resources: Resources, clinic: ClinicSettings, points: int, steps: int, off: Fraction, expiry_days: int
) -> None:
    step = clinic_scale(resources.kb, clinic).step
    units = (steps + off) * step
    assume(0 < units <= 1000)
    expiry = TODAY + dt.timedelta(days=expiry_days)
    line = GivenLine(zone="glabella", side="center", units=float(units), points=points, lot="BX1", expiry=expiry)
    found = {problem.field for problem in given_problems([line], step, TODAY)}
    # a figure within the printing's precision of a step (8.333 for 25/3 U) is that step; never half a step
    tolerance = min(PRINTED, step / 4)
    assume(abs(abs(off) * step - tolerance) > Fraction(1, 10**9))  # not on the edge, where floats decide
    within = abs(off) * step < tolerance
    measurable = (off == 0 or within) and round(steps + off) >= points
    assert ("units" not in found) is measurable, (units, points, step)
    assert ("expiry" in found) is (expiry < TODAY)
