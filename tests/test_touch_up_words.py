"""A touch-up's units in the zone's words: per side of a paired zone (the crow's feet), for the zone
of a central one (the glabella), in every output that says them. "2 U per side" for a glabella reads
as 4 U in all."""

from __future__ import annotations

from datetime import date

from assistant.core.advice import advise
from assistant.core.plan import Plan
from assistant.documents import render_summary
from assistant.files.loaders import load_answers
from assistant.files.resources import Resources
from assistant.locations import EXAMPLES_DIR
from assistant.services.headless import run_answer_file
from assistant.tui.screens import plan_texts
from tests.helpers import TODAY


def touch_up_plan(resources: Resources) -> Plan:
    """The shipped example: the glabella and the crow's feet touched up on day 19."""
    answers = load_answers(EXAMPLES_DIR / "returning_touch_up.yaml").value
    assert answers is not None
    plan = run_answer_file(resources, answers, TODAY).plan
    assert plan is not None and {line.kind for line in plan.lines} == {"touch_up"}
    return plan


def lines_of(text: str, zone: str) -> list[str]:
    found = [line for line in text.splitlines() if zone in line and "touch-up:" in line]
    assert found, f"no touch-up line of {zone} in:\n{text}"
    return found


def test_the_why_of_a_touch_up_says_per_side_only_for_a_paired_zone(resources: Resources) -> None:
    plan = touch_up_plan(resources)
    shown = {
        "text": str(render_summary(plan, resources.kb, resources.clinic, "text")),
        "html": str(render_summary(plan, resources.kb, resources.clinic, "html")),
        "plan screen": plan_texts.why(plan),
    }
    for where, text in shown.items():
        for line in lines_of(text, "Glabella"):
            assert "per side" not in line and "2-3 U for the zone" in line, (where, line)
        for line in lines_of(text, "Crow"):
            assert "2-3 U per side" in line, (where, line)


def test_the_touch_up_advice_gives_a_central_zone_its_units_for_the_zone(resources: Resources) -> None:
    answers = {
        "zones": ("glabella", "crows_feet"),
        "prior_treatment_date": date(2026, 11, 5),
        "prior_zones": ("glabella", "crows_feet"),
    }
    said = [advice.text for advice in advise("prior_zones", answers, resources.kb, TODAY)]
    assert said == [
        "Glabella: touch-up only, 2 U for the zone (2-3 U) with no modifiers: treated 19 days ago: "
        "in the day 18-21 touch-up window.",
        "Crow's feet: touch-up only, 2 U per side (2-3 U) with no modifiers: treated 19 days ago: "
        "in the day 18-21 touch-up window.",
    ]


def test_a_touch_up_said_of_no_zone_in_particular_names_both_kinds(resources: Resources) -> None:
    """The knowledge base's band texts apply to every zone, so they do not say "per side" on their own."""
    for band in resources.kb.timing.bands:
        assert "per side" not in band.reason, band.reason
    answers = {"zones": ("glabella",), "prior_treatment_date": date(2026, 11, 5)}
    [said] = [advice.text for advice in advise("prior_treatment_date", answers, resources.kb, TODAY)]
    assert said.endswith("a small touch-up of 2-3 U per side of a paired zone, for the whole of a central one.")


def test_no_zone_typed_as_treated_last_time_does_not_promise_full_doses(resources: Resources) -> None:
    """A tryout unticked the pre-filled glabella: the conversation said "all are planned in full", and
    the plan then deferred the glabella, whose dose the record held (the record counts)."""
    from datetime import timedelta

    answers = {"zones": ["glabella"], "prior_treatment_date": TODAY - timedelta(days=20), "prior_zones": []}
    [said] = [advice.text for advice in advise("prior_zones", answers, resources.kb, TODAY)]
    assert "planned in full" not in said
    assert said.startswith("None of today's zones is typed as treated last time;")
    assert "the patient's record holds still count for timing" in said
