"""What changed between two versions, in words for the record's history ("what changed, when").

Answers are named by their question's prompt and shown as the review screen shows them; given
lines by zone and side. Pure: the script gives the words, nothing is read from disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant.core.answers import display
from assistant.core.lifecycle.given_lines import GivenLine
from assistant.core.script import Script


def _typed(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def answer_changes(script: Script, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """One phrase per answer that changed, appeared or went, in script order."""
    changes = []
    ids = [q.id for q in script.questions] + sorted((set(before) | set(after)) - {q.id for q in script.questions})
    for question_id in ids:
        old, new = before.get(question_id), after.get(question_id)
        if _typed(old) == _typed(new):
            continue
        if script.has_question(question_id):
            question = script.question(question_id)
            name = question.prompt.rstrip("?.: ")
            old_text = display(script, question, _typed(old)) if old is not None else "(not asked)"
            new_text = display(script, question, _typed(new)) if new is not None else "(no longer asked)"
        else:
            name, old_text, new_text = question_id, str(old), str(new)
        changes.append(f"{name}: {old_text} -> {new_text}")
    return changes


def describe_answer_changes(script: Script, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    changes = answer_changes(script, before, after)
    return "answers changed: " + "; ".join(changes) if changes else "planned again, no answer changed"


def _line(line: GivenLine) -> str:
    return f"{line.units:g} U in {line.points} points"


def describe_given_changes(before: tuple[GivenLine, ...], after: tuple[GivenLine, ...]) -> str:
    old = {(line.zone, line.side): line for line in before}
    new = {(line.zone, line.side): line for line in after}
    changes = []
    for key in dict.fromkeys([*old, *new]):
        zone, side = key
        if key not in new:
            changes.append(f"{zone} {side}: {_line(old[key])} -> removed")
        elif key not in old:
            changes.append(f"{zone} {side}: added {_line(new[key])}")
        elif (old[key].units, old[key].points, old[key].lot) != (new[key].units, new[key].points, new[key].lot):
            lot = f" (lot {new[key].lot})" if old[key].lot != new[key].lot else ""
            changes.append(f"{zone} {side}: {_line(old[key])} -> {_line(new[key])}{lot}")
    return "given changed: " + "; ".join(changes) if changes else "given lines recorded again, unchanged"
