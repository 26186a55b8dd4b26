"""The flow engine: which question comes next, whether an answer is taken, and what an edit drops.

Answers are a plain ``dict`` from question id to value, and every operation returns a new dict, so
the UI can keep history for "back" without copying rules. ``None`` records an optional question
that was skipped. The engine never reads a clock: ``today`` is given when it is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches

from assistant.core.answers import AnswerError, AnswerValue, coerce
from assistant.core.conditions import evaluate, referenced_names
from assistant.core.problems import AnswerProblem
from assistant.core.script import Choice, ChoiceQuestion, Question, Script

Answers = dict[str, AnswerValue | None]


@dataclass(frozen=True)
class Verdict:
    """What became of one answer: the typed value, or why it was refused, plus warnings that the
    practitioner must confirm."""

    question_id: str
    value: AnswerValue | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return not self.errors


@dataclass
class FileResult:
    """The outcome of reading a whole answer file against the script."""

    answers: Answers = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)
    notes: list[AnswerProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Flow:
    """Runs one script for one consult date."""

    def __init__(self, script: Script, today: date) -> None:
        self.script = script
        self.today = today

    def _shown(self, question: Question, answers: Mapping[str, object]) -> bool:
        return question.show_if is None or evaluate(question.show_if, answers, self.today)

    def visible(self, answers: Mapping[str, object]) -> list[Question]:
        """The questions that apply, in order. A question's ``show_if`` sees only the answers to
        questions that are themselves shown, so hiding one hides what depends on it."""
        shown: list[Question] = []
        seen: dict[str, object] = {}
        for question in self.script.questions:
            if self._shown(question, seen):
                shown.append(question)
                if question.id in answers:
                    seen[question.id] = answers[question.id]
        return shown

    def prune(self, answers: Mapping[str, AnswerValue | None]) -> Answers:
        """Only the answers to questions that still apply (in script order)."""
        return {q.id: answers[q.id] for q in self.visible(answers) if q.id in answers}

    def next_question(self, answers: Mapping[str, AnswerValue | None]) -> Question | None:
        return next((q for q in self.visible(answers) if q.id not in answers), None)

    def is_complete(self, answers: Mapping[str, AnswerValue | None]) -> bool:
        return self.next_question(answers) is None

    def previous(self, answers: Mapping[str, AnswerValue | None], question_id: str | None) -> Question | None:
        """The question shown before ``question_id`` (or the last one when the consult is complete)."""
        shown = self.visible(answers)
        ids = [q.id for q in shown]
        position = ids.index(question_id) if question_id in ids else len(ids)
        return shown[position - 1] if position > 0 else None

    def progress(self, answers: Mapping[str, AnswerValue | None]) -> tuple[int, int]:
        """(number of the current question, questions that apply now), both counting from 1."""
        shown = self.visible(answers)
        current = self.next_question(answers)
        position = shown.index(current) + 1 if current is not None else len(shown)
        return position, len(shown)

    def choices(self, question: ChoiceQuestion, answers: Mapping[str, object]) -> tuple[Choice, ...]:
        """The choices offered now: the list, narrowed by ``choices_filter`` over earlier answers."""
        options = self.script.choices_for(question)
        if question.choices_filter is None:
            return options
        return tuple(c for c in options if evaluate(question.choices_filter, answers, self.today, choice=c.code))

    def judge(self, question_id: str, raw: object, answers: Mapping[str, AnswerValue | None]) -> Verdict:
        """Take or refuse an answer to one question, with the script's own messages."""
        question = self.script.question(question_id)
        if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == [] or raw == ():
            if question.is_required:
                return Verdict(question_id, errors=(question.required_message,))
            return Verdict(question_id, value=None)
        try:
            value = coerce(self.script, question, raw, self.today)
        except AnswerError as error:
            return Verdict(question_id, errors=(str(error),))
        if isinstance(question, ChoiceQuestion) and question.choices_filter is not None:
            offered = {c.code for c in self.choices(question, answers)}
            picked = value if isinstance(value, tuple) else (value,)
            outside = [code for code in picked if code not in offered]
            if outside:
                allowed = ", ".join(sorted(offered)) or "none"
                return Verdict(question_id, errors=(f"'{outside[0]}' cannot be chosen here (choose from: {allowed}).",))
        with_answer = {**answers, question_id: value}
        errors: list[str] = []
        warnings: list[str] = []
        for check in question.checks:
            if evaluate(check.when, with_answer, self.today):
                (errors if check.severity == "error" else warnings).append(check.message)
        return Verdict(question_id, value=value, errors=tuple(errors), warnings=tuple(warnings))

    def answer(self, answers: Mapping[str, AnswerValue | None], question_id: str, value: AnswerValue | None) -> Answers:
        """Record an accepted answer (new or changed); answers that no longer apply are dropped.

        When an earlier answer *changes*, the answers to later questions whose conditions read it are
        dropped too, so they are asked again: a left/right difference measured for one zone must not
        silently carry over to another.
        """
        updated = {**answers, question_id: value}
        if question_id in answers and answers[question_id] != value:
            stale = self.dependents(question_id)
            updated = {k: v for k, v in updated.items() if k not in stale}
        return self.prune(updated)

    def dependents(self, question_id: str) -> set[str]:
        """Later questions whose ``show_if`` or ``choices_filter`` reads ``question_id``."""
        found = set()
        for question in self.script.questions[self.script.index_of(question_id) + 1 :]:
            conditions = [question.show_if, getattr(question, "choices_filter", None)]
            if any(c and question_id in referenced_names(c) for c in conditions):
                found.add(question.id)
        return found

    def read_file(self, raw_answers: Mapping[str, object]) -> FileResult:
        """Validate a whole answer file the way a consult would have asked it.

        Questions are taken in order with show-if applied; a question missing from the file takes
        its default (so files written for an older script keep working), and answers to questions
        that do not apply are dropped with a note.
        """
        result = FileResult()
        unknown = [key for key in raw_answers if not self.script.has_question(key)]
        for key in unknown:
            close = get_close_matches(str(key), [q.id for q in self.script.questions], n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            result.problems.append(AnswerProblem(key, f"'{key}' is not a question of script {self.script.id}.{hint}"))
        answers: Answers = {}
        while (question := self.next_question(answers)) is not None:
            if question.id in raw_answers:
                verdict = self.judge(question.id, raw_answers[question.id], answers)
            elif question.default is not None:
                verdict = self.judge(question.id, question.default, answers)
            elif question.is_required:
                verdict = Verdict(question.id, errors=(f"missing: {question.required_message}",))
            else:
                verdict = Verdict(question.id, value=None)
            for error in verdict.errors:
                result.problems.append(AnswerProblem(question.id, error))
            for warning in verdict.warnings:
                result.notes.append(AnswerProblem(question.id, f"warning, confirmed by the file: {warning}"))
            answers = {**answers, question.id: verdict.value if verdict.accepted else None}
        shown = {q.id for q in self.visible(answers)}
        for key in raw_answers:
            if self.script.has_question(key) and key not in shown:
                result.notes.append(AnswerProblem(key, "does not apply to this consult; the answer was dropped."))
        result.answers = answers
        return result
