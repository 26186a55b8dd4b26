"""Properties of measured asymmetries over random consults (hypothesis): several per consult, the
forehead in halves, one rule for the weaker side, the zone-combination rule and the follow-up.

Answers go through the real flow and the real knowledge base. The weaker-side oracle below restates
the rule from the knowledge figures (default x modifiers, caution threshold, typical minimum, the
syringe's marks), so a planner that refused for another reason, or planned a weaker side below the
minimum, fails.
"""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from assistant.core.consult import Asymmetry, Consult
from assistant.core.flow import Flow
from assistant.core.knowledge import KnowledgeBase
from assistant.core.plan import Plan
from assistant.core.planner import make_plan
from assistant.core.problems import InvalidAnswers
from assistant.core.repeat import nest
from assistant.core.script import Script
from assistant.core.syringe import SyringeScale
from tests.helpers import TODAY
from tests.test_planner_properties import PROPERTY_SETTINGS, answer_sets, side_units


def consult_of(script: Script, answers: dict[str, object]) -> Consult:
    flow = Flow(script, TODAY)
    result = flow.read_file(answers)
    assert result.ok, result.problems
    return Consult.from_answers(flow, result.answers)


def refused_by_rule(kb: KnowledgeBase, consult: Consult, asymmetry: Asymmetry) -> bool:
    """Whether the weaker-side rule (or the syringe's marks) refuses this entry, from the figures alone."""
    zone = kb.zone(asymmetry.zone)
    modifiers = make_plan(consult.model_copy(update={"asymmetries": ()}), kb).modifiers
    factor = math.prod((Fraction(str(m.factor)) for m in modifiers), start=Fraction(1))
    cap, least = Fraction(str(zone.caution_above.value)), Fraction(str(zone.typical_units.min))
    total = min(Fraction(str(zone.default_units.value)) * factor, cap)  # exact: rounded once, below
    extra = Fraction(str(asymmetry.extra_units))
    if zone.paired:
        base, most = total, cap - extra
    else:
        base, most, least = total / 2, (cap - extra) / 2, least / 2
    scale = SyringeScale(kb.syringe(), Fraction(40))  # the label's 4 U per 0.1 mL
    if not scale.on_marks(extra):
        return True
    weaker = scale.nearest(min(base, most), most, least)
    return weaker < least or weaker <= 0


def gets_a_full_dose(consult: Consult, zone: str) -> bool:
    """Not treated last time within 90 days (such a zone is deferred or touched up, without its asymmetry)."""
    prior = consult.prior_treatment_date
    return prior is None or zone not in consult.prior_zones or (TODAY - prior).days >= 90


def touched_up(consult: Consult, zone: str) -> bool:
    """Treated 14-21 days ago: a touch-up, on the stronger side only when an asymmetry is measured."""
    prior = consult.prior_treatment_date
    return prior is not None and zone in consult.prior_zones and 14 <= (TODAY - prior).days <= 21


def refused_as_touch_up(kb: KnowledgeBase, asymmetry: Asymmetry) -> bool:
    rule, extra = kb.timing.touch_up, Fraction(str(asymmetry.extra_units))
    scale = SyringeScale(kb.syringe(), Fraction(40))
    inside = Fraction(str(rule.min_units)) <= extra <= Fraction(str(rule.max_units))
    return not inside or not scale.on_marks(extra)


@PROPERTY_SETTINGS
@given(answers=answer_sets(asymmetry=True))
def test_every_asymmetry_is_kept_exactly_or_refused_by_the_one_rule(
    script: Script, kb: KnowledgeBase, answers: dict[str, object]
) -> None:
    consult = consult_of(script, answers)
    assert consult.asymmetries
    applied = [a for a in consult.asymmetries if gets_a_full_dose(consult, a.zone)]
    touched = [a for a in consult.asymmetries if touched_up(consult, a.zone)]
    refused = {a.answer_id("extra_units") for a in applied if refused_by_rule(kb, consult, a)}
    refused |= {a.answer_id("extra_units") for a in touched if refused_as_touch_up(kb, a)}
    try:
        plan = make_plan(consult, kb)
    except InvalidAnswers as error:
        [problem] = error.problems
        assert problem.question_id in refused, (problem, refused)
        assert any(words in problem.message for words in ("typical minimum", "cannot be measured", "as a touch-up"))
        return
    assert not refused, f"planned although the rule refuses {refused}"
    units = side_units(plan)
    for asymmetry in consult.asymmetries:
        zone = kb.zone(asymmetry.zone)
        if asymmetry in touched:
            other = "left" if asymmetry.stronger_side == "right" else "right"
            assert units[(zone.id, asymmetry.stronger_side)] == Decimal(str(asymmetry.extra_units))
            assert (zone.id, other) not in units and (zone.id, "center") not in units
            continue
        if asymmetry not in applied:
            assert "asymmetry_not_applied" in plan.warning_codes()
            continue
        weaker_side = "left" if asymmetry.stronger_side == "right" else "right"
        stronger, weaker = units[(zone.id, asymmetry.stronger_side)], units[(zone.id, weaker_side)]
        assert stronger - weaker == Decimal(str(asymmetry.extra_units)), "the measured gap, exactly"
        cap, least = Decimal(str(zone.caution_above.value)), Decimal(str(zone.typical_units.min))
        if zone.paired:
            assert stronger <= cap and weaker >= least
        else:
            assert stronger + weaker <= cap, "the caution threshold holds for both halves together"
            assert weaker >= least / 2
            assert (zone.id, "center") not in units
            counts = {
                s: sum(x.points for x in plan.lines if (x.zone, x.side) == (zone.id, s)) for s in ("left", "right")
            }
            assert counts[asymmetry.stronger_side] - counts[weaker_side] == zone.points.default % 2
            assert sum(counts.values()) == zone.points.default
        assert ("asymmetry" in {w.code for w in plan.warnings if w.zone == zone.id}) is (asymmetry.extra_units > 2)


