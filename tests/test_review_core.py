"""The review's pure parts: the touch-up units a residual difference pre-fills (within the seed's
2-3 U), and the review screen's typed lines read into the review script's answers."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.residuals import touch_up_units
from assistant.core.lifecycle.review_typed import event_answers, residual_answers, typed_review
from assistant.core.plan import ResidualFound
from assistant.core.problems import InvalidAnswers

DAY = dt.date(2026, 11, 24)


def found(units: float | None, mm: float | None = None) -> ResidualFound:
    return ResidualFound(
        zone="forehead", stronger_side="right", difference_units=units, difference_mm=mm,
        treated_on=DAY, reviewed_on=DAY + dt.timedelta(days=14),
    )  # fmt: skip


@pytest.mark.parametrize(("units", "mm", "expected"), [(2, None, 2), (2.5, None, 2.5), (5, None, 3), (1, None, 2),
                                                       (None, 1.5, 2), (0, 1.5, 2)])  # fmt: skip
def test_the_pre_filled_units_stay_within_the_touch_ups_two_to_three(
    kb: KnowledgeBase, units: float | None, mm: float | None, expected: float
) -> None:
    assert touch_up_units(found(units, mm), kb.timing.touch_up) == expected


def test_typed_lines_read_as_the_answers_a_file_holds() -> None:
    assert residual_answers("Right 1.5 mm 2 U", "x") == {
        "stronger_side": "right", "difference_mm": 1.5, "difference_units": 2.0,
    }  # fmt: skip
    assert residual_answers("  ", "x") == {}
    assert event_answers("headache mild, ptosis serious") == [
        {"event": "headache", "severity": "mild"},
        {"event": "ptosis", "severity": "serious"},
    ]
    answers = typed_review(["glabella"], {"glabella": "full"}, {}, "", " 4 ")
    assert answers == {"findings": [{"zone": "glabella", "effect": "full"}], "adverse_events": [], "satisfaction": "4"}


@pytest.mark.parametrize("text", ["up 2 mm", "right two", "right 2 cm"])
def test_a_residual_that_is_not_one_is_said_in_a_sentence(text: str) -> None:
    with pytest.raises(InvalidAnswers) as refused:
        residual_answers(text, "findings.0.stronger_side")
    (problem,) = refused.value.problems
    assert problem.question_id == "findings.0.stronger_side" and "e.g. 'right 1.5 mm'" in problem.message


def test_an_event_without_its_severity_is_said() -> None:
    with pytest.raises(InvalidAnswers) as refused:
        event_answers("headache")
    assert "write its code and severity" in refused.value.problems[0].message
