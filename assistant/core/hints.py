"""How to answer a question, in one line under it (the same words in every view of the consult)."""

from __future__ import annotations

from assistant.core.derived import derived_from, outside_limits
from assistant.core.script import (
    DateQuestion,
    DecimalQuestion,
    IntegerQuestion,
    MultipleQuestion,
    Question,
    Script,
    SingleQuestion,
    YesNoQuestion,
)


def answer_hint(question: Question, script: Script) -> str:
    """The hint for ``question`` of ``script`` (the script says which answers a date gives)."""
    if isinstance(question, MultipleQuestion):
        return "Space to tick or untick, Enter when done."
    if isinstance(question, SingleQuestion):
        return "Up/Down to choose, Enter to answer."
    if isinstance(question, YesNoQuestion):
        return "Y or N, or Up/Down and Enter."
    if isinstance(question, IntegerQuestion | DecimalQuestion):
        parts = []
        if question.min is not None and question.max is not None:
            parts.append(f"{question.min:g} to {question.max:g}")
        if question.step and (question.step != 1 or isinstance(question, DecimalQuestion)):  # 1.5 is a decimal too
            parts.append(f"in steps of {question.step:g}")
        unit = f" ({question.unit})" if question.unit else ""
        return f"A number{unit}" + (f", {', '.join(parts)}" if parts else "") + "; Enter to answer."
    if isinstance(question, DateQuestion):
        extra = (', "today"' if offers_today(question, script) else "") + (
            ', or "never"' if question.allow_never else ""
        )
        return f"YYYY-MM-DD{extra}; Enter to answer."
    optional = "" if question.is_required else " (Enter on an empty line skips it)"
    return f"Type the answer, Enter to answer{optional}."


def offers_today(question: DateQuestion, script: Script) -> bool:
    """Whether the hint offers "today": for a date that looks back to today at the latest (a last
    treatment), never for a date ahead such as a vial's expiry, where "today" is no answer anyone
    should give; and never where "today" is always refused, by the date's own bounds or by those of
    an answer it gives (a date of birth of today makes the patient 0 years old, an age seldom allowed).
    """
    if question.max_days_from_today != 0 or (question.min_days_from_today or 0) > 0:
        return False
    return all(outside_limits(derived, 0) is None for derived in derived_from(script, question.id))
