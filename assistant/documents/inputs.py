"""The dose summary's "inputs": every answer the plan was made from, in words, by the script's sections.

Kept apart from ``summary`` (which gathers the whole summary's context) because putting an answer in
words is a job of its own: choice labels, yes and no, numbers with their units, repeat groups entry
by entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant.core.script import Script
from assistant.core.text import number

#: Answers the summary shows elsewhere (its header and the dose table), so not again under the inputs.
SHOWN_ELSEWHERE = frozenset(
    {"patient_name", "patient_id", "patient_language", "goals", "lot_number", "lot_expiry", "zones"}
)


def _humanise(question_id: str) -> str:
    return question_id.replace("_", " ").capitalize()


def _question(container: Any, question_id: str) -> Any:
    """The question ``question_id`` of a script or a repeat group, or None when it has none."""
    if container is None or not container.has_question(question_id):
        return None
    return container.question(question_id)


def _answer_words(script: Script | None, question: Any, value: object) -> str:
    """An answer as the practitioner reads it: choice labels, yes/no, a number with its unit, and a
    repeat group's entries one by one ("zone Masseter, stronger side Patient's left, extra units 3 U")."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(
            f"{_humanise(str(key)).lower()} {_answer_words(script, _question(question, str(key)), item)}"
            for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        joiner = "; " if all(isinstance(item, Mapping) for item in value) else ", "
        return joiner.join(_answer_words(script, question, item) for item in value) or "none"
    if script is not None and getattr(question, "choices", None) and isinstance(value, str):
        return script.label_for(question, value)
    if isinstance(value, int | float):
        unit = getattr(question, "unit", None)
        return number(value) + (f" {unit}" if unit else "")
    return str(value)


def consult_inputs(answers: Mapping[str, object], script: Script | None = None) -> list[dict[str, Any]]:
    """The answers the plan was made from, by section in the script's order: [{section, answers: [{label,
    answer}]}]. Answers the script does not know (an older or newer script) come last, under "Other"."""
    order = [q.id for q in script.questions] if script is not None else []
    known = [qid for qid in order if qid in answers] + [qid for qid in answers if qid not in order]
    sections: dict[str, list[dict[str, str]]] = {}
    for question_id in known:
        value = answers[question_id]
        if question_id in SHOWN_ELSEWHERE or value is None or value == "":
            continue
        section = "Other"
        if script is not None and script.has_question(question_id):
            section = script.question(question_id).section or "Other"
        sections.setdefault(section, []).append(
            {
                "id": question_id,
                "label": _humanise(question_id),
                "answer": _answer_words(script, _question(script, question_id), value),
            }
        )
    return [{"section": name, "answers": items} for name, items in sections.items()]
