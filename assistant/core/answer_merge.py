"""A consult's answers changed by a few: the answers that change, merged onto the current version
(issue 22.5), and the current answers as an answer file would give them.

``amend --answers FILE`` and the UI's amendment take only what changes; everything else stays as
the record holds it. The merged answers are then read as a whole (``Flow.read_file``), exactly as a
full answer file would be: a change that makes another answer wrong is said there, and an answer
that no longer applies is dropped with a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from assistant.core.derived import derived_from
from assistant.core.script import Script

RESERVED = ("today", "expect")
"""Keys of an answer file that are not answers."""


def merge_answers(script: Script, current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` with ``changes`` laid over it. An answer the script derives from a changed one
    (the age from a changed date of birth) is left to be derived again, unless ``changes`` gives it."""
    merged = {key: value for key, value in current.items() if key not in RESERVED}
    for source in changes:
        for question in derived_from(script, source):
            if question.id not in changes:
                merged.pop(question.id, None)
    merged.update({key: value for key, value in changes.items() if key not in RESERVED})
    return merged


def changed_keys(current: Mapping[str, Any], merged: Mapping[str, Any]) -> list[str]:
    """The answers that differ, in the merged order (for "nothing changed" and the audit's words)."""
    return [key for key in merged if current.get(key) != merged[key]]


def as_answer_file(answers: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """The answers as an answer file gives them: ``today`` first (the consult's date, so ``run``
    plans it on that day), then each answer as kept. Answers the script derives (the age) are kept:
    reading the file checks they agree."""
    return {"today": day, **{key: value for key, value in answers.items() if key not in RESERVED}}
