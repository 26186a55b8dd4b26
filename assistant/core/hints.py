"""How to answer a question, in one line under it (the same words in every view of the consult)."""

from __future__ import annotations

from assistant.core.script import (
    DateQuestion,
    DecimalQuestion,
    IntegerQuestion,
    MultipleQuestion,
    Question,
    SingleQuestion,
    YesNoQuestion,
)


def answer_hint(question: Question) -> str:
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
        # "today" is offered for dates that look back (a last treatment), never for a date ahead
        # such as a vial's expiry, where "today" is no answer anyone should give.
        looks_back = question.max_days_from_today is not None and question.max_days_from_today <= 0
        extra = (', "today"' if looks_back else "") + (', or "never"' if question.allow_never else "")
        return f"YYYY-MM-DD{extra}; Enter to answer."
    optional = "" if question.is_required else " (Enter on an empty line skips it)"
    return f"Type the answer, Enter to answer{optional}."
