"""The date of birth, asked in place of the age it gives: its hint offers only what can be taken, and
its refusals speak of the date typed, not of the age question, which is never on screen."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.flow import Flow
from assistant.core.hints import answer_hint
from assistant.core.script import Script
from tests.helpers import TODAY, base_answers


def with_age_limits(script: Script, low: int | None, high: int | None) -> Script:
    """The script with other limits on the age question (the hint reads them, not the question's id)."""
    data = script.model_dump(exclude_unset=True)
    for question in data["questions"]:
        if question["id"] == "age":
            question["min"], question["max"] = low, high
    return Script.model_validate(data)


def test_the_hint_of_a_date_of_birth_does_not_offer_today(script: Script, flow: Flow) -> None:
    """A date of birth of today makes the patient 0 years old, which the age's limits always refuse."""
    hint = answer_hint(flow.question("date_of_birth"), script)
    assert '"today"' not in hint and hint.startswith("YYYY-MM-DD")
    assert not flow.judge("date_of_birth", "today", {}).accepted, "the hint would offer a refused answer"
    assert '"today"' in answer_hint(flow.question("prior_treatment_date"), script), "a last treatment may be today"


def test_today_is_offered_when_the_age_limits_would_take_it(script: Script) -> None:
    """Decided from the bounds: with no lowest age, a date of birth of today is an answer."""
    lenient = with_age_limits(script, None, 100)
    assert '"today"' in answer_hint(lenient.question("date_of_birth"), lenient)
    assert Flow(lenient, TODAY).judge("date_of_birth", "today", {}).accepted


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2010-05-01", "2010-05-01 makes the patient 16 years old; the allowed ages are 18 to 100."),
        ("1920-01-01", "1920-01-01 makes the patient 106 years old; the allowed ages are 18 to 100."),
        ("today", f"{TODAY.isoformat()} makes the patient 0 years old; the allowed ages are 18 to 100."),
    ],
)
def test_a_refused_date_of_birth_says_the_age_it_gives_and_the_ages_allowed(flow: Flow, typed: str, words: str) -> None:
    verdict = flow.judge("date_of_birth", typed, {})
    assert verdict.errors == (words,)
    assert "How old" not in verdict.errors[0], "the age question is never asked on screen"


def test_one_age_limit_is_said_alone(script: Script) -> None:
    youngest = Flow(with_age_limits(script, 18, None), TODAY).judge("date_of_birth", date(2010, 5, 1), {})
    assert youngest.errors == ("2010-05-01 makes the patient 16 years old; the youngest allowed age is 18.",)
    oldest = Flow(with_age_limits(script, None, 100), TODAY).judge("date_of_birth", date(1920, 1, 1), {})
    assert oldest.errors == ("1920-01-01 makes the patient 106 years old; the oldest allowed age is 100.",)


def test_an_answer_file_names_the_date_of_birth_in_the_same_words(flow: Flow) -> None:
    result = flow.read_file(base_answers(date_of_birth="2010-05-01"))
    assert [(p.question_id, p.message) for p in result.problems] == [
        ("date_of_birth", "2010-05-01 makes the patient 16 years old; the allowed ages are 18 to 100.")
    ]
