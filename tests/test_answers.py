"""Coercing answers: UI text and YAML scalars (both YAML 1.1 and 1.2 forms) into typed answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from assistant.core.answers import AnswerError, coerce, display
from assistant.core.conditions import NEVER
from assistant.core.dilution import answer_bounds
from assistant.core.flow import Flow
from assistant.core.script import Script
from assistant.files.resources import Resources
from assistant.files.yaml_source import parse_yaml
from assistant.settings import ClinicSettings
from tests.helpers import TODAY


def take(script: Script, question_id: str, raw: object, flow: Flow | None = None) -> object:
    """``question_id`` may name a question of a repeat group's entry (``asymmetries.0.extra_units``)."""
    return coerce(script, (flow or Flow(script, TODAY)).question(question_id), raw, TODAY)


def refuse(script: Script, question_id: str, raw: object, flow: Flow | None = None) -> str:
    with pytest.raises(AnswerError) as caught:
        take(script, question_id, raw, flow)
    return str(caught.value)


@pytest.fixture
def half_unit_flow(resources: Resources) -> Flow:
    """The flow of a clinic at 1 mL per 100 U: half a mark of the default syringe is 0.5 U."""
    clinic = ClinicSettings(saline_ml=1, vial_units=100)
    return Flow(resources.script, TODAY, answer_bounds(resources.kb, clinic))


# --- yes/no --------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [True, "yes", "Yes", "Y", "true", "1", 1])
def test_yes(script: Script, raw: object) -> None:
    assert take(script, "toxin_allergy", raw) is True


@pytest.mark.parametrize("raw", [False, "no", "NO", "n", "false", "off", "0", 0])
def test_no(script: Script, raw: object) -> None:
    assert take(script, "toxin_allergy", raw) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "perhaps"])
def test_neither_yes_nor_no(script: Script, raw: object) -> None:
    assert "answer yes or no" in refuse(script, "toxin_allergy", raw)


# --- YAML 1.1 vs 1.2 forms, as the loader hands them over -----------------------------------------


ANSWER_LINES = """\
toxin_allergy: no
pregnant_or_breastfeeding: yes
prior_treatment_date: 2026-11-05
sex: female
"""


@pytest.mark.parametrize("header", ["", "%YAML 1.1\n---\n"], ids=["yaml-1.2", "yaml-1.1"])
def test_yaml_forms_of_yes_no_and_dates(script: Script, header: str) -> None:
    data = parse_yaml(header + ANSWER_LINES, "answers.yaml").data
    if header:
        assert data["toxin_allergy"] is False, "YAML 1.1 turns no into a boolean"
    else:
        assert data["toxin_allergy"] == "no"
    assert isinstance(data["prior_treatment_date"], date)
    assert take(script, "toxin_allergy", data["toxin_allergy"]) is False
    assert take(script, "pregnant_or_breastfeeding", data["pregnant_or_breastfeeding"]) is True
    assert take(script, "prior_treatment_date", data["prior_treatment_date"]) == date(2026, 11, 5)
    assert take(script, "sex", data["sex"]) == "female"


SCRIPT_WITH_ODD_CODES = """\
%YAML 1.1
---
id: odd
version: 2
title: Codes YAML 1.1 mangles
lists:
  answers:
    - {code: 1, label: One}
    - {code: no, label: Nope}
    - {code: yes, label: Yep}
questions:
  - id: pick
    type: single
    choices: answers
    prompt: Pick one
"""


def test_codes_are_text_even_when_yaml_reads_numbers_and_booleans() -> None:
    script = Script.model_validate(parse_yaml(SCRIPT_WITH_ODD_CODES, "odd.yaml").data)
    assert script.version == "2"
    assert [c.code for c in script.lists["answers"]] == ["1", "no", "yes"]
    question = script.question("pick")
    assert coerce(script, question, 1, TODAY) == "1"
    assert coerce(script, question, "1", TODAY) == "1"
    assert coerce(script, question, False, TODAY) == "no"
    assert coerce(script, question, True, TODAY) == "yes"
    assert coerce(script, question, "Nope", TODAY) == "no", "a label is accepted and stored as its code"


# --- single and multiple choice ------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["female", "Female", "FEMALE", " female "])
def test_single_choice_by_code_or_label(script: Script, raw: str) -> None:
    assert take(script, "sex", raw) == "female"


def test_single_choice_refuses_unknown_codes_listing_the_choices(script: Script) -> None:
    message = refuse(script, "sex", "other")
    assert "'other' is not one of the choices" in message
    assert "female, male" in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["glabella", "forehead"], ("glabella", "forehead")),
        (("masseter",), ("masseter",)),
        ("glabella, crows_feet", ("glabella", "crows_feet")),
        ("glabella;chin", ("glabella", "chin")),
        ("glabella", ("glabella",)),
        (["glabella", "glabella", "Forehead lines (frontalis)"], ("glabella", "forehead")),
    ],
)
def test_multiple_choice(script: Script, raw: object, expected: tuple[str, ...]) -> None:
    assert take(script, "zones", raw) == expected


