"""The condition language: static checks (what `check` reports) and None-safe evaluation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from simpleeval import InvalidExpression

from assistant.core.conditions import (
    NEVER,
    check_expression,
    compared_codes,
    evaluate,
    referenced_names,
)
from tests.helpers import TODAY

KNOWN = ["patient_name", "sex", "zones", "age", "prior_treatment_date", "asymmetry"]


def codes(expression: str, known: list[str] = KNOWN, later: list[str] | None = None) -> list[str]:
    return [p.code for p in check_expression(expression, known, later or [])]


# --- static checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "age >= 18 and selected(zones, 'forehead')",
        "sex == 'female'",
        "prior_treatment_date != never and answered(prior_treatment_date)",
        "days_between(prior_treatment_date, today()) < 14",
        "count(zones) >= 2 or not asymmetry",
        "sex in ['female', 'male']",
        "age - 1 > 17 and -age < 0",
    ],
)
def test_valid_expressions_have_no_problems(expression: str) -> None:
    assert check_expression(expression, KNOWN) == []


@pytest.mark.parametrize("expression", ["age >=", "sex == = 'female'", "selected(zones, 'forehead'", "age >= 18 and"])
def test_syntax_errors_are_reported_not_raised(expression: str) -> None:
    problems = check_expression(expression, KNOWN)
    assert [p.code for p in problems] == ["expression-syntax"]
    assert "cannot read the condition" in problems[0].message
    assert expression in problems[0].message


def test_unknown_name_suggests_the_closest_question() -> None:
    problems = check_expression("agee >= 18", KNOWN)
    assert [p.code for p in problems] == ["unknown-question"]
    assert "'agee'" in problems[0].message
    assert "Did you mean 'age'?" in problems[0].message


def test_unknown_name_without_a_close_match_has_no_suggestion() -> None:
    problems = check_expression("zzzzzz == 1", KNOWN)
    assert [p.code for p in problems] == ["unknown-question"]
    assert "Did you mean" not in problems[0].message


def test_a_later_question_gets_its_own_message() -> None:
    problems = check_expression("sex == 'female' and age > 20", known=["sex"], later=["age"])
    assert [p.code for p in problems] == ["later-question"]
    assert "'age'" in problems[0].message
    assert "asked later" in problems[0].message


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("sex.upper() == 'FEMALE'", "expression-syntax"),
        ("sex.__class__ == 'str'", "expression-syntax"),
        ("(lambda: 1)() == 1", "expression-syntax"),
        ("zones[0] == 'glabella'", "expression-syntax"),
        ("[z for z in zones]", "expression-syntax"),
        ("age if asymmetry else 0", "expression-syntax"),
        ("__import__('os')", "unknown-function"),
        ("open('/etc/passwd')", "unknown-function"),
    ],
)
def test_disallowed_constructs_are_reported(expression: str, code: str) -> None:
    assert code in codes(expression)


def test_unknown_function_suggests_the_closest() -> None:
    problems = check_expression("selcted(zones, 'forehead')", KNOWN)
    assert [p.code for p in problems] == ["unknown-function"]
    assert "Did you mean 'selected'?" in problems[0].message


@pytest.mark.parametrize(
    "expression", ["count(zones, 'forehead')", "count()", "selected(zones)", "today(1)", "days_between(age)"]
)
def test_wrong_number_of_arguments(expression: str) -> None:
    problems = check_expression(expression, KNOWN)
    assert [p.code for p in problems] == ["expression-syntax"]
    assert "argument" in problems[0].message


def test_referenced_names_excludes_functions_and_constants() -> None:
    assert referenced_names("selected(zones, 'x') and age >= 18 and asymmetry == True and d != never") == {
        "zones",
        "age",
        "asymmetry",
        "d",
    }


def test_compared_codes_finds_literals_in_comparisons_and_selected() -> None:
    pairs = compared_codes("sex == 'femal' and selected(zones, 'forehed', 'glabella') and age > 3")
    assert set(pairs) == {("sex", "femal"), ("zones", "forehed"), ("zones", "glabella")}


# --- evaluation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("expression", ["__import__('os').getcwd()", "sex.__class__", "(lambda: 1)()"])
def test_evaluate_never_runs_what_the_checks_refuse(expression: str) -> None:
    """Even an unchecked expression cannot reach Python: simpleeval refuses it, nothing is run."""
    with pytest.raises(InvalidExpression):
        evaluate(expression, {"sex": "female"}, TODAY)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("age >= 18", False),
        ("age < 18", False),
        ("age + 1 > 3", False),
        ("age * 2 < 300", False),
        ("sex == 'female'", False),
        ("sex != 'female'", True),
        ("'glabella' in zones", False),
        ("'glabella' not in zones", True),
        ("selected(zones, 'glabella')", False),
        ("count(zones) == 0", True),
        ("answered(zones)", False),
        ("not (age >= 18)", True),
    ],
)
def test_unanswered_questions_make_comparisons_false_not_errors(expression: str, expected: bool) -> None:
    assert evaluate(expression, {}, TODAY) is expected


@pytest.mark.parametrize(
    "expression",
    [
        "prior_treatment_date < today()",
        "prior_treatment_date >= today()",
        "days_between(prior_treatment_date, today()) < 14",
        "days_between(prior_treatment_date, today()) >= 14",
        "age > 'thirty'",
    ],
)
def test_comparisons_between_different_kinds_are_false(expression: str) -> None:
    answers = {"prior_treatment_date": NEVER, "age": 30}
    assert evaluate(expression, answers, TODAY) is False


def test_selected_any_of_the_codes() -> None:
    answers = {"zones": ("glabella", "masseter"), "sex": "female"}
    assert evaluate("selected(zones, 'masseter')", answers, TODAY)
    assert evaluate("selected(zones, 'forehead', 'masseter')", answers, TODAY)
    assert not evaluate("selected(zones, 'forehead', 'chin')", answers, TODAY)
    assert evaluate("selected(sex, 'female')", answers, TODAY), "a single answer counts as one selection"
    assert evaluate("selected(zones, choice)", answers, TODAY, choice="glabella")
    assert not evaluate("selected(zones, choice)", answers, TODAY, choice="chin")


def test_count() -> None:
    assert evaluate("count(zones) == 3", {"zones": ("a", "b", "c")}, TODAY)
    assert evaluate("count(zones) == 1", {"zones": "a"}, TODAY)
    assert evaluate("count(zones) == 0", {"zones": None}, TODAY)


def test_days_between_and_today() -> None:
    prior = TODAY - timedelta(days=19)
    answers = {"prior_treatment_date": prior}
    assert evaluate("days_between(prior_treatment_date, today()) == 19", answers, TODAY)
    assert evaluate("days_between(today(), prior_treatment_date) == -19", answers, TODAY)
    assert evaluate("prior_treatment_date < today()", answers, TODAY)
    assert evaluate("today() == d", {"d": TODAY}, TODAY)
    assert not evaluate("today() == d", {"d": date(2000, 1, 1)}, TODAY)


def test_yes_no_answers_compare_with_true_in_either_spelling() -> None:
    assert evaluate("asymmetry == True", {"asymmetry": True}, TODAY)
    assert evaluate("asymmetry == true", {"asymmetry": True}, TODAY)
    assert not evaluate("asymmetry == True", {"asymmetry": False}, TODAY)


def test_never_is_a_constant() -> None:
    assert evaluate("prior_treatment_date == never", {"prior_treatment_date": NEVER}, TODAY)
    assert evaluate("prior_treatment_date != never", {"prior_treatment_date": TODAY}, TODAY)
