"""Which later answers read an earlier one: what a changed answer drops, so it is asked again.

Kept apart from the flow engine because it reads the script alone (conditions and repeat groups),
never the flow's state: ``Flow.answer`` and ``Flow.dependents`` use it.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.core.conditions import referenced_names
from assistant.core.repeat import belongs_to, field_id, parse_id
from assistant.core.script import Question, RepeatGroup, Script


def dependents(script: Script, question_id: str, answers: Mapping[str, object] = {}) -> set[str]:
    """Later questions whose ``show_if`` or ``choices_filter`` reads ``question_id``.

    For a repeat group, that is each answered entry question reading it (``answers`` says which
    there are); a change inside an entry reaches what reads the group, and the same entry's later
    questions that read the changed one by its bare id.
    """
    ref = parse_id(script, question_id)
    name = ref.group.id if ref is not None else question_id
    found: set[str] = set()
    for item in script.questions[script.index_of(name) + 1 :]:
        if isinstance(item, RepeatGroup):
            if _reads(item.show_if, name):
                found |= {key for key in answers if belongs_to(key, item)}
            for sub in item.questions:
                if _reads_any(sub, name):
                    found |= {key for key in answers if belongs_to(key, item) and key.endswith("." + sub.id)}
        elif _reads_any(item, name):
            found.add(item.id)
    if ref is not None and ref.field is not None:
        later = [q for q in ref.group.questions][[q.id for q in ref.group.questions].index(ref.field) + 1 :]
        found |= {field_id(ref.group.id, ref.index, q.id) for q in later if _reads_any(q, ref.field)}
    return found


def _reads(condition: str | None, name: str) -> bool:
    return bool(condition) and name in referenced_names(condition)  # type: ignore[arg-type]


def _reads_any(question: Question, name: str) -> bool:
    return _reads(question.show_if, name) or _reads(getattr(question, "choices_filter", None), name)
