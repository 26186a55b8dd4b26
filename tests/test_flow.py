"""The flow engine over the shipped script: order, show-if, edits that drop answers, answer files."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.core.conditions import NEVER
from assistant.core.flow import Answers, Flow
from assistant.core.script import ChoiceQuestion
from tests.helpers import TODAY, base_answers

SCREENING = ["neuromuscular_disorder", "infection_at_site", "toxin_allergy", "aminoglycosides"]
TREATMENT = ["zones", "age", "skin_thickness", "muscle_strength", "effect", "prior_treatment_date"]


def walk(flow: Flow, given: dict[str, object]) -> tuple[list[str], Answers]:
    """Ask the consult the way the UI does: next question, answer it from ``given``, repeat."""
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
    assert asked[:5] == ["patient_name", "patient_id", "patient_language", "sex", "neuromuscular_disorder"]
    assert "pregnant_or_breastfeeding" not in ids(flow.visible({}))
    assert "pregnant_or_breastfeeding" in ids(flow.visible({"sex": "female"}))


def test_prior_zones_only_when_treated_before(flow: Flow) -> None:
    never, _ = walk(flow, base_answers())
    assert "prior_zones" not in never
    prior = TODAY - timedelta(days=30)
    before, answers = walk(flow, base_answers(prior_treatment_date=prior, prior_zones=["glabella"]))
    assert before[before.index("prior_treatment_date") + 1] == "prior_zones"
    assert answers["prior_zones"] == ("glabella",)


def test_asymmetry_questions_only_when_asymmetry_yes(flow: Flow) -> None:
    glabella_only, _ = walk(flow, base_answers())
    assert "asymmetry" not in glabella_only, "no paired zone, no asymmetry question"
    paired_no, _ = walk(flow, base_answers(zones=["masseter"]))
    assert "asymmetry" in paired_no
    assert not {"asymmetry_zone", "stronger_side", "extra_units"} & set(paired_no)
    paired_yes, answers = walk(
        flow,
        base_answers(
            zones=["glabella", "masseter"],
            asymmetry=True,
            asymmetry_zone="masseter",
            stronger_side="left",
            extra_units=3,
        ),
    )
    start = paired_yes.index("asymmetry")
    assert paired_yes[start : start + 4] == ["asymmetry", "asymmetry_zone", "stronger_side", "extra_units"]
    assert answers["extra_units"] == 3.0


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
        base_answers(zones=["masseter"], asymmetry=True, asymmetry_zone="masseter", stronger_side="right")
        | {"extra_units": 1},
    )
    changed = flow.answer(answers, "asymmetry", False)
    assert not {"asymmetry_zone", "stronger_side", "extra_units"} & set(changed)


def test_removing_every_paired_zone_drops_the_asymmetry_answers(flow: Flow) -> None:
    _, answers = walk(
        flow,
        base_answers(
            zones=["glabella", "crows_feet"],
            asymmetry=True,
            asymmetry_zone="crows_feet",
            stronger_side="left",
            extra_units=1,
        ),
    )
    changed = flow.answer(answers, "zones", ("glabella",))
    assert not {"asymmetry", "asymmetry_zone", "stronger_side", "extra_units"} & set(changed)
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
    assert flow.progress({}) == (1, 16)
    female = {"patient_name": "A", "patient_id": None, "patient_language": "en", "sex": "female"}
    assert flow.progress(female) == (5, 17), "the pregnancy question now applies"
    male = {"patient_name": "A", "patient_id": None, "patient_language": "en", "sex": "male"}
    assert flow.progress(male) == (5, 16)
    _, complete = walk(flow, base_answers())
    assert flow.progress(complete) == (17, 17)


def test_asymmetry_zone_offers_only_paired_zones_chosen_today(flow: Flow) -> None:
    question = flow.script.question("asymmetry_zone")
    assert isinstance(question, ChoiceQuestion)
    answers = {"zones": ("glabella", "masseter", "crows_feet", "chin")}
    assert [c.code for c in flow.choices(question, answers)] == ["crows_feet", "masseter"]
    assert flow.judge("asymmetry_zone", "masseter", answers).accepted
    refused = flow.judge("asymmetry_zone", "bunny_lines", answers)
    assert not refused.accepted
    assert "cannot be chosen here" in refused.errors[0]
    assert "crows_feet, masseter" in refused.errors[0]
    assert "not one of the choices" in flow.judge("asymmetry_zone", "glabella", answers).errors[0]


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


def test_judge_reports_the_reason_for_a_bad_answer(flow: Flow) -> None:
    verdict = flow.judge("extra_units", 1.25, {})
    assert not verdict.accepted
    assert "steps of 0.5" in verdict.errors[0]


# --- whole answer files --------------------------------------------------------------------------


def test_read_file_takes_a_complete_file(flow: Flow) -> None:
    result = flow.read_file(base_answers())
    assert result.ok, result.problems
    assert flow.is_complete(result.answers)
    assert result.answers["zones"] == ("glabella",)
    assert result.answers["patient_id"] is None


def test_read_file_fills_missing_answers_from_defaults(flow: Flow) -> None:
    raw = base_answers(zones=["crows_feet"])
    for key in ("skin_thickness", "muscle_strength", "effect", "asymmetry"):
        del raw[key]
    result = flow.read_file(raw)
    assert result.ok, result.problems
    assert result.answers["skin_thickness"] == "normal"
    assert result.answers["muscle_strength"] == "average"
    assert result.answers["effect"] == "standard"
    assert result.answers["asymmetry"] is False


def test_read_file_reports_a_missing_required_answer(flow: Flow) -> None:
    raw = base_answers()
    del raw["age"]
    result = flow.read_file(raw)
    assert not result.ok
    assert [p.question_id for p in result.problems] == ["age"]
    assert result.problems[0].message.startswith("missing:")


def test_read_file_lists_every_problem_each_naming_its_question(flow: Flow) -> None:
    result = flow.read_file(
        base_answers(neuromuscular_disorder="maybe", zones=["glabella", "nose"], age=17, agee=30)
        | {"prior_treatment_date": TODAY + timedelta(days=3)}
    )
    named = {p.question_id for p in result.problems}
    assert named == {"agee", "neuromuscular_disorder", "zones", "age", "prior_treatment_date"}


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
    age_notes = [n.message for n in result.notes if n.question_id == "age"]
    assert len(age_notes) == 1
    assert "warning, confirmed by the file" in age_notes[0]
    assert flow.read_file(base_answers(age=74)).notes == flow.read_file(base_answers(age=40)).notes


def test_read_file_checks_asymmetry_zone_against_todays_zones(flow: Flow) -> None:
    result = flow.read_file(
        base_answers(
            zones=["glabella", "crows_feet"],
            asymmetry=True,
            asymmetry_zone="masseter",
            stronger_side="left",
            extra_units=1,
        )
    )
    assert [p.question_id for p in result.problems] == ["asymmetry_zone"]


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
        "asymmetry": True,
        "asymmetry_zone": "crows_feet",
        "stronger_side": "left",
        "extra_units": 3.0,
    }
    changed = flow.answer(answers, "zones", ("masseter",))
    assert "asymmetry" not in changed, "asymmetry reads zones: asked again"
    assert "asymmetry_zone" not in changed and "extra_units" not in changed
    same = flow.answer(answers, "zones", ("crows_feet", "masseter"))
    assert same == {k: v for k, v in answers.items()}, "an unchanged answer keeps what follows"
    assert flow.dependents("prior_treatment_date") == {"prior_zones"}
