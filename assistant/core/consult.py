"""A validated consult: the answers of a finished flow, typed for the planner.

The planner reads a handful of answers by id; ``PLANNER_QUESTIONS`` and ``PLANNER_GROUPS`` name them
and the question types that can hold them, so that ``check`` can tell a trainer when a script no
longer provides what the planner needs. Everything else the planner reads (screening, modifiers) is
named by the knowledge base's own conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from assistant.core.answers import display
from assistant.core.conditions import NEVER
from assistant.core.flow import Flow
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.core.repeat import entries, field_id, nest
from assistant.core.script import RepeatGroup

PLANNER_QUESTIONS: dict[str, tuple[str, ...]] = {
    "patient_name": ("text",),
    "sex": ("single",),
    "zones": ("multiple",),
    "age": ("integer",),
    "prior_treatment_date": ("date",),
    "prior_zones": ("multiple",),
}
"""Answer ids the planner reads directly, with the question types that may provide each."""

ASYMMETRIES = "asymmetries"
PLANNER_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    ASYMMETRIES: {"zone": ("single",), "stronger_side": ("single",), "extra_units": ("decimal", "integer")},
}
"""Repeat groups the planner reads, with the questions each entry must have and their types."""

PLANNER_CODES: dict[tuple[str, str], frozenset[str]] = {
    (ASYMMETRIES, "stronger_side"): frozenset({"left", "right"}),
}
"""Choice codes the planner understands, for questions whose codes it reads by meaning."""

PLANNER_BOUNDED: frozenset[tuple[str, str]] = frozenset({(ASYMMETRIES, "extra_units")})
"""Questions asked within bounds the script does not give: the knowledge base's most and the clinic's
syringe's step (``assistant.core.dilution.answer_bounds``), so that they take what the planner draws."""

OPTIONAL_PLANNER_QUESTIONS = {"patient_id": ("text",), "date_of_birth": ("date",)}


class Asymmetry(BaseModel):
    """One measured left/right difference: ``extra_units`` more on the stronger side of ``zone``."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    zone: str
    stronger_side: Literal["left", "right"]
    extra_units: float
    entry: int = 0
    """Its position among the consult's asymmetries (from 0), so a problem names the right answer."""

    def answer_id(self, question: str) -> str:
        """The id of one of this entry's answers, as the flow asks it (``asymmetries.1.extra_units``)."""
        return field_id(ASYMMETRIES, self.entry, question)


class Consult(BaseModel):
    """What the planner plans from. ``answers`` keeps every answer for conditions and the record."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    script_id: str
    script_version: str
    today: date
    patient_name: str
    patient_id: str | None = None
    date_of_birth: date | None = None
    """With the name, the patient's two identifiers (None in consults kept before it was asked)."""
    sex: str
    zones: tuple[str, ...] = ()
    age: int | None = None
    stopped_early: bool = False
    prior_treatment_date: date | None = None
    prior_zones: tuple[str, ...] = ()
    asymmetries: tuple[Asymmetry, ...] = ()
    answers: dict[str, Any]
    """Every answer, repeat groups as lists of entries (the shape records and answer files keep)."""
    shown: dict[str, str] = {}
    """Each top-level answer as a person reads it (choice labels, not codes): the planner's words
    use these."""

    def asymmetry_for(self, zone: str) -> Asymmetry | None:
        return next((a for a in self.asymmetries if a.zone == zone), None)

    @classmethod
    def from_answers(cls, flow: Flow, answers: Mapping[str, Any], stop_early: bool = False) -> Consult:
        """Build from the answers of a complete flow; anything missing is listed, not guessed.

        ``stop_early`` takes an unfinished consult that screening has stopped: the planner then
        refuses to plan anything unless a contraindication really holds.
        """
        pruned = flow.prune(answers)
        problems = []
        required = ("patient_name", "sex") if stop_early else ("patient_name", "sex", "zones", "age")
        if not stop_early and not flow.is_complete(pruned):
            missing = flow.next_question(pruned)
            assert missing is not None
            problems.append(AnswerProblem(missing.id, f"not answered yet: {missing.required_message}"))
        for question_id in required:
            if pruned.get(question_id) in (None, ()):
                problems.append(AnswerProblem(question_id, "the planner needs this answer."))
        if problems:
            raise InvalidAnswers(problems)
        prior = pruned.get("prior_treatment_date")
        group = flow.script.question(ASYMMETRIES) if flow.script.has_question(ASYMMETRIES) else None
        found = entries(group, pruned) if isinstance(group, RepeatGroup) else []
        asymmetries = tuple(
            Asymmetry(zone=e["zone"], stronger_side=e["stronger_side"], extra_units=e["extra_units"], entry=i)
            for i, e in enumerate(found)
            if not stop_early and all(e.get(k) is not None for k in ("zone", "stronger_side", "extra_units"))
        )
        return cls(
            script_id=flow.script.id,
            script_version=flow.script.version,
            today=flow.today,
            patient_name=pruned["patient_name"],
            patient_id=pruned.get("patient_id"),
            date_of_birth=pruned.get("date_of_birth"),
            sex=pruned["sex"],
            zones=tuple(pruned.get("zones") or ()),
            age=pruned.get("age"),
            stopped_early=stop_early,
            prior_treatment_date=prior if isinstance(prior, date) and prior != NEVER else None,
            prior_zones=tuple(pruned.get("prior_zones") or ()),
            asymmetries=asymmetries,
            answers=nest(flow.script, pruned),
            shown={
                qid: display(flow.script, flow.script.question(qid), value)
                for qid, value in pruned.items()
                if flow.script.has_question(qid) and not isinstance(flow.script.question(qid), RepeatGroup)
            },
        )
