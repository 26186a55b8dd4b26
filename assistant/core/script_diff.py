"""What changed between two question scripts, in words a medical director reads (``script diff``).

Questions are matched by id (the id is what records and the planner use), so a reworded prompt is a
rewording, and a renamed id is one question removed and one added. Each change is one sentence:
questions added and removed, prompts and help reworded, limits, show-if conditions, defaults,
required, answer checks, and the choice lists' codes and labels.
"""

from __future__ import annotations

from typing import Any

from assistant.core.script import RepeatGroup, Script

_WORDS = {
    "prompt": "prompt",
    "help": "help",
    "section": "section",
    "label": "label",
    "entry_label": "entry label",
    "another": "'another one?' prompt",
    "unit": "unit",
}
"""Texts: a change is a rewording."""

_LIMITS = {
    "min": "min",
    "max": "max",
    "step": "step",
    "min_days_from_today": "min days from today",
    "max_days_from_today": "max days from today",
    "max_length": "max length",
    "min_selected": "min selected",
    "max_entries": "max entries",
}
"""Numbers that bound an answer: a change is a changed limit."""

_CONDITIONS = {"show_if": "show-if", "choices_filter": "choices filter"}

_OTHER = {
    "type": "type",
    "choices": "choice list",
    "default": "default",
    "years_since": "years since",
    "allow_never": "allow never",
    "unique": "unique",
    "replaces": "replaces",
}


def script_changes(old: Script, new: Script) -> list[str]:
    """Every difference, one sentence each, in the order of the new script (removals after)."""
    changes: list[str] = []
    for key in ("id", "version", "title", "intro"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            changes.append(f"The script's {key} changed: {_shown(before)} -> {_shown(after)}.")
    changes += _question_changes(list(old.questions), list(new.questions), "")
    changes += _list_changes(old, new)
    return changes


def _question_changes(old: list[Any], new: list[Any], prefix: str) -> list[str]:
    changes: list[str] = []
    before = {q.id: q for q in old}
    after_ids = {q.id for q in new}
    for position, question in enumerate(new):
        name = f"{prefix}{question.id}"
        if question.id not in before:
            where = f"after {prefix}{new[position - 1].id}" if position else "first"
            changes.append(f"Added question {name} ({where}): {_summary(question)}.")
            continue
        changes += _field_changes(before[question.id], question, name)
        if isinstance(question, RepeatGroup) and isinstance(before[question.id], RepeatGroup):
            changes += _question_changes(list(before[question.id].questions), list(question.questions), f"{name}.")
    for question in old:
        if question.id not in after_ids:
            changes.append(f"Removed question {prefix}{question.id}: {_shown(question.prompt)}.")
    old_order = [q.id for q in old if q.id in after_ids]
    new_order = [q.id for q in new if q.id in before]
    if old_order != new_order:
        changes.append(f"The order of the questions{' in ' + prefix.rstrip('.') if prefix else ''} changed.")
    return changes


def _field_changes(old: Any, new: Any, name: str) -> list[str]:
    changes: list[str] = []
    was, now = old.model_dump(mode="json"), new.model_dump(mode="json")
    for key, words in _WORDS.items():
        if was.get(key) != now.get(key) and (key in was or key in now):
            changes.append(f"Reworded the {words} of {name}: {_shown(was.get(key))} -> {_shown(now.get(key))}.")
    for key, words in _LIMITS.items():
        if was.get(key) != now.get(key) and (key in was or key in now):
            changes.append(f"Changed the limit {words} of {name}: {_shown(was.get(key))} -> {_shown(now.get(key))}.")
    for key, words in _CONDITIONS.items():
        if was.get(key) != now.get(key) and (key in was or key in now):
            changes.append(f"Changed the {words} of {name}: {_shown(was.get(key))} -> {_shown(now.get(key))}.")
    for key, words in _OTHER.items():
        if was.get(key) != now.get(key) and (key in was or key in now):
            changes.append(f"Changed the {words} of {name}: {_shown(was.get(key))} -> {_shown(now.get(key))}.")
    if old.is_required != new.is_required:
        changes.append(f"{name} is now {'required' if new.is_required else 'optional'}.")
    elif was.get("required") != now.get("required"):
        changes.append(f"Reworded the required message of {name}: {_shown(now.get('required'))}.")
    if was.get("checks") != now.get("checks"):
        changes.append(
            f"Changed the answer checks of {name}: {_checks(was.get('checks'))} -> {_checks(now.get('checks'))}."
        )
    return changes


def _list_changes(old: Script, new: Script) -> list[str]:
    changes: list[str] = []
    for name, choices in new.lists.items():
        if name not in old.lists:
            codes = ", ".join(c.code for c in choices)
            changes.append(f"Added the choice list {name}: {codes or 'empty'}.")
            continue
        before = {c.code: c.label for c in old.lists[name]}
        after = {c.code: c.label for c in choices}
        for code, label in after.items():
            if code not in before:
                changes.append(f"Added the choice {code} to list {name}: {_shown(label)}.")
            elif before[code] != label:
                changes.append(
                    f"Relabelled the choice {code} of list {name}: {_shown(before[code])} -> {_shown(label)}."
                )
        for code in before:
            if code not in after:
                changes.append(f"Removed the choice {code} from list {name}.")
        if [c for c in before if c in after] != [c for c in after if c in before]:
            changes.append(f"The order of the choices in list {name} changed.")
    for name in old.lists:
        if name not in new.lists:
            changes.append(f"Removed the choice list {name}.")
    return changes


def _summary(question: Any) -> str:
    kind = question.type
    required = "required" if question.is_required else "optional"
    default = getattr(question, "default", None)
    extra = f", default {_shown(default)}" if default is not None else (", no default" if question.is_required else "")
    shown_if = f", shown if {question.show_if}" if question.show_if else ""
    return f"{kind}, {required}{extra}{shown_if}, {_shown(question.prompt)}"


def _checks(checks: Any) -> str:
    if not checks:
        return "none"
    return "; ".join(f"{c.get('severity', 'error')} when {c.get('when')}" for c in checks)


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return f"{value:g}" if isinstance(value, float) else str(value)
