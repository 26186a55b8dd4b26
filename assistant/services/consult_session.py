"""One consult in progress: the single owner of its answers, for the UI to drive.

It holds no Textual: the UI asks it what to show and tells it what was typed. Rules stay in the
flow engine and the planner; this class only remembers where the practitioner is (including
"editing an earlier answer") and gathers the knowledge base's comments on each answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from assistant.core.advice import Advice, advise
from assistant.core.answers import AnswerValue, display
from assistant.core.consult import Consult
from assistant.core.dilution import answer_bounds
from assistant.core.flow import Answers, Flow, Verdict
from assistant.core.lifecycle.register import Identifiers
from assistant.core.lifecycle.vials import Vial
from assistant.core.plan import EarlierDoses, Plan, RecordedTreatments
from assistant.core.planner import make_plan
from assistant.core.repeat import nest
from assistant.core.script import Choice, ChoiceQuestion, Question, Script
from assistant.files.resources import Resources
from assistant.records import ConsultRecord
from assistant.services.lot_answers import LOT_EXPIRY_QUESTION, LOT_QUESTION, against_ledger, lot_typed


@dataclass
class Submission:
    """What became of one submitted answer, for the UI to show."""

    question: Question
    verdict: Verdict
    needs_confirmation: bool = False
    advice: list[Advice] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unchanged: bool = False
    """An earlier answer taken again as it was: nothing to write again, strike out or drop."""

    @property
    def accepted(self) -> bool:
        return self.verdict.accepted and not self.needs_confirmation


@dataclass
class PatientDecision:
    """What a person decided of the register's suggestions for this consult's identifiers.

    ``identifiers`` are those the decision was made for: a changed name, date of birth or number
    asks again. ``confirmed``: the suggested patient's key staff said she is; ``new_patient``: staff
    said she is someone else; ``key``: the register key her earlier doses are read from, once known.
    """

    identifiers: Identifiers | None = None
    confirmed: str | None = None
    new_patient: bool = False
    key: str | None = None
    typed_name: str | None = None
    """The name as typed, when linking her named the consult as her record writes her: given back
    when the link is dropped (``session_patient.drop_link``)."""

    def holds_for(self, identifiers: Identifiers | None) -> bool:
        return identifiers is not None and identifiers == self.identifiers


class ConsultSession:
    def __init__(self, resources: Resources, today: date, prefill: Mapping[str, AnswerValue | None] | None = None):
        self.today = today
        self.resources = resources  # and the flow, asking dose questions in this clinic's syringe steps
        self.answers: Answers = {}
        self.editing: str | None = None
        self.prefill: dict[str, AnswerValue | None] = dict(prefill or {})
        self.offered: dict[str, AnswerValue | None] = {}
        self.offered_by: str | None = None
        """What a patient's record pre-filled (``offer_from_record``), and whose (a register key): kept
        when the offers are taken back, as an answer still equal to its offer was taken from her record
        (``session_patient.keep_offers_of``)."""
        self.kept_answers: Answers | None = None
        """The answers as last planned and kept (``changed_since_kept``)."""
        self.draft_id: str | None = None
        self.started_at = dt.datetime.now(dt.UTC)
        self.previous: ConsultRecord | None = None
        """The returning patient's last record, shown beside today's plan."""
        self.consult_id: str | None = None
        """Once planned and kept: the consult a new plan of this session is the next version of."""
        self.planned_id: str | None = None
        """The id given to the consult at its first save, kept so a retried save is the same consult."""
        self.vial_id: str | None = None
        """The open vial picked at the lot question, drawn from when the doses are recorded as given."""
        self.open_vials: list[Vial] = []
        """The vials open now (from the ledger), offered at the lot question."""
        self.typing_lot = False
        """The lot is typed rather than picked from the open vials."""
        self.earlier: EarlierDoses | None = None
        """Doses given in the session maximum's window before today (from the record)."""
        self.recorded: RecordedTreatments | None = None
        """The doses the record holds as given to the patient, whose dates the timing rules follow."""
        self.patient: PatientDecision = PatientDecision()
        """Who the patient is in the register, as far as it is decided (see ``PatientDecision``)."""

    @property
    def resources(self) -> Resources:
        return self._resources

    @resources.setter
    def resources(self, resources: Resources) -> None:
        """New settings (a clinic changed its syringe or dilution) ask the dose questions in their steps."""
        self._resources = resources
        self.flow = Flow(resources.script, self.today, answer_bounds(resources.kb, resources.clinic))
        self._visible_for = None

    @property
    def script(self) -> Script:
        return self.flow.script

    @property
    def current(self) -> Question | None:
        """The question on screen: the one being edited, else the next unanswered one."""
        if self.editing is not None:
            return self.flow.question(self.editing)
        return next((q for q in self.visible() if q.id not in self.answers), None)

    def visible(self) -> list[Question]:
        """The questions that apply to the answers as they are now (the flow's ``visible``),
        worked out once per set of answers: the screen asks for them several times per answer."""
        key = tuple(self.answers.items())
        if key != self._visible_for:
            self._visible_for, self._visible = key, self.flow.visible(self.answers)
        return self._visible

    _visible_for: tuple[object, ...] | None = None
    _visible: list[Question] = []

    @property
    def complete(self) -> bool:
        return self.editing is None and self.flow.is_complete(self.answers)

    def progress(self) -> tuple[int, int]:
        shown = self.visible()
        current = self.current
        if current is None:
            return len(shown), len(shown)
        ids = [q.id for q in shown]
        return (ids.index(current.id) + 1 if current.id in ids else len(ids)), len(shown)

    @property
    def changed_since_kept(self) -> bool:
        """Answers changed after the consult was planned and kept (E on the plan), not planned again:
        leaving now loses them, the consult staying as kept."""
        return self.kept_answers is not None and self.answers != self.kept_answers

    def offer_from_record(self, values: Mapping[str, AnswerValue | None], patient_key: str) -> None:
        """Pre-fill answers from the record of the patient ``patient_key`` (her last treatment, her language)."""
        self.prefill.update(values)
        self.offered.update(values)
        self.offered_by = patient_key

    def forget_record(self) -> None:
        """Who the patient is is being decided again (an identifier changed): nothing of the patient
        decided before stays offered. Her last treatment pre-filled for another person would be one
        Enter away from timing that person's doses."""
        self.previous = None
        for question_id in self.offered:
            self.prefill.pop(question_id, None)

    def suggested(self, question: Question) -> AnswerValue | None:
        """What to pre-fill: the current answer when editing, a returning patient's record, or the default."""
        if question.id in self.answers:
            return self.answers[question.id]
        if question.id in self.prefill:
            return self.prefill[question.id]
        return question.default

    def vial_choices(self, question: Question) -> list[Vial]:
        """The open vials to pick from at the lot question (empty: the lot is typed)."""
        return list(self.open_vials) if question.id == LOT_QUESTION and not self.typing_lot else []

    def pick_vial(self, vial: Vial) -> str:
        """The vial drawn from: its lot is the answer, its expiry the next question's suggestion."""
        self.vial_id = vial.vial_id
        self.prefill[LOT_EXPIRY_QUESTION] = vial.expiry
        return vial.lot

    def choices(self, question: Question) -> tuple[Choice, ...]:
        if not isinstance(question, ChoiceQuestion):
            return ()
        return self.flow.choices(question, self.answers)

    def submit(self, raw: object, confirmed: bool = False) -> Submission:
        question = self.current
        assert question is not None, "nothing to answer: the consult is complete"
        verdict = self.flow.judge(question.id, raw, self.answers)
        if not verdict.accepted:
            return Submission(question, verdict)
        verdict = against_ledger(self, question, verdict)
        if verdict.warnings and not confirmed:
            return Submission(question, verdict, needs_confirmation=True)
        before = self.answers
        if question.id in before and before[question.id] == verdict.value and not self._stops(question.id):
            self.editing = None  # on to the next question unanswered, every answer as it was
            return Submission(question, verdict, unchanged=True)
        self.answers = self.flow.answer(self.answers, question.id, verdict.value)
        self.editing = None
        if question.id == LOT_QUESTION and self.typing_lot:
            lot_typed(self, str(verdict.value or ""))
        dropped = [qid for qid in before if qid not in self.answers]
        advice = advise(question.id, self.answers, self.resources.kb, self.today, before)
        return Submission(question, verdict, advice=advice, dropped=dropped)

    def _stops(self, question_id: str) -> bool:
        """Whether the answer to ``question_id`` stops the consult: taken again as it was ("Change the
        answer" at the stop, then the same answer), the stop is asked again, never passed by."""
        advice = advise(question_id, self.answers, self.resources.kb, self.today, self.answers)
        return any(note.tone == "stop" for note in advice)

    def back(self) -> Question | None:
        """Step back to the question before the one on screen; its answer is kept until changed.
        Typing another lot, back is the open vials again (the choice made just before), not goals."""
        current = self.current
        if current is not None and current.id == LOT_QUESTION and self.typing_lot and self.open_vials:
            self.typing_lot = False
            return current
        previous = self.flow.previous(self.answers, current.id if current else None)
        if previous is not None:
            self.editing = previous.id
        return previous

    def edit(self, question_id: str) -> None:
        if any(q.id == question_id for q in self.visible()):
            self.editing = question_id

    def cancel_edit(self) -> None:
        self.editing = None

    def shown_answer(self, question: Question) -> str:
        return display(self.script, question, self.answers.get(question.id))

    def review_rows(self) -> list[tuple[Question, str]]:
        """Every question that applies with its answer as a person reads it."""
        return [(q, self.shown_answer(q)) for q in self.visible() if q.id in self.answers]

    def identifies_patient(self, question_id: str) -> bool:
        """Whether the answer to ``question_id`` completes who the patient is (name, date of birth and
        clinic number known): the returning-patient check runs then, before the next question, so its
        notice comes right after them."""
        identifying = question_id in ("patient_name", "date_of_birth") and "patient_id" in self.answers
        return question_id == "patient_id" or identifying

    def prompt_of(self, question_id: str) -> str:
        """A question's words (an entry of a repeat group too), never its id."""
        try:
            return self.flow.question(question_id).prompt
        except KeyError:
            return "an earlier question"

    def patient_name(self) -> str | None:
        name = self.answers.get("patient_name")
        return str(name) if name else None

    def resume(self, answers: Mapping[str, object]) -> None:
        """Take up a draft: its answers are judged again, as if typed, so nothing unchecked gets in.

        A draft of an older script (one asymmetry as plain questions) is read as its repeat group."""
        result = self.flow.read_file(answers)
        given = set(answers) | set(result.locations)
        taken = {
            k: v
            for k, v in result.answers.items()
            if k in given and (v is not None or not self.flow.question(k).is_required)  # a skip stays skipped
        }
        self.answers = self.flow.prune(taken)

    def record_answers(self) -> dict[str, object]:
        """The answers as a consult record keeps them: repeat groups as lists of entries."""
        return nest(self.script, self.answers)

    def consult(self, stop_early: bool = False) -> Consult:
        return Consult.from_answers(self.flow, self.answers, stop_early=stop_early)

    def plan(self, stop_early: bool = False) -> Plan:
        return make_plan(
            self.consult(stop_early),
            self.resources.kb,
            self.resources.clinic,
            earlier=self.earlier,
            recorded=self.recorded,
        )
