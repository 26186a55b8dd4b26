"""Safety invariants of the planner over random, valid consults (hypothesis).

Answers go through the real flow (``read_file``) and the real knowledge base, so what is tested is
what ``botulax-consult run`` would plan.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.knowledge import KnowledgeBase
from assistant.core.plan import Plan
from assistant.core.planner import make_plan
from assistant.core.problems import InvalidAnswers
from assistant.core.script import Script
from assistant.settings import ClinicSettings
from tests.helpers import TODAY, base_answers

ZONES = ["glabella", "forehead", "crows_feet", "bunny_lines", "gummy_smile", "marionette", "chin", "masseter"]
PAIRED = ["crows_feet", "bunny_lines", "gummy_smile", "marionette", "masseter"]
TWO_SIDED = ["forehead", *PAIRED]
"""Zones that can take a measured asymmetry (the forehead in halves)."""
CONTRAINDICATING = ["toxin_allergy", "infection_at_site", "neuromuscular_disorder", "pregnant_or_breastfeeding"]

PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def answer_sets(draw: st.DrawFn, screening: bool = False, asymmetry: bool | None = None) -> dict[str, object]:
    """A valid answer file; ``asymmetry=True`` always measures at least one asymmetry (and often
    several, one per zone) on zones with two sides chosen today."""
    zones = draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=len(ZONES), unique=True))
    if asymmetry and not set(zones) & set(TWO_SIDED):
        zones.append(draw(st.sampled_from(TWO_SIDED)))
    answers = base_answers(
        sex=draw(st.sampled_from(["female", "male"])),
        zones=zones,
        age=draw(st.integers(18, 100)),
        skin_thickness=draw(st.sampled_from(["thin", "normal", "thick"])),
        muscle_strength=draw(st.sampled_from(["weak", "average", "strong"])),
        effect=draw(st.sampled_from(["subtle", "standard"])),
        aminoglycosides=draw(st.booleans()),
    )
    if screening:
        for question in CONTRAINDICATING:
            answers[question] = draw(st.booleans())
    if draw(st.booleans()):
        answers["prior_treatment_date"] = TODAY - timedelta(days=draw(st.integers(0, 400)))
        answers["prior_zones"] = draw(st.lists(st.sampled_from(ZONES), min_size=1, unique=True))
    two_sided = [zone for zone in zones if zone in TWO_SIDED]
    if two_sided and (asymmetry if asymmetry is not None else draw(st.booleans())):
        measured = draw(st.lists(st.sampled_from(two_sided), min_size=1, unique=True))
        answers["asymmetries"] = [
            {
                "zone": zone,
                "stronger_side": draw(st.sampled_from(["left", "right"])),
                "extra_units": draw(st.integers(1, 8)) / 2,
            }
            for zone in measured
        ]
    elif two_sided and draw(st.booleans()):
        answers["asymmetries"] = []
    return answers


def plan_or_skip(script: Script, kb: KnowledgeBase, answers: dict[str, object], clinic: ClinicSettings | None = None):
    """(consult, plan); an impossible asymmetry is skipped, but only if it names an entry's extra_units
    (tests/test_asymmetry_properties.py checks that such a refusal is right)."""
    flow = Flow(script, TODAY)
    result = flow.read_file(answers)
    assert result.ok, result.problems
    consult = Consult.from_answers(flow, result.answers)
    try:
        return consult, make_plan(consult, kb, clinic)
    except InvalidAnswers as error:
        assert consult.asymmetries, error
        refused = {a.answer_id("extra_units") for a in consult.asymmetries}
        assert len(error.problems) == 1 and error.problems[0].question_id in refused, error
        assume(False)
        raise  # unreachable: assume(False) stops the example


def side_units(plan: Plan) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = {}
    for line in plan.lines:
        totals[(line.zone, line.side)] = totals.get((line.zone, line.side), Decimal(0)) + Decimal(str(line.units))
    return totals


def lines_of(plan: Plan, zone: str, side: str) -> list[tuple[int, float, str]]:
    return [
        (line.points, line.units_per_point, line.kind) for line in plan.lines if (line.zone, line.side) == (zone, side)
    ]


@PROPERTY_SETTINGS
@given(answers=answer_sets())
def test_symmetric_inputs_give_symmetric_doses(script: Script, kb: KnowledgeBase, answers: dict[str, object]) -> None:
    consult, plan = plan_or_skip(script, kb, answers)
    measured = {a.zone for a in consult.asymmetries}
    for zone in {line.zone for line in plan.lines} & set(PAIRED):
        if zone in measured:
            continue  # a measured asymmetry makes the sides differ: full doses, or a touch-up on the stronger side
        assert lines_of(plan, zone, "left") == lines_of(plan, zone, "right"), zone
        assert lines_of(plan, zone, "left"), zone


HEAVY = {"sex": "male", "muscle_strength": "strong", "skin_thickness": "thick", "effect": "standard"}


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(answers=answer_sets())
@example(answers=base_answers(zones=["glabella", "crows_feet", "masseter"], age=42, **HEAVY))
@example(answers=base_answers(zones=["glabella", "crows_feet", "masseter"], age=60, **HEAVY))
@example(
    answers=base_answers(
        zones=["crows_feet"], age=30, asymmetries=[{"zone": "crows_feet", "stronger_side": "right", "extra_units": 2}]
    )
)
def test_no_dose_above_a_caution_threshold_and_every_clamp_is_named(
    script: Script, kb: KnowledgeBase, answers: dict[str, object]
) -> None:
    consult, plan = plan_or_skip(script, kb, answers)
    capped = {w.zone for w in plan.warnings if w.code == "cap"}
    factor = math.prod((Decimal(str(m.factor)) for m in plan.modifiers), start=Decimal(1))
    for zone_id in {line.zone for line in plan.lines}:
        zone = kb.zone(zone_id)
        cap = Decimal(str(zone.caution_above.value))
        sides = {side: units for (z, side), units in side_units(plan).items() if z == zone_id}
        if zone.paired:
            assert all(units <= cap for units in sides.values()), f"{zone_id} {sides} above {cap} U per side"
        else:
            assert sum(sides.values()) <= cap, f"{zone_id} {sides} above {cap} U for both halves together"
        if plan.lines_for(zone_id)[0].kind != "full":
            continue
        wanted = Decimal(str(zone.default_units.value)) * factor  # exact: no rounding before the cap
        asymmetry = consult.asymmetry_for(zone_id)
        if asymmetry is not None:
            wanted = min(wanted, cap) + Decimal(str(asymmetry.extra_units))
        assert (wanted > cap) is (zone_id in capped), (zone_id, wanted, cap, plan.warnings)


@PROPERTY_SETTINGS
@given(answers=answer_sets(screening=True))
def test_contraindicated_plans_have_no_lines(script: Script, kb: KnowledgeBase, answers: dict[str, object]) -> None:
    _, plan = plan_or_skip(script, kb, answers)
    positive = [q for q in CONTRAINDICATING if answers[q] is True]
    if answers["sex"] == "male" and "pregnant_or_breastfeeding" in positive:
        positive.remove("pregnant_or_breastfeeding")  # not asked of men: the answer is dropped
    if positive:
        assert plan.status == "contraindicated"
        assert plan.lines == ()
        assert plan.total_units == 0
        assert plan.vials == 0
        assert {r.code for r in plan.reasons} == set(positive)
        assert all(r.sources for r in plan.reasons)
    else:
        assert plan.status == "planned"
        assert plan.reasons == ()


@PROPERTY_SETTINGS
@given(answers=answer_sets())
def test_lines_totals_and_vials_are_consistent(script: Script, kb: KnowledgeBase, answers: dict[str, object]) -> None:
    consult, plan = plan_or_skip(script, kb, answers)
    assert plan.status == "planned"
    for line in plan.lines:
        assert line.points >= 1
        assert line.units_per_point > 0
        assert Decimal(str(line.units_per_point)) % Decimal("0.2") == 0, "a whole number of half marks"
        assert line.syringe_marks == float(Decimal(str(line.ml_per_point)) * 100), line
        assert Decimal(str(line.units)) == line.points * Decimal(str(line.units_per_point))
        assert line.sources
        if line.kind == "touch_up":
            rule = kb.timing.touch_up
            if consult.asymmetry_for(line.zone) is not None:  # the stronger side only (test_asymmetry_properties)
                assert rule.min_units <= line.units <= rule.max_units
            else:
                assert line.units == rule.units_per_side
    assert Decimal(str(plan.total_units)) == sum(Decimal(str(line.units)) for line in plan.lines)
    assert plan.vials == math.ceil(plan.total_units / 100)
    assert plan.cost is None
    planned = {line.zone for line in plan.lines}
    deferred = {d.zone for d in plan.deferred}
    assert planned | deferred == set(consult.zones)
    assert not planned & deferred


@PROPERTY_SETTINGS
@given(answers=answer_sets(), session_max=st.integers(1, 160))
def test_the_session_maximum_refuses_or_leaves_the_plan_alone(
    script: Script, kb: KnowledgeBase, answers: dict[str, object], session_max: int
) -> None:
    _, unlimited = plan_or_skip(script, kb, answers)
    _, limited = plan_or_skip(script, kb, answers, ClinicSettings(session_max_units=session_max))
    if unlimited.total_units > session_max:
        assert limited.status == "refused"
        assert limited.lines == ()
        assert [r.code for r in limited.reasons] == ["session_max"]
    else:
        assert limited.status == "planned"
        assert limited.lines == unlimited.lines
        assert limited.total_units == unlimited.total_units


@PROPERTY_SETTINGS
@given(answers=answer_sets())
def test_timing_follows_the_days_since_the_prior_treatment(
    script: Script, kb: KnowledgeBase, answers: dict[str, object]
) -> None:
    consult, plan = plan_or_skip(script, kb, answers)
    deferred = {d.zone: d.not_before for d in plan.deferred}
    prior = answers["prior_treatment_date"]
    treated_then = answers.get("prior_zones", [])
    assert isinstance(treated_then, list)
    for zone in consult.zones:
        kinds = {line.kind for line in plan.lines_for(zone)}
        days = (TODAY - prior).days if isinstance(prior, date) and zone in treated_then else None
        if days is None or days >= 90:
            assert kinds == {"full"}, (zone, days)
        elif 14 <= days <= 21:
            assert kinds == {"touch_up"}, (zone, days)
            assert (zone in {w.zone for w in plan.warnings if w.code == "touch_up_early"}) is (days <= 17)
        else:
            assert isinstance(prior, date)
            assert deferred[zone] == prior + timedelta(days=18 if days <= 13 else 90), (zone, days)
            assert not kinds
