"""Repeat groups in answers: the ids their questions are asked under, and the two shapes answers take.

The flow asks a group as ordinary questions whose ids carry the entry index (from 0):
``asymmetries.0`` (is there a first entry? yes/no), ``asymmetries.0.zone``, ...,
``asymmetries.1`` (another one?), and so on. A consult in progress and its draft hold this flat shape.
Answer files and consult records hold the nested shape, one mapping per entry::

    asymmetries: [{zone: crows_feet, stronger_side: right, extra_units: 2}, ...]

``expand`` turns a file's nested answers (or an older script's single-entry questions, see
``Replaces``) into the flat shape, remembering where in the file each came from; ``nest`` turns flat
answers back into the nested shape.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.core.problems import AnswerProblem
from assistant.core.script import Question, RepeatGroup, Script, YesNoQuestion

Loc = tuple[str | int, ...]


def gate_id(group_id: str, index: int) -> str:
    """The yes/no question "is there an entry ``index``?" (the first one, or another one)."""
    return f"{group_id}.{index}"


def field_id(group_id: str, index: int, question_id: str) -> str:
    """One question of one entry."""
    return f"{group_id}.{index}.{question_id}"


@dataclass(frozen=True)
class EntryRef:
    """Where an id points inside a repeat group: an entry and one of its questions (None: its gate)."""

    group: RepeatGroup
    index: int
    field: str | None = None

    @property
    def id(self) -> str:
        if self.field is None:
            return gate_id(self.group.id, self.index)
        return field_id(self.group.id, self.index, self.field)


def parse_id(script: Script, question_id: str) -> EntryRef | None:
    """The entry an id names (``asymmetries.1.zone``), or None when it is not one of a group's."""
    if not isinstance(question_id, str):
        return None
    parts = question_id.split(".")
    if len(parts) not in (2, 3) or not parts[1].isdigit() or not script.has_question(parts[0]):
        return None
    group = script.question(parts[0])
    if not isinstance(group, RepeatGroup) or int(parts[1]) >= group.max_entries:
        return None
    if len(parts) == 3 and not group.has_question(parts[2]):
        return None
    return EntryRef(group, int(parts[1]), parts[2] if len(parts) == 3 else None)


def entry_question(ref: EntryRef) -> Question:
    """An entry's question as an ordinary one: its id and prompt carry the entry's number.

    The gate of the first entry asks the group's ``prompt``, the next ones its ``another``; both are
    yes/no with no as the default, so a file without the group means "none".
    """
    group, number = ref.group, ref.index + 1
    if ref.field is None:
        prompt = group.prompt if ref.index == 0 else f"{group.another} ({group.entry_label} {number})"
        gate = YesNoQuestion(
            type="yes_no", id=group.id, prompt=prompt, help=group.help, section=group.section, default=False
        )
        return gate.model_copy(update={"id": ref.id})
    question = group.question(ref.field)
    return question.model_copy(
        update={
            "id": ref.id,
            "prompt": f"{group.entry_label} {number}: {question.prompt}",
            "section": question.section or group.section,
        }
    )


def used_answers(ref: EntryRef, answers: Mapping[str, Any]) -> dict[object, int]:
    """The answers other entries gave to ``ref``'s (unique) question, with the entry that gave each."""
    assert ref.field is not None
    used: dict[object, int] = {}
    for index in range(ref.group.max_entries):
        key = field_id(ref.group.id, index, ref.field)
        if index != ref.index and answers.get(gate_id(ref.group.id, index)) is True and key in answers:
            value = answers[key]
            for code in value if isinstance(value, tuple | list) else (value,):
                used.setdefault(code, index)
    return used


def belongs_to(question_id: str, group: RepeatGroup) -> bool:
    return question_id.startswith(group.id + ".")


def entry_answers(group: RepeatGroup, index: int, answers: Mapping[str, Any]) -> dict[str, Any]:
    """One entry's answers by their bare question ids."""
    found = {}
    for question in group.questions:
        key = field_id(group.id, index, question.id)
        if key in answers:
            found[question.id] = answers[key]
    return found


