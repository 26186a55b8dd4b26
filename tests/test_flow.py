"""The flow engine over the shipped script: order, show-if, edits that drop answers, answer files."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant.core.conditions import NEVER
from assistant.core.dilution import answer_bounds
from assistant.core.flow import Answers, Flow
from assistant.core.repeat import expand
from assistant.core.script import ChoiceQuestion
from assistant.files.resources import Resources
from tests.helpers import TODAY, base_answers

SCREENING = ["neuromuscular_disorder", "infection_at_site", "toxin_allergy", "aminoglycosides"]
TREATMENT = ["zones", "skin_thickness", "muscle_strength", "effect", "prior_treatment_date"]
"""The age is not asked: the date of birth gives it (``years_since``)."""


def walk(flow: Flow, given: dict[str, object]) -> tuple[list[str], Answers]:
    """Ask the consult the way the UI does: next question, answer it from ``given``, repeat.

    ``given`` is shaped like an answer file (a repeat group as a list of entries)."""
    given = expand(flow.script, given).answers
    asked: list[str] = []
    answers: Answers = {}
    while (question := flow.next_question(answers)) is not None:
        asked.append(question.id)
        raw = given.get(question.id, question.default)
        verdict = flow.judge(question.id, raw, answers)
        assert verdict.accepted, verdict.errors
        answers = flow.answer(answers, question.id, verdict.value)
        assert len(asked) < 50, "the flow does not end"
    return asked, answers


def ids(questions: list) -> list[str]:
    return [q.id for q in questions]


def test_question_order_for_a_new_female_patient(flow: Flow) -> None:
    asked, answers = walk(flow, base_answers())
    assert asked == [
        "patient_name",
        "date_of_birth",
        "patient_id",
        "patient_language",
        "sex",
        "pregnant_or_breastfeeding",
        *SCREENING,
        *TREATMENT,
        "goals",
        "lot_number",
    ]
    assert flow.is_complete(answers)


def test_pregnancy_is_asked_only_of_female_patients(flow: Flow) -> None:
    asked, _ = walk(flow, base_answers(sex="male"))
    assert "pregnant_or_breastfeeding" not in asked
    assert asked[:6] == [
        "patient_name",
        "date_of_birth",
        "patient_id",
        "patient_language",
        "sex",
        "neuromuscular_disorder",
    ]
    assert "pregnant_or_breastfeeding" not in ids(flow.visible({}))
    assert "pregnant_or_breastfeeding" in ids(flow.visible({"sex": "female"}))


def test_prior_zones_only_when_treated_before(flow: Flow) -> None:
    never, _ = walk(flow, base_answers())
    assert "prior_zones" not in never
    prior = TODAY - timedelta(days=30)
    before, answers = walk(flow, base_answers(prior_treatment_date=prior, prior_zones=["glabella"]))
    assert before[before.index("prior_treatment_date") + 1] == "prior_zones"
    assert answers["prior_zones"] == ("glabella",)


ENTRY = ["asymmetries.0", "asymmetries.0.zone", "asymmetries.0.stronger_side", "asymmetries.0.extra_units"]


def test_asymmetry_questions_only_when_asymmetry_yes(flow: Flow) -> None:
    glabella_only, _ = walk(flow, base_answers())
    assert not [q for q in glabella_only if q.startswith("asymmetries")], "no zone with two sides: not asked"
    paired_no, _ = walk(flow, base_answers(zones=["masseter"]))
    assert [q for q in paired_no if q.startswith("asymmetries")] == ["asymmetries.0"]
    paired_yes, answers = walk(
        flow,
        base_answers(
            zones=["glabella", "masseter"],
            asymmetries=[{"zone": "masseter", "stronger_side": "left", "extra_units": 3}],
        ),
    )
    start = paired_yes.index("asymmetries.0")
    assert paired_yes[start : start + 4] == ENTRY
    assert "asymmetries.1" not in paired_yes, "the only zone with two sides is taken: no 'another one?'"
    assert answers["asymmetries.0.extra_units"] == 3.0


def test_the_forehead_can_take_an_asymmetry(flow: Flow) -> None:
    asked, answers = walk(
        flow,
        base_answers(
            zones=["forehead"], asymmetries=[{"zone": "forehead", "stronger_side": "right", "extra_units": 2}]
        ),
    )
    assert asked[asked.index("asymmetries.0") :][:4] == ENTRY
    assert answers["asymmetries.0.zone"] == "forehead"


def test_changing_sex_drops_the_pregnancy_answer(flow: Flow) -> None:
    _, answers = walk(flow, base_answers())
    assert "pregnant_or_breastfeeding" in answers
    changed = flow.answer(answers, "sex", "male")
    assert "pregnant_or_breastfeeding" not in changed
    assert changed["sex"] == "male"
    assert flow.is_complete(changed)
    back = flow.answer(changed, "sex", "female")
    assert flow.next_question(back).id == "pregnant_or_breastfeeding", "asked again, not remembered"


def test_changing_the_prior_date_to_never_drops_prior_zones(flow: Flow) -> None:
    prior = TODAY - timedelta(days=19)
    _, answers = walk(flow, base_answers(prior_treatment_date=prior, prior_zones=["glabella"]))
    changed = flow.answer(answers, "prior_treatment_date", NEVER)
    assert "prior_zones" not in changed
    assert flow.is_complete(changed)


def test_answering_asymmetry_no_drops_its_follow_ups(flow: Flow) -> None:
    _, answers = walk(
        flow,
        base_answers(
            zones=["masseter"], asymmetries=[{"zone": "masseter", "stronger_side": "right", "extra_units": 1}]
        ),
    )
    changed = flow.answer(answers, "asymmetries.0", False)
    assert not set(ENTRY[1:]) & set(changed)
    assert changed["asymmetries.0"] is False


def test_removing_every_paired_zone_drops_the_asymmetry_answers(flow: Flow) -> None:
    _, answers = walk(
        flow,
        base_answers(
            zones=["glabella", "crows_feet"],
            asymmetries=[{"zone": "crows_feet", "stronger_side": "left", "extra_units": 1}],
        ),
    )
    changed = flow.answer(answers, "zones", ("glabella",))
    assert not [k for k in changed if k.startswith("asymmetries")]
    assert list(changed) == [k for k in ids(flow.script.questions) if k in changed], "kept in script order"


def test_previous(flow: Flow) -> None:
    female = {"patient_name": "A", "patient_id": None, "sex": "female"}
    assert flow.previous(female, "neuromuscular_disorder").id == "pregnant_or_breastfeeding"
    male = {"patient_name": "A", "patient_id": None, "sex": "male"}
    assert flow.previous(male, "neuromuscular_disorder").id == "sex"
    assert flow.previous(male, "patient_name") is None
    _, complete = walk(flow, base_answers())
    assert flow.previous(complete, None).id == "lot_number", "from the end, back to the last question"


def test_progress_counts_only_questions_that_apply(flow: Flow) -> None:
    assert flow.progress({}) == (1, 17), "the age is asked until a date of birth gives it"
    born = date(1990, 3, 2)
    female = {"patient_name": "A", "date_of_birth": born, "patient_id": None, "patient_language": "en", "sex": "female"}
    assert flow.progress(female) == (6, 17), "the pregnancy question now applies; the age is not asked"
    male = {"patient_name": "A", "date_of_birth": born, "patient_id": None, "patient_language": "en", "sex": "male"}
    assert flow.progress(male) == (6, 16)
    _, complete = walk(flow, base_answers())
    assert flow.progress(complete) == (17, 17)


def test_asymmetry_zone_offers_only_zones_with_two_sides_chosen_today(flow: Flow) -> None:
    question = flow.question("asymmetries.0.zone")
    assert isinstance(question, ChoiceQuestion)
    answers = {"zones": ("glabella", "forehead", "masseter", "crows_feet", "chin"), "asymmetries.0": True}
    assert [c.code for c in flow.choices(question, answers)] == ["forehead", "crows_feet", "masseter"]
    assert flow.judge("asymmetries.0.zone", "masseter", answers).accepted
    refused = flow.judge("asymmetries.0.zone", "bunny_lines", answers)
    assert not refused.accepted
    assert "cannot be chosen here" in refused.errors[0]
    assert "crows_feet, forehead, masseter" in refused.errors[0]
    assert "not one of the choices" in flow.judge("asymmetries.0.zone", "glabella", answers).errors[0]


def test_age_75_or_over_is_a_warning_to_confirm_not_an_error(flow: Flow) -> None:
    verdict = flow.judge("age", 75, {})
    assert verdict.accepted
    assert verdict.value == 75
    assert len(verdict.warnings) == 1
    assert "under 75" in verdict.warnings[0]
    assert flow.judge("age", 74, {}).warnings == ()


def test_judge_required_and_optional(flow: Flow) -> None:
    required = flow.judge("patient_name", "  ", {})
    assert not required.accepted
    assert required.errors == (flow.script.question("patient_name").required_message,)
    optional = flow.judge("patient_id", "", {})
    assert optional.accepted
    assert optional.value is None


def test_judge_reports_the_reason_for_a_bad_answer(resources: Resources) -> None:
    flow = Flow(resources.script, TODAY, answer_bounds(resources.kb, resources.clinic))
    verdict = flow.judge("asymmetries.0.extra_units", 1.25, {})
    assert not verdict.accepted
    assert "steps of 0.2" in verdict.errors[0], "half a mark at the label's 4 U per 0.1 mL"


# --- whole answer files --------------------------------------------------------------------------


def test_read_file_takes_a_complete_file(flow: Flow) -> None:
    result = flow.read_file(base_answers())
    assert result.ok, result.problems
    assert flow.is_complete(result.answers)
    assert result.answers["zones"] == ("glabella",)
    assert result.answers["patient_id"] is None


def test_read_file_fills_missing_answers_from_defaults(flow: Flow) -> None:
    raw = base_answers(zones=["crows_feet"])
    for key in ("skin_thickness", "muscle_strength", "effect"):
        del raw[key]
    result = flow.read_file(raw)
    assert result.ok, result.problems
    assert result.answers["skin_thickness"] == "normal"
    assert result.answers["muscle_strength"] == "average"
    assert result.answers["effect"] == "standard"
    assert result.answers["asymmetries.0"] is False, "no asymmetries in the file: none measured"


def test_read_file_reports_a_missing_required_answer(flow: Flow) -> None:
    raw = base_answers()
    del raw["date_of_birth"]
    result = flow.read_file(raw)
    assert not result.ok
    assert [p.question_id for p in result.problems] == ["date_of_birth"], "the age it gives is not named again"
    assert result.problems[0].message.startswith("missing:")


def test_read_file_lists_every_problem_each_naming_its_question(flow: Flow) -> None:
    result = flow.read_file(
        base_answers(neuromuscular_disorder="maybe", zones=["glabella", "nose"], age=17, agee=30)
        | {"prior_treatment_date": TODAY + timedelta(days=3)}
    )
    named = {p.question_id for p in result.problems}
    assert named == {"agee", "neuromuscular_disorder", "zones", "date_of_birth", "prior_treatment_date"}


def test_read_file_rejects_unknown_keys_with_a_suggestion(flow: Flow) -> None:
    result = flow.read_file(base_answers(agee=30, skin_thicknes="thick"))
    messages = {p.question_id: p.message for p in result.problems}
    assert "Did you mean 'age'?" in messages["agee"]
    assert "Did you mean 'skin_thickness'?" in messages["skin_thicknes"]
    assert "botulax-consult" in messages["agee"]


def test_read_file_drops_answers_that_do_not_apply_with_a_note(flow: Flow) -> None:
    result = flow.read_file(base_answers(sex="male", pregnant_or_breastfeeding=True, prior_zones=["glabella"]))
    assert result.ok, result.problems
    assert "pregnant_or_breastfeeding" not in result.answers
    assert "prior_zones" not in result.answers
    noted = {n.question_id: n.message for n in result.notes}
    assert set(noted) >= {"pregnant_or_breastfeeding", "prior_zones"}
    assert "dropped" in noted["pregnant_or_breastfeeding"]


def test_read_file_notes_a_confirmed_warning(flow: Flow) -> None:
    result = flow.read_file(base_answers(age=80))
    assert result.ok
    age_notes = [n.message for n in result.notes if n.question_id == "date_of_birth"]
    assert len(age_notes) == 1, "the age a date of birth gives is checked as the age question would"
    assert "warning, confirmed by the file" in age_notes[0]
    assert flow.read_file(base_answers(age=74)).notes == flow.read_file(base_answers(age=40)).notes


def test_read_file_checks_asymmetry_zone_against_todays_zones(flow: Flow) -> None:
    result = flow.read_file(
        base_answers(
            zones=["glabella", "crows_feet"],
            asymmetries=[{"zone": "masseter", "stronger_side": "left", "extra_units": 1}],
        )
    )
    assert [p.question_id for p in result.problems] == ["asymmetries.0.zone"]
    assert result.location("asymmetries.0.zone") == ("asymmetries", 0, "zone")


def test_read_file_takes_the_older_single_asymmetry_questions(flow: Flow) -> None:
    """Files written for script 1.2 (asymmetry, asymmetry_zone, stronger_side, extra_units) keep working."""
    result = flow.read_file(
        base_answers(
            zones=["crows_feet"], asymmetry=True, asymmetry_zone="crows_feet", stronger_side="left", extra_units=1
        )
    )
    assert result.ok, result.problems
    assert {k: v for k, v in result.answers.items() if k.startswith("asymmetries")} == {
        "asymmetries.0": True,
        "asymmetries.0.zone": "crows_feet",
        "asymmetries.0.stronger_side": "left",
        "asymmetries.0.extra_units": 1.0,
    }
    assert result.location("asymmetries.0.extra_units") == ("extra_units",)
    no = flow.read_file(base_answers(zones=["crows_feet"], asymmetry=False))
    assert no.ok and no.answers["asymmetries.0"] is False


@pytest.mark.parametrize("raw", [["glabella"], "glabella"])
def test_read_file_accepts_a_zone_list_or_a_single_code(flow: Flow, raw: object) -> None:
    assert flow.read_file(base_answers(zones=raw)).answers["zones"] == ("glabella",)


def test_read_file_reports_keys_that_are_not_text(flow: Flow) -> None:
    result = flow.read_file({**base_answers(), 1: "x", None: "y"})
    assert [str(p.question_id) for p in result.problems] == ["1", "None"]
    assert all("is not a question" in p.message for p in result.problems)


def test_changing_an_answer_asks_again_what_depends_on_it(flow: Flow) -> None:
    """A measured asymmetry belongs to its zone: choosing another zone asks for it again."""
    answers: dict = {
        "zones": ("crows_feet", "masseter"),
        "asymmetries.0": True,
        "asymmetries.0.zone": "crows_feet",
        "asymmetries.0.stronger_side": "left",
        "asymmetries.0.extra_units": 3.0,
    }
    changed = flow.answer(answers, "zones", ("masseter",))
    assert "asymmetries.0" not in changed, "the group's show_if reads zones: asked again"
    assert "asymmetries.0.zone" not in changed and "asymmetries.0.extra_units" not in changed
    same = flow.answer(answers, "zones", ("crows_feet", "masseter"))
    assert same == {k: v for k, v in answers.items()}, "an unchanged answer keeps what follows"
    assert flow.dependents("prior_treatment_date") == {"prior_zones"}
