"""Turning what a practitioner typed (or what a YAML file holds) into a typed answer.

Values arrive as text from the UI and as YAML scalars from answer files, where YAML 1.1 readers
turn ``yes``/``no`` into booleans and unquoted dates into dates. Both forms are accepted; codes are
always compared as text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from assistant.core.conditions import NEVER
from assistant.core.dates import date_problem
from assistant.core.script import (
    DateQuestion,
    DecimalQuestion,
    IntegerQuestion,
    MultipleQuestion,
    Question,
    RepeatGroup,
    Script,
    SingleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assistant.core.text_safety import printable, text_problem

AnswerValue = str | bool | int | float | date | tuple[str, ...]
"""A stored answer: a code, yes/no, a number, a date, ``never`` or a tuple of codes."""

Answers = dict[str, AnswerValue | None]
"""A consult's answers by question id; ``None`` records an optional question that was skipped."""

_YES = {"yes", "y", "true", "on", "1", "ja", "oui", "예", "네"}  # YAML 1.1 also reads on/off as booleans
_NO = {"no", "n", "false", "off", "0", "아니오", "아니요"}
_NEVER_WORDS = {NEVER, "none", "no", "n/a", "-"}


class AnswerError(ValueError):
    """An answer that cannot be taken; the message is shown to the practitioner as it is."""


LARGEST_NUMBER = Decimal(10) ** 12
"""No answer is a number this large; a larger one (``1e300``) is refused before any arithmetic."""


def _as_text(raw: object) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    return str(raw).strip()


def _quoted(raw: object) -> str:
    """What was typed, safe to put in a message: short, every control character escaped."""
    text = _as_text(raw)
    return printable(text if len(text) <= 60 else text[:57] + "...", multiline=False)


_TEXT_SCALARS = (str, int, float, date)


def _free_text(question: TextQuestion, raw: object) -> str:
    """A free-text answer: a string (a number or a date written without quotes is taken as written),
    never a list, a mapping or a set, and nothing that could drive a terminal or reorder text."""
    if not isinstance(raw, _TEXT_SCALARS) or isinstance(raw, bool):
        kind = "a list" if isinstance(raw, list | tuple | set | frozenset) else "a structure"
        raise AnswerError(f"a text is needed here, not {kind}; write the answer in quotes.")
    text = _as_text(raw)
    if not text:
        raise AnswerError(question.required_message)
    problem = text_problem(text, "This answer")
    if problem is not None:
        raise AnswerError(problem)
    if len(text) > question.max_length:
        raise AnswerError(f"this is {len(text)} characters long; at most {question.max_length} fit.")
    return text


def _match_code(script: Script, question: SingleQuestion | MultipleQuestion, raw: object) -> str:
    text = _as_text(raw)
    choices = script.choices_for(question)
    for choice in choices:
        if text == choice.code or text.lower() == choice.code.lower() or text.lower() == choice.label.lower():
            return choice.code
    codes = ", ".join(c.code for c in choices)
    raise AnswerError(f"'{_quoted(text)}' is not one of the choices ({codes}).")


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise AnswerError("a number is needed here.")
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise AnswerError(f"'{_quoted(raw)}' is not a number.") from None
    if not value.is_finite():
        # NaN would crash the bound checks (Decimal comparisons with NaN signal) and infinity is no dose.
        raise AnswerError(f"'{_quoted(raw)}' is not a number.")
    if abs(value) >= LARGEST_NUMBER:
        raise AnswerError(f"'{_quoted(raw)}' is far too large a number for this answer.")
    return value


def _check_bounds(value: Decimal, low: float | None, high: float | None, step: float | None, unit: str) -> None:
    suffix = f" {unit}" if unit else ""
    if low is not None and value < Decimal(str(low)):
        raise AnswerError(f"{value}{suffix} is below the lowest allowed, {low:g}{suffix}.")
    if high is not None and value > Decimal(str(high)):
        raise AnswerError(f"{value}{suffix} is above the highest allowed, {high:g}{suffix}.")
    if step is not None:
        base = Decimal(str(low)) if low is not None else Decimal(0)
        if (value - base) % Decimal(str(step)) != 0:
            raise AnswerError(f"{value}{suffix} is not in steps of {step:g}{suffix}.")