def entries(group: RepeatGroup, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The entries the flat answers hold, in order: each one whose gate was answered yes."""
    found = []
    for index in range(group.max_entries):
        if answers.get(gate_id(group.id, index)) is not True:
            break
        found.append(entry_answers(group, index, answers))
    return found


def nest(script: Script, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Flat answers in the nested shape: each group's keys give way to the group id and its entries.

    A group that was asked holds a list (empty when the first gate was answered no); a group never
    reached is left out, as an unanswered question is.
    """
    groups = {group.id: group for group in script.groups()}
    nested: dict[str, Any] = {}
    for key, value in answers.items():
        owner = groups.get(key.split(".", 1)[0]) if isinstance(key, str) and "." in key else None
        if owner is None:
            nested[key] = value
        elif owner.id not in nested:
            nested[owner.id] = entries(owner, answers)
    return nested


@dataclass
class Expanded:
    """A file's answers in the flat shape, where each came from in the file, and what was wrong."""

    answers: dict[str, object] = field(default_factory=dict)
    locations: dict[str, Loc] = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)


_NONE = (None, False, "no", "none", "No", "None")


def expand(script: Script, raw: Mapping[str, object]) -> Expanded:
    """Nested group answers (and an older script's single-entry keys) as flat answers.

    Anything that is not a group's is passed on as it is, including flat ids (a draft's); the flow
    judges every answer afterwards, so this only reshapes and reports what cannot be reshaped.
    """
    out = Expanded()
    groups = {group.id: group for group in script.groups()}
    legacy = {key: group for group in groups.values() if group.replaces for key in _legacy_keys(group)}
    for key, value in raw.items():
        if key in groups:
            _expand_group(groups[key], value, out)
        elif key not in legacy:
            out.answers[key] = value
    for group in groups.values():
        if group.replaces is not None:
            _expand_legacy(group, raw, out)
    return out


def _legacy_keys(group: RepeatGroup) -> list[str]:
    assert group.replaces is not None
    return [group.replaces.gate, *group.replaces.fields.values()]


def _expand_group(group: RepeatGroup, value: object, out: Expanded) -> None:
    gid = group.id
    if isinstance(value, Mapping):
        value = [value]  # a single entry written without the list around it
    if value in _NONE or value == []:
        out.answers[gate_id(gid, 0)] = False
        out.locations[gate_id(gid, 0)] = (gid,)
        return
    if not isinstance(value, list):
        out.problems.append(
            AnswerProblem(
                gid,
                f"'{gid}' is a list of entries, one mapping each, e.g. "
                f"[{{{', '.join(f'{q.id}: ...' for q in group.questions)}}}]; or [] for none.",
            )
        )
        out.locations[gid] = (gid,)
        return
    for index, entry in enumerate(value):
        where = gate_id(gid, index)
        out.locations[where] = (gid, index)
        if index >= group.max_entries:
            out.problems.append(AnswerProblem(where, f"'{gid}' holds at most {group.max_entries} entries."))
            return
        if not isinstance(entry, Mapping):
            out.problems.append(
                AnswerProblem(where, f"each entry of '{gid}' is a mapping of question id: answer, not '{entry}'.")
            )
            continue
        out.answers[where] = True
        for key, answer in entry.items():
            key = str(key)
            qid = field_id(gid, index, key)
            out.locations[qid] = (gid, index, key)
            if group.has_question(key):
                out.answers[qid] = answer
            else:
                close = difflib.get_close_matches(key, [q.id for q in group.questions], n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                out.problems.append(AnswerProblem(qid, f"'{key}' is not a question of '{gid}'.{hint}"))


def _expand_legacy(group: RepeatGroup, raw: Mapping[str, object], out: Expanded) -> None:
    replaces = group.replaces
    assert replaces is not None
    present = [key for key in _legacy_keys(group) if key in raw]
    if not present:
        return
    if group.id in raw:
        out.problems.append(
            AnswerProblem(
                present[0], f"'{present[0]}' is the older form of '{group.id}'; give one or the other, not both."
            )
        )
        out.locations[present[0]] = (present[0],)
        return
    if replaces.gate in raw:
        out.answers[gate_id(group.id, 0)] = raw[replaces.gate]
        out.locations[gate_id(group.id, 0)] = (replaces.gate,)
    for question_id, key in replaces.fields.items():
        if key in raw:
            out.answers[field_id(group.id, 0, question_id)] = raw[key]
            out.locations[field_id(group.id, 0, question_id)] = (key,)
