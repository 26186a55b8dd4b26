"""Answers the script derives instead of asking: the patient's age from the date of birth.

A question with ``years_since: date_of_birth`` is not asked once the date of birth is answered: its
answer is the whole years from that date to the consult's date, checked against the question's own
limits and checks. A refusal speaks of the date of birth, the question on screen, and says the age it
gives and the ages allowed: the age question itself is never seen, so its prompt would mean nothing
there. A consult kept before the date of birth was asked (an answer file with ``age`` alone) still
reads: the age is asked, and the consult has no confirmed identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from assistant.core.conditions import NEVER
from assistant.core.script import IntegerQuestion, Question, Script


def whole_years(born: date, on: date) -> int:
    """Age in whole years on ``on`` (a birthday counts from its day)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def source_of(question: Question) -> str | None:
    return question.years_since if isinstance(question, IntegerQuestion) else None


def derived_value(question: Question, names: Mapping[str, object], today: date) -> int | None:
    """The derived answer of ``question`` from what is answered (None: it is asked as usual)."""
    source = source_of(question)
    if source is None:
        return None
    born = names.get(source)
    if not isinstance(born, date) or born == NEVER:
        return None
    return whole_years(born, today)


def derived_from(script: Script, source: str) -> list[IntegerQuestion]:
    """The questions whose answers ``source`` gives."""
    return [q for q in script.questions if isinstance(q, IntegerQuestion) and q.years_since == source]


def age_words(born: date, years: int) -> str:
    """How a date of birth's refusal opens: the date typed and the age it gives."""
    return f"{born.isoformat()} makes the patient {years} years old"


def outside_limits(question: IntegerQuestion, years: int) -> str | None:
    """Which ages ``question`` allows, when ``years`` is not one of them (None: it is).

    Shared by the refusal and the hint, so the hint never offers a date ("today") that is refused.
    """
    low, high = question.min, question.max
    if (low is None or years >= low) and (high is None or years <= high):
        return None
    if low is not None and high is not None:
        return f"the allowed ages are {low} to {high}"
    return f"the youngest allowed age is {low}" if low is not None else f"the oldest allowed age is {high}"
