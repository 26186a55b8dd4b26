"""The flow engine: which question comes next, whether an answer is taken, and what an edit drops.

Answers are a plain ``dict`` from question id to value, and every operation returns a new dict, so
the UI can keep history for "back" without copying rules. ``None`` records an optional question
that was skipped. The engine never reads a clock: ``today`` is given when it is made.

A repeat group is asked as ordinary questions with the entry index in their ids (see
``assistant.core.repeat``): "is there an asymmetry?" (``asymmetries.0``), then the entry's questions
(``asymmetries.0.zone``, ...), then "another one?" (``asymmetries.1``), up to the group's maximum. The
UI shows each like any other question; only this engine knows they belong together.

A dose typed as an answer (a measured asymmetry's extra units) is asked within ``bounds`` given when
the flow is made (``assistant.core.dose_bounds``: the knowledge base's most, the clinic's syringe's
step), keyed by the question's id, or ``group.question`` inside a repeat group
(``asymmetries.extra_units``): so the question takes only what the planner can draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from assistant.core.answer_dependents import dependents
from assistant.core.answer_file import FileResult, read_file
from assistant.core.answers import AnswerError, Answers, AnswerValue, coerce
from assistant.core.conditions import evaluate
from assistant.core.derived import age_words, derived_from, derived_value, outside_limits, source_of
from assistant.core.dose_bounds import DoseBounds, bounded
from assistant.core.repeat import EntryRef, entries, entry_answers, entry_question, parse_id, used_answers
from assistant.core.script import Choice, ChoiceQuestion, Question, RepeatGroup, Script
from assistant.core.verdict import Verdict

__all__ = ["Answers", "FileResult", "Flow", "Verdict"]  # where the UI, services and tests take them from


class Flow:
    """Runs one script for one consult date."""

    def __init__(self, script: Script, today: date, bounds: Mapping[str, DoseBounds] | None = None) -> None:
        self.script = script
        self.today = today
        self.bounds: Mapping[str, DoseBounds] = bounds or {}
        self._instances: dict[str, Question] = {}

    # --- questions, including those of repeat groups -----------------------------------------------
    def question(self, question_id: str) -> Question:
        """A question by id: one of the script's, or one of a repeat group's entries (``asymmetries.1.zone``)."""
        if not isinstance(question_id, str):
            raise KeyError(question_id)
        if self.script.has_question(question_id):
            item = self.script.question(question_id)
            if isinstance(item, RepeatGroup):
                raise KeyError(question_id)
            return self._top(item)
        ref = parse_id(self.script, question_id)
        if ref is None:
            raise KeyError(question_id)
        return self._instance(ref)

    def knows(self, question_id: str) -> bool:
        try:
            self.question(question_id)
        except KeyError:
            return False
        return True

    def _instance(self, ref: EntryRef) -> Question:
        """An entry's question as an ordinary one (made once per id), within its bounds if it has any."""
        if ref.id not in self._instances:
            question = entry_question(ref)
            found = self.bounds.get(f"{ref.group.id}.{ref.field}") if ref.field is not None else None
            self._instances[ref.id] = bounded(question, found) if found is not None else question
        return self._instances[ref.id]

    def _top(self, question: Question) -> Question:
        """A question of the script's, within its bounds if it has any (made once)."""
        found = self.bounds.get(question.id)
        if found is None:
            return question
        if question.id not in self._instances:
            self._instances[question.id] = bounded(question, found)
        return self._instances[question.id]

    def bounds_of(self, question_id: str) -> DoseBounds | None:
        """The bounds a question is asked within (None: the script's own)."""
        ref = parse_id(self.script, question_id)
        return self.bounds.get(f"{ref.group.id}.{ref.field}" if ref is not None else question_id)

    def _names(self, answers: Mapping[str, object], question_id: str | None = None) -> dict[str, object]:
        """What a condition of ``question_id`` reads: the answers, each group's entries under its id,
        and, inside an entry, that entry's answers under their bare ids."""
        names: dict[str, object] = dict(answers)
        for group in self.script.groups():
            names[group.id] = tuple(entries(group, answers))
        ref = parse_id(self.script, question_id) if question_id else None
        if ref is not None and ref.field is not None:
            names.update(entry_answers(ref.group, ref.index, answers))
        return names

    def _holds(self, condition: str | None, names: Mapping[str, object]) -> bool:
        return condition is None or evaluate(condition, names, self.today)

    # --- what is asked ---------------------------------------------------------------------------
    def visible(self, answers: Mapping[str, object]) -> list[Question]:
        """The questions that apply, in order. A question's ``show_if`` sees only the answers to
        questions that are themselves shown, so hiding one hides what depends on it."""
        shown: list[Question] = []
        seen: dict[str, object] = {}
        for item in self.script.questions:
            if isinstance(item, RepeatGroup):
                asked, found = self._group_shown(item, answers, seen) if self._holds(item.show_if, seen) else ([], ())
                shown += asked
                seen.update({q.id: answers[q.id] for q in asked if q.id in answers})
                seen[item.id] = found
            elif self._holds(item.show_if, seen):
                derived = derived_value(item, seen, self.today)
                if derived is not None:  # given by an earlier answer (the age by the date of birth)
                    seen[item.id] = derived
                    continue
                shown.append(self._top(item))
                if item.id in answers:
                    seen[item.id] = answers[item.id]
        return shown

    def derived(self, answers: Mapping[str, object]) -> Answers:
        """The answers the script derives from these (see ``assistant.core.derived``)."""
        found: Answers = {}
        for item in self.script.questions:
            if isinstance(item, RepeatGroup) or source_of(item) is None:
                continue
            value = derived_value(item, answers, self.today)
            if value is not None and self._holds(item.show_if, {**answers, **found}):
                found[item.id] = value
        return found

    def _group_shown(
        self, group: RepeatGroup, answers: Mapping[str, object], seen: Mapping[str, object]
    ) -> tuple[list[Question], tuple[dict[str, object], ...]]:
        """An entry's gate, then its questions, while the gates say yes and there is room."""
        asked: list[Question] = []
        found: list[dict[str, object]] = []
        for index in range(group.max_entries):
            if index and not self._room(group, index, answers, seen):
                break
            gate = self._instance(EntryRef(group, index))
            asked.append(gate)
            if answers.get(gate.id) is not True:
                break
            local: dict[str, object] = {}
            for sub in group.questions:
                if self._holds(sub.show_if, {**seen, **local}):
                    question = self._instance(EntryRef(group, index, sub.id))
                    asked.append(question)
                    if question.id in answers:
                        local[sub.id] = answers[question.id]
            found.append(local)
        return asked, tuple(found)

    def _room(self, group: RepeatGroup, index: int, answers: Mapping[str, object], seen: Mapping[str, object]) -> bool:
        """Whether another entry can be made: each ``unique`` choice question still has a choice left."""
        for name in group.unique:
            sub = group.question(name)
            if isinstance(sub, ChoiceQuestion):
                used = used_answers(EntryRef(group, index, name), answers)
                if not [c for c in self._filtered(sub, seen) if c.code not in used]:
                    return False
        return True

    def prune(self, answers: Mapping[str, AnswerValue | None]) -> Answers:
        """Only the answers to questions that still apply (in script order), with the derived ones."""
        kept: Answers = {q.id: answers[q.id] for q in self.visible(answers) if q.id in answers}
        derived = self.derived(kept)
        if not derived:
            return kept
        order = {item.id: i for i, item in enumerate(self.script.questions)}

        def position(key: str) -> int:
            ref = parse_id(self.script, key)
            return order[ref.group.id if ref is not None else key]

        return dict(sorted({**kept, **derived}.items(), key=lambda item: position(item[0])))

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

    def _filtered(self, question: ChoiceQuestion, names: Mapping[str, object]) -> tuple[Choice, ...]:
        options = self.script.choices_for(question)
        if question.choices_filter is None:
            return options
        return tuple(c for c in options if evaluate(question.choices_filter, names, self.today, choice=c.code))

    def choices(self, question: ChoiceQuestion, answers: Mapping[str, object]) -> tuple[Choice, ...]:
        """The choices offered now: the list, narrowed by ``choices_filter`` over earlier answers, and
        in a repeat group without the answers other entries gave to a ``unique`` question."""
        options = self._filtered(question, self._names(answers, question.id))
        ref = parse_id(self.script, question.id)
        if ref is not None and ref.field in ref.group.unique:
            used = used_answers(ref, answers)
            options = tuple(c for c in options if c.code not in used)
        return options

    # --- taking answers --------------------------------------------------------------------------
    def judge(self, question_id: str, raw: object, answers: Mapping[str, AnswerValue | None]) -> Verdict:
        """Take or refuse an answer to one question, with the script's own messages."""
        question = self.question(question_id)
        if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == [] or raw == ():
            if question.is_required:
                return Verdict(question_id, errors=(question.required_message,))
            return Verdict(question_id, value=None)
        try:
            value = coerce(self.script, question, raw, self.today)
        except AnswerError as error:
            limits = self.bounds_of(question_id)
            return Verdict(question_id, errors=(f"{error} {limits.why}" if limits else str(error),))
        picked = value if isinstance(value, tuple) else (value,)
        ref = parse_id(self.script, question_id)
        if ref is not None and ref.field in ref.group.unique:
            used = used_answers(ref, answers)
            taken = next((code for code in picked if code in used), None)
            if taken is not None:
                group = ref.group
                return Verdict(
                    question_id,
                    errors=(
                        f"'{taken}' is already the {ref.field} of {group.entry_label} {used[taken] + 1}; "
                        f"each {ref.field} can have one entry only.",
                    ),
                )
        if isinstance(question, ChoiceQuestion) and question.choices_filter is not None:
            offered = {c.code for c in self.choices(question, answers)}
            outside = [code for code in picked if code not in offered]
            if outside:
                allowed = ", ".join(sorted(offered)) or "none"
                return Verdict(question_id, errors=(f"'{outside[0]}' cannot be chosen here (choose from: {allowed}).",))
        with_answer = self._names({**answers, question_id: value}, question_id)
        errors: list[str] = []
        warnings: list[str] = []
        for check in question.checks:
            if evaluate(check.when, with_answer, self.today):
                (errors if check.severity == "error" else warnings).append(check.message)
        for derived in derived_from(self.script, question_id):  # the age a date of birth gives, judged
            years = derived_value(derived, with_answer, self.today)
            if years is None or not isinstance(value, date):
                continue
            outside = outside_limits(derived, years)
            if outside is not None:  # in the date of birth's words: the age question is never on screen
                errors.append(f"{age_words(value, years)}; {outside}.")
                continue
            verdict = self.judge(derived.id, years, {**answers, question_id: value})
            errors += [f"{age_words(value, years)}: {e}" for e in verdict.errors]
            warnings += list(verdict.warnings)
        return Verdict(question_id, value=value, errors=tuple(errors), warnings=tuple(warnings))

    def answer(self, answers: Mapping[str, AnswerValue | None], question_id: str, value: AnswerValue | None) -> Answers:
        """Record an accepted answer (new or changed); answers that no longer apply are dropped.

        When an earlier answer *changes*, the answers to later questions whose conditions read it are
        dropped too, so they are asked again: a left/right difference measured for one zone must not
        silently carry over to another.
        """
        updated = {**answers, question_id: value}
        if question_id in answers and answers[question_id] != value:
            stale = self.dependents(question_id, answers)
            updated = {k: v for k, v in updated.items() if k not in stale}
        return self.prune(updated)

    def dependents(self, question_id: str, answers: Mapping[str, object] = {}) -> set[str]:
        """Later questions whose ``show_if`` or ``choices_filter`` reads ``question_id`` (see
        ``assistant.core.answer_dependents``)."""
        return dependents(self.script, question_id, answers)

    def read_file(self, raw_answers: Mapping[str, object]) -> FileResult:
        """Validate a whole answer file the way a consult would have asked it (see ``answer_file``)."""
        return read_file(self, raw_answers)
