"""A validated consult: the answers of a finished flow, typed for the planner.

The planner reads a handful of answers by id; ``PLANNER_QUESTIONS`` names them and the question
types that can hold them, so that ``check`` can tell a trainer when a script no longer provides
what the planner needs. Everything else the planner reads (screening, modifiers) is named by the
knowledge base's own conditions.
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

PLANNER_QUESTIONS: dict[str, tuple[str, ...]] = {
    "patient_name": ("text",),
    "sex": ("single",),
    "zones": ("multiple",),
    "age": ("integer",),
    "prior_treatment_date": ("date",),
    "prior_zones": ("multiple",),
    "asymmetry": ("yes_no",),
    "asymmetry_zone": ("single",),
    "stronger_side": ("single",),
    "extra_units": ("decimal", "integer"),
}
"""Answer ids the planner reads directly, with the question types that may provide each."""

OPTIONAL_PLANNER_QUESTIONS = {"patient_id": ("text",)}


class Asymmetry(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    zone: str
    stronger_side: Literal["left", "right"]
    extra_units: float


class Consult(BaseModel):
    """What the planner plans from. ``answers`` keeps every answer for conditions and the record."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    script_id: str
    script_version: str
    today: date
    patient_name: str
    patient_id: str | None = None
    sex: str
    zones: tuple[str, ...] = ()
    age: int | None = None
    stopped_early: bool = False
    prior_treatment_date: date | None = None
    prior_zones: tuple[str, ...] = ()
    asymmetry: Asymmetry | None = None
    answers: dict[str, Any]
    shown: dict[str, str] = {}
    """Each answer as a person reads it (choice labels, not codes): the planner's words use these."""

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
        asymmetry = None
        if pruned.get("asymmetry") is True:
            asymmetry = Asymmetry(
                zone=pruned["asymmetry_zone"],
                stronger_side=pruned["stronger_side"],
                extra_units=pruned["extra_units"],
            )
        return cls(
            script_id=flow.script.id,
            script_version=flow.script.version,
            today=flow.today,
            patient_name=pruned["patient_name"],
            patient_id=pruned.get("patient_id"),
            sex=pruned["sex"],
            zones=tuple(pruned.get("zones") or ()),
            age=pruned.get("age"),
            stopped_early=stop_early,
            prior_treatment_date=prior if isinstance(prior, date) and prior != NEVER else None,
            prior_zones=tuple(pruned.get("prior_zones") or ()),
            asymmetry=asymmetry,
            answers=dict(pruned),
            shown={qid: display(flow.script, flow.script.question(qid), value) for qid, value in pruned.items()},
        )