def test_multiple_choice_refuses_an_unknown_zone(script: Script) -> None:
    assert "'nose' is not one of the choices" in refuse(script, "zones", ["glabella", "nose"])


@pytest.mark.parametrize("raw", [[], "", " , "])
def test_multiple_choice_needs_at_least_one(script: Script, raw: object) -> None:
    assert refuse(script, "zones", raw) == "Choose at least one zone to treat."


# --- integers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [(18, 18), (100, 100), ("35", 35), (" 42 ", 42), (55.0, 55)])
def test_age_within_bounds(script: Script, raw: object, expected: int) -> None:
    value = take(script, "age", raw)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (17, "below the lowest allowed, 18"),
        (101, "above the highest allowed, 100"),
        (35.5, "not a whole number"),
        ("thirty", "is not a number"),
        (True, "a number is needed"),
        ("nan", "is not a number"),
        (float("inf"), "is not a number"),
    ],
)
def test_age_refused(script: Script, raw: object, words: str) -> None:
    assert words in refuse(script, "age", raw)


# --- decimals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [(0.5, 0.5), (4, 4.0), (3, 3.0), ("2,5", 2.5), ("1.5", 1.5), (2.0, 2.0)])
def test_extra_units_in_steps_of_half_a_unit(
    script: Script, half_unit_flow: Flow, raw: object, expected: float
) -> None:
    value = take(script, "asymmetries.0.extra_units", raw, half_unit_flow)
    assert value == expected
    assert type(value) is float


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (0, "below the lowest allowed, 0.5 U"),
        (0.25, "below the lowest allowed"),
        (4.5, "above the highest allowed, 4 U"),
        (1.25, "not in steps of 0.5 U"),
        (0.7, "not in steps of 0.5 U"),
        ("two", "is not a number"),
        ("nan", "is not a number"),
        (float("nan"), "is not a number"),
        ("sNaN", "is not a number"),
        ("-inf", "is not a number"),
    ],
)
def test_extra_units_refused(script: Script, half_unit_flow: Flow, raw: object, words: str) -> None:
    assert words in refuse(script, "asymmetries.0.extra_units", raw, half_unit_flow)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (date(2026, 11, 5), date(2026, 11, 5)),
        (datetime(2026, 11, 5, 9, 30), date(2026, 11, 5)),
        ("2026-11-05", date(2026, 11, 5)),
        ("today", TODAY),
        (TODAY, TODAY),
        (TODAY - timedelta(days=7300), TODAY - timedelta(days=7300)),
    ],
)
def test_prior_treatment_date(script: Script, raw: object, expected: date) -> None:
    assert take(script, "prior_treatment_date", raw) == expected


@pytest.mark.parametrize("raw", ["never", "Never", "NEVER", "none", False, "no"])
def test_never_treated_before(script: Script, raw: object) -> None:
    assert take(script, "prior_treatment_date", raw) == NEVER


def test_a_future_date_is_refused(script: Script) -> None:
    tomorrow = TODAY + timedelta(days=1)
    message = refuse(script, "prior_treatment_date", tomorrow)
    assert "in the future" in message
    assert TODAY.isoformat() in message


def test_a_date_too_long_ago_is_refused(script: Script) -> None:
    assert "before the earliest allowed date" in refuse(script, "prior_treatment_date", TODAY - timedelta(days=7301))


@pytest.mark.parametrize("raw", ["05/11/2026", "2026-13-01", "last spring", 20])
def test_not_a_date(script: Script, raw: object) -> None:
    assert "YYYY-MM-DD" in refuse(script, "prior_treatment_date", raw)


# --- text ----------------------------------------------------------------------------------------


def test_text_is_stripped(script: Script) -> None:
    assert take(script, "patient_name", "  Mina Park ") == "Mina Park"
    assert take(script, "patient_id", 1042) == "1042", "a number in a text answer is kept as text"


def test_text_too_long(script: Script) -> None:
    assert take(script, "goals", "x" * 500) == "x" * 500
    assert "at most 500" in refuse(script, "goals", "x" * 501)


def test_empty_text_gets_the_required_message(script: Script) -> None:
    assert refuse(script, "patient_name", "   ") == script.question("patient_name").required_message


# --- display -------------------------------------------------------------------------------------


def test_display_reads_like_a_person_wrote_it(script: Script) -> None:
    assert display(script, script.question("toxin_allergy"), False) == "No"
    assert display(script, script.question("sex"), "female") == "Female"
    assert display(script, script.question("zones"), ("glabella", "masseter")) == (
        "Frown lines between the brows (glabella), Jaw slimming (masseter)"
    )
    assert display(script, Flow(script, TODAY).question("asymmetries.1.extra_units"), 2.5) == "2.5"
    entries = [{"zone": "forehead", "stronger_side": "right", "extra_units": 2.0}]
    assert (
        display(script, script.question("asymmetries"), entries) == "Asymmetry 1: Forehead (brows), Patient's right, 2"
    )
    assert display(script, script.question("asymmetries"), []) == "(none)"
    assert display(script, script.question("prior_treatment_date"), date(2026, 11, 5)) == "2026-11-05"
    assert display(script, script.question("patient_id"), None) == "(no answer)"