@PROPERTY_SETTINGS
@given(answers=answer_sets())
def test_forehead_without_glabella_warns_exactly_when_it_should(
    script: Script, kb: KnowledgeBase, answers: dict[str, object]
) -> None:
    plan = plan_or_none(script, kb, answers)
    if plan is None:
        return
    planned = {line.zone for line in plan.lines}
    deferred = {d.zone for d in plan.deferred}
    expected = "forehead" in planned and "glabella" not in planned | deferred
    assert ("forehead_without_glabella" in plan.warning_codes()) is expected


@PROPERTY_SETTINGS
@given(answers=answer_sets(), days=st.integers(14, 21))
def test_after_touch_ups_no_second_window_and_the_next_full_treatment(
    script: Script, kb: KnowledgeBase, answers: dict[str, object], days: int
) -> None:
    prior = TODAY - timedelta(days=days)
    answers = {**answers, "prior_treatment_date": prior, "prior_zones": list(answers["zones"])}  # type: ignore[arg-type]
    plan = plan_or_none(script, kb, answers)
    if plan is None:
        return
    assert {line.kind for line in plan.lines} == {"touch_up"}, "every zone was treated 14-21 days ago"
    assert plan.follow_up.touch_up_window is False
    assert plan.follow_up.next_full_treatment == prior + timedelta(days=90)


@PROPERTY_SETTINGS
@given(answers=answer_sets(asymmetry=True))
def test_the_older_single_asymmetry_form_plans_the_same(
    script: Script, kb: KnowledgeBase, answers: dict[str, object]
) -> None:
    """A file written for script 1.2 (one asymmetry as four questions) plans as its one entry does."""
    first = answers["asymmetries"][0]  # type: ignore[index]
    nested = {**answers, "asymmetries": [first]}
    older = {k: v for k, v in answers.items() if k != "asymmetries"}
    older.update(
        asymmetry=True,
        asymmetry_zone=first["zone"],
        stronger_side=first["stronger_side"],
        extra_units=first["extra_units"],
    )
    assert plan_or_none(script, kb, older) == plan_or_none(script, kb, nested)


@PROPERTY_SETTINGS
@given(answers=answer_sets())
def test_answers_nest_back_into_the_entries_of_the_file(script: Script, answers: dict[str, object]) -> None:
    flow = Flow(script, TODAY)
    result = flow.read_file(answers)
    assert result.ok, result.problems
    nested = nest(script, result.answers)
    written = answers.get("asymmetries")
    if written is None:
        assert nested.get("asymmetries", []) == []
    else:
        assert nested["asymmetries"] == [{**e, "extra_units": float(e["extra_units"])} for e in written]  # type: ignore[union-attr]


def plan_or_none(script: Script, kb: KnowledgeBase, answers: dict[str, object]) -> Plan | None:
    """The plan, or None when the weaker-side rule refuses it (tested above)."""
    try:
        return make_plan(consult_of(script, answers), kb)
    except InvalidAnswers as error:
        assert all(str(p.question_id).endswith(".extra_units") for p in error.problems), error
        return None


def test_a_weaker_side_moved_to_the_syringes_marks_says_so_in_its_why(script: Script, kb: KnowledgeBase) -> None:
    """A tryout read "default 1.5 U ... 1.8 U on the left, 1.4 U on the right" as the weaker side lowered:
    1.5 U is 1.4 U on the syringe's marks (halfway, the smaller), and the why now says it."""
    from tests.helpers import base_answers

    answers = base_answers(
        zones=["gummy_smile"], asymmetries=[{"zone": "gummy_smile", "stronger_side": "left", "extra_units": 0.4}]
    )
    plan = make_plan(consult_of(script, answers), kb)
    why = next(line.why for line in plan.lines if line.zone == "gummy_smile")
    assert "1.8 U on the left, 1.4 U on the right, keeping the difference" in why, why
    assert "(1.5 U per side is 1.4 U on the syringe's marks)" in why, why
