"""A whole consult from an answer file: answers -> Consult -> Plan, with every problem collected.

Used by ``botulax-consult run`` and by rehearsals; no printing here, so both can present the
outcome their own way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from assistant.core.answers import AnswerError, as_date
from assistant.core.consult import Consult
from assistant.core.dates import date_problem
from assistant.core.dilution import answer_bounds
from assistant.core.flow import Flow
from assistant.core.plan import EarlierDoses, Plan, RecordedTreatments
from assistant.core.planner import make_plan
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.files.loaders import AnswerFile
from assistant.files.resources import Resources


@dataclass
class Outcome:
    plan: Plan | None = None
    consult: Consult | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem_ids: list[str] = field(default_factory=list)
    """The answer ids the problems name (``asymmetries.0.extra_units``), in order."""


def consult_date(answer_file: AnswerFile, override: date | None, system_today: date) -> date | AnswerProblem:
    """--today, else the file's pinned ``today:``, else the system date."""
    if override is not None:
        return override
    pinned = answer_file.today
    if pinned is None:
        return system_today
    try:
        day = as_date(pinned)  # `today: 2026-11-24 10:30` arrives as a datetime: its date
    except AnswerError as error:
        return AnswerProblem("today", str(error))
    problem = date_problem(day)
    return AnswerProblem("today", problem) if problem is not None else day


EarlierLookup = Callable[[Consult, int], EarlierDoses]
"""(the consult, window days) -> doses its patient was given in the window before its date."""

RecordedLookup = Callable[[Consult], RecordedTreatments]
"""(the consult) -> the doses the record holds as given to its patient, for timing (called after
the earlier-doses look-up, which identifies the patient)."""

NameLookup = Callable[[Mapping[str, object]], str | None]
"""(the consult's answers) -> its patient's name as the register writes it, when the consult is linked to a
registered patient (None: the name stays as typed); called before the other look-ups."""


def run_answer_file(
    resources: Resources,
    answer_file: AnswerFile,
    today: date,
    earlier: EarlierLookup | None = None,
    recorded: RecordedLookup | None = None,
    named: NameLookup | None = None,
) -> Outcome:
    """Plan an answer file; ``earlier`` looks up what the patient was given before (the cumulative
    session maximum) and ``recorded`` the doses whose dates the timing rules follow, when a record
    is at hand; ``named`` her name as her record writes it, which the plan and the record then carry
    (a note says the name typed)."""
    outcome = Outcome()
    where = answer_file.located

    flow = Flow(resources.script, today, answer_bounds(resources.kb, resources.clinic))
    result = flow.read_file(answer_file.answers)

    def located(problem: AnswerProblem) -> str:
        line = where.line_of(result.location(problem.question_id))
        return f"{where.file}:{line}: {problem.question_id}: {problem.message}"

    outcome.notes = [located(n) for n in result.notes]
    if not result.ok:
        outcome.problems = [located(p) for p in result.problems]
        outcome.problem_ids = [str(p.question_id) for p in result.problems]
        return outcome
    try:
        outcome.consult = Consult.from_answers(flow, result.answers)
        typed = outcome.consult.patient_name
        if named is not None and (name := named(outcome.consult.answers)) is not None and name != typed:
            outcome.consult = Consult.from_answers(flow, flow.answer(result.answers, "patient_name", name))
            said = f"linked to {name}'s record: her name is written as in the record, not as typed (“{typed}”)."
            outcome.notes.append(located(AnswerProblem("patient_name", said)))
        consult = outcome.consult
        window = resources.kb.safety.session_max_units.window_days
        doses = earlier(consult, window) if earlier else None
        given = recorded(consult) if recorded else None
        outcome.plan = make_plan(consult, resources.kb, resources.clinic, earlier=doses, recorded=given)
    except InvalidAnswers as error:
        outcome.problems = [located(p) for p in error.problems]
        outcome.problem_ids = [str(p.question_id) for p in error.problems]
    return outcome