def as_date(raw: object) -> date:
    """A date from a YAML date, a datetime or ``YYYY-MM-DD`` text, within ``core.dates``' calendar;
    AnswerError otherwise."""
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        try:
            value = date.fromisoformat(_as_text(raw))
        except ValueError:
            raise AnswerError(f"'{_quoted(raw)}' is not a date; type it as YYYY-MM-DD, e.g. 2026-11-24.") from None
    problem = date_problem(value)
    if problem is not None:
        raise AnswerError(f"{problem}.")
    return value


def coerce(script: Script, question: Question, raw: object, today: date) -> AnswerValue:
    """The typed answer for ``raw``, or AnswerError saying in plain words what is wrong.

    Only the answer's own form and bounds are checked here; the script's checks and whether the
    question is shown at all are the flow engine's business.
    """
    if isinstance(question, TextQuestion):
        return _free_text(question, raw)
    if isinstance(question, YesNoQuestion):
        text = _as_text(raw).lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise AnswerError(f"answer yes or no (not '{_quoted(raw)}').")
    if isinstance(question, SingleQuestion):
        return _match_code(script, question, raw)
    if isinstance(question, MultipleQuestion):
        items = raw if isinstance(raw, list | tuple) else [p for p in _as_text(raw).replace(";", ",").split(",")]
        codes: list[str] = []
        for item in items:
            if _as_text(item):
                code = _match_code(script, question, item)
                if code not in codes:
                    codes.append(code)
        if len(codes) < max(question.min_selected, 1 if question.is_required else 0):
            raise AnswerError(question.required_message)
        return tuple(codes)
    if isinstance(question, IntegerQuestion):
        value = _decimal(raw)
        if value != value.to_integral_value():
            raise AnswerError(f"{value} is not a whole number.")
        _check_bounds(value, question.min, question.max, question.step, question.unit or "")
        return int(value)
    if isinstance(question, DecimalQuestion):
        value = _decimal(raw)
        _check_bounds(value, question.min, question.max, question.step, question.unit or "")
        return float(value)
    if isinstance(question, DateQuestion):
        text = _as_text(raw).lower()
        if question.allow_never and text in _NEVER_WORDS:
            return NEVER
        if text == "today":
            return today
        value = as_date(raw)
        if question.min_days_from_today is not None:
            earliest = today + timedelta(days=question.min_days_from_today)
            if value < earliest:
                raise AnswerError(f"{value.isoformat()} is before the earliest allowed date, {earliest.isoformat()}.")
        if question.max_days_from_today is not None:
            latest = today + timedelta(days=question.max_days_from_today)
            if value > latest:
                word = "in the future" if question.max_days_from_today == 0 else f"after {latest.isoformat()}"
                raise AnswerError(f"{value.isoformat()} is {word}; the latest allowed date is {latest.isoformat()}.")
        return value
    raise AnswerError(f"questions of type {question.type} cannot be answered here.")


def display(script: Script, question: Question | RepeatGroup, value: object) -> str:
    """An answer as a person reads it: labels rather than codes, yes/no rather than True/False.

    A repeat group's entries (a list of {question id: answer}) read as one line per entry.
    """
    if value is None:
        return "(no answer)"
    if isinstance(question, RepeatGroup):
        if not isinstance(value, list | tuple) or not value:
            return "(none)"
        return "\n".join(
            f"{question.entry_label} {number}: "
            + ", ".join(
                display(script, sub, entry.get(sub.id)) for sub in question.questions if isinstance(entry, dict)
            )
            for number, entry in enumerate(value, start=1)
        )
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(question, SingleQuestion) and isinstance(value, str):
        return script.label_for(question, value)
    if isinstance(question, MultipleQuestion) and isinstance(value, tuple):
        return ", ".join(script.label_for(question, code) for code in value) or "(none)"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
