"""Answers of a kept consult changed by a few (issue 22.5): the changes merged onto the current
version, read as a whole and planned again as ``amend --answers`` always planned them (the
patient's earlier doses and the record's timing counted, this consult left out).

Shared by the command line (``amend --answers FILE``) and the UI's amendment, so both refuse the
same things with the same words. Saving the amendment (reason, PIN) is ``treatment.amend_answers``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from assistant.core.answer_merge import changed_keys, merge_answers
from assistant.core.dates import future_problem
from assistant.core.lifecycle.amended_identity import renamed
from assistant.core.lifecycle.register import RegisterRefused, conflict_words
from assistant.core.lifecycle.register_entry import exact_name
from assistant.services import patients
from assistant.services.earlier import earlier_doses, recorded_treatments
from assistant.services.headless import Outcome, consult_date, run_answer_file

if TYPE_CHECKING:
    from assistant.core.consult import Consult
    from assistant.core.lifecycle.record import ConsultRecord
    from assistant.core.plan import EarlierDoses, RecordedTreatments
    from assistant.files.loaders import AnswerFile
    from assistant.files.resources import Resources
    from assistant.records.repository import ConsultRepository
    from assistant.services.desk import Desk


@dataclass
class Replanned:
    """The merged answers planned again (``outcome.plan``), or the problems that stop it."""

    outcome: Outcome
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.outcome.plan is not None and self.outcome.consult is not None


def _kept_from(problems: list[str], ids: list[str], changes: dict[str, Any], current: ConsultRecord) -> list[str]:
    """A problem about an answer the file did not give points at the record, not at the file."""
    shown = []
    for text, question_id in zip(problems, ids, strict=False):
        if question_id.split(".")[0] not in changes and ": " in text:
            text = f"consult {current.consult_id} version {current.version}: {text.split(': ', 1)[1]}"
        shown.append(text)
    return shown + problems[len(ids) :]


def replan(desk: Desk, resources: Resources, current: ConsultRecord, changes: AnswerFile, today: dt.date) -> Replanned:
    """``changes`` (only the answers that change, and perhaps ``today``) over ``current``'s answers,
    read and planned; ``today``: the real date, which the consult's date may not pass."""
    merged = merge_answers(resources.script, current.answers, changes.answers)
    changed = changed_keys(current.answers, merged)
    where = changes.located
    if not changed and changes.today is None:
        return Replanned(Outcome(), [f"{where.file}: changes no answer of consult {current.consult_id}."])
    day = consult_date(changes, None, current.date)
    line = f"{where.file}:{where.line_of(('today',))}"
    if not isinstance(day, dt.date):
        return Replanned(Outcome(), [f"{line}: {day}"])
    if (future := future_problem(day, today)) is not None:
        return Replanned(Outcome(), [f"{line}: today: {future}."])

    def lookup(consult: Consult, window: int) -> EarlierDoses:
        """The record's own patient stays hers; amended identifiers that name another person (a
        clinic number she does not hold, a name her register entry does not give) are refused
        before anything is planned."""
        identifiers = patients.identifiers_from(consult.answers)
        assert identifiers is not None
        if (problem := renaming(desk.repository, current, consult.answers)) is not None:
            raise RegisterRefused(problem)
        identity = patients.identify(desk.repository, identifiers)
        own = patients.group(desk.repository, current.patient_key)
        if identity.conflict is not None and identity.conflict.patient_key not in own:
            assert identifiers.clinic_number is not None
            raise RegisterRefused(conflict_words(identifiers.clinic_number, identity.conflict))
        return earlier_doses(desk.repository, current.patient_key, consult.today, window, exclude=current.consult_id)

    def recorded(consult: Consult) -> RecordedTreatments:
        return recorded_treatments(desk.repository, current.patient_key, consult.today, exclude=current.consult_id)

    try:
        outcome = run_answer_file(resources, replace(changes, answers=merged), day, lookup, recorded)
    except RegisterRefused as refused:  # said where the answers are (the amend screen, the command line)
        return Replanned(Outcome(), [f"{where.file}: {refused}"])
    problems = _kept_from(outcome.problems, outcome.problem_ids, changes.answers, current)
    if outcome.plan is None or outcome.consult is None:
        problems = problems or ["the answers could not be planned."]
    return Replanned(outcome, problems)


def renaming(repository: ConsultRepository, record: ConsultRecord, answers: Mapping[str, object]) -> str | None:
    """Why ``answers`` may not be kept on ``record``: they name its registered patient otherwise than her
    register entry does (``amended_identity.renamed``). Asked on every path that amends answers: the
    command line and the chart's A (planning the change), the plan screen's E (before the PIN), and
    the service that keeps an amendment, whoever calls it. The register is read only for a new name."""
    name = answers.get("patient_name")
    if not isinstance(name, str) or name == record.answers.get("patient_name"):
        return None
    held = repository.registered(record.patient_key)
    problem = renamed(held, exact_name(name)) if held is not None else None
    return f"consult {record.consult_id}: {problem}" if problem else None
