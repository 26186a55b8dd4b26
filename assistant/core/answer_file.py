"""A whole answer file read against the script: every answer judged as the consult would have asked it.

The flow engine offers this as ``Flow.read_file``; this module asks of the flow only what
``AskingFlow`` names, so it never imports the engine back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from typing import Protocol

from assistant.core.answers import Answers, AnswerValue
from assistant.core.derived import derived_from, source_of
from assistant.core.problems import AnswerProblem
from assistant.core.repeat import EntryRef, Loc, expand, field_id, gate_id, parse_id, used_answers
from assistant.core.script import Question, Script
from assistant.core.verdict import Verdict


class AskingFlow(Protocol):
    """What reading a file needs of the flow engine (``assistant.core.flow.Flow`` is one)."""

    script: Script
    today: date

    def knows(self, question_id: str) -> bool: ...

    def next_question(self, answers: Mapping[str, AnswerValue | None]) -> Question | None: ...

    def judge(self, question_id: str, raw: object, answers: Mapping[str, AnswerValue | None]) -> Verdict: ...

    def visible(self, answers: Mapping[str, object]) -> list[Question]: ...

    def derived(self, answers: Mapping[str, object]) -> Answers: ...


@dataclass
class FileResult:
    """The outcome of reading a whole answer file against the script."""

    answers: Answers = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)
    notes: list[AnswerProblem] = field(default_factory=list)
    locations: dict[str, Loc] = field(default_factory=dict)
    """Where in the file an answer of a repeat group came from (its own key otherwise)."""

    def location(self, question_id: object) -> Loc:
        return self.locations.get(question_id, (question_id,))  # type: ignore[call-overload, arg-type]

    @property
    def ok(self) -> bool:
        return not self.problems


def read_file(flow: AskingFlow, raw_answers: Mapping[str, object]) -> FileResult:
    """Validate a whole answer file the way a consult would have asked it.

    Questions are taken in order with show-if applied; a question missing from the file takes
    its default (so files written for an older script keep working), and answers to questions
    that do not apply are dropped with a note. A repeat group is given as a list of entries (or,
    for a group that ``replaces`` an older script's questions, as those questions).
    """
    expanded = expand(flow.script, raw_answers)
    result = FileResult(problems=list(expanded.problems), locations=expanded.locations)
    raw = expanded.answers
    candidates = [q.id for q in flow.script.questions]
    for key in (key for key in raw if not flow.knows(key)):
        close = get_close_matches(str(key), candidates, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        result.problems.append(AnswerProblem(key, f"'{key}' is not a question of script {flow.script.id}.{hint}"))
    answers: Answers = {}
    while (question := flow.next_question(answers)) is not None:
        if question.id in raw:
            verdict = flow.judge(question.id, raw[question.id], answers)
        elif question.default is not None:
            verdict = flow.judge(question.id, question.default, answers)
        elif [d for d in derived_from(flow.script, question.id) if d.id in raw]:
            verdict = Verdict(question.id, value=None)  # a file written before it was asked gives the age
            result.notes.append(
                AnswerProblem(
                    question.id,
                    "not in the file (it gives the age instead): the patient has no confirmed identity, so "
                    "their earlier doses cannot be counted.",
                )
            )
        elif question.is_required and source_of(question) in {p.question_id for p in result.problems}:
            verdict = Verdict(question.id, value=None)  # its date of birth was refused: said once, there
        elif question.is_required:
            verdict = Verdict(question.id, errors=(f"missing: {question.required_message}",))
        else:
            verdict = Verdict(question.id, value=None)
        for error in verdict.errors:
            result.problems.append(AnswerProblem(question.id, error))
        for warning in verdict.warnings:
            result.notes.append(AnswerProblem(question.id, f"warning, confirmed by the file: {warning}"))
        answers = {**answers, question.id: verdict.value if verdict.accepted else None}
    shown = {q.id for q in flow.visible(answers)}
    derived = flow.derived(answers)
    for key in raw:
        if key in derived:
            if flow.judge(key, raw[key], answers).value != derived[key]:
                result.problems.append(
                    AnswerProblem(
                        key, f"{raw[key]} does not agree with the date of birth ({derived[key]} on {flow.today})."
                    )
                )
        elif flow.knows(key) and key not in shown:
            if (refused := _entry_refused(flow.script, str(key), raw, answers)) is not None:
                if refused:  # said once, at the entry's gate; its answers go with it
                    result.problems.append(AnswerProblem(key, refused))
                continue
            result.notes.append(AnswerProblem(key, "does not apply to this consult; the answer was dropped."))
    result.answers = answers
    return result


def _entry_refused(script: Script, key: str, raw: Mapping[str, object], answers: Answers) -> str | None:
    """Why a further entry of a repeat group the consult took (its first entry answered) cannot be
    taken ("" for the entry's own answers, said with its gate), or None for any other answer. A
    tryout's file gave two asymmetries of the crow's feet, the one sided zone treated: the second
    was dropped with a note and the consult was planned as if it had not been measured (exit 0)."""
    ref = parse_id(script, key)
    if ref is None or ref.index == 0 or answers.get(gate_id(ref.group.id, 0)) is not True:
        return None
    if ref.field is not None:
        return ""
    group = ref.group
    for name in group.unique:
        given = raw.get(field_id(group.id, ref.index, name))
        used = used_answers(EntryRef(group, ref.index, name), answers)
        if given in used:
            return (
                f"'{given}' is already the {name} of {group.entry_label} {used[given] + 1}; each {name} can have "
                f"one entry only, so {group.entry_label} {ref.index + 1} cannot be taken."
            )
    return f"{group.entry_label} {ref.index + 1} cannot be taken: the consult asks for no further entry here."
