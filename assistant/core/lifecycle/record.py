"""One version of a consult as it is kept: answers, plan, what was given, signatures, and the note
of the change that made this version.

A consult is a list of these, version 1 first; the newest is the record as it stands. Answers are
kept JSON-able (dates as ISO strings, tuples as lists) so that a record reads back exactly as it
was written; the core re-reads them through the flow when it needs typed values. What was given
(its lines and vials) is in ``given_lines``; the base every kept model shares, in ``record_model``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.core.lifecycle.given_lines import Given, GivenLine, VialDraw
from assistant.core.lifecycle.ids import is_record_id, patient_key
from assistant.core.lifecycle.photo_refs import PhotoRef
from assistant.core.lifecycle.record_model import JsonAnswers, RecordModel, jsonable_answers
from assistant.core.lifecycle.review_record import Review
from assistant.core.lifecycle.staff import Role
from assistant.core.plan import Plan, Status

__all__ = [  # what was given is in given_lines, the models' base in record_model; readers take them here
    "ChangeKind",
    "ConsultRecord",
    "Given",
    "GivenLine",
    "JsonAnswers",
    "RecordModel",
    "Revision",
    "ScriptApproval",
    "Signature",
    "State",
    "VialDraw",
    "jsonable_answers",
]

State = Literal["planned", "given", "signed"]
"""``planned``: a plan, nothing given yet; ``given``: the doses injected are recorded; ``signed``:
signed by an injector or medical director, and locked (changed only by amendment)."""

ChangeKind = Literal[
    "created", "revised", "given", "signed", "cosigned", "amended", "consented", "photographed", "reviewed"
]


class Revision(RecordModel):
    """What made a version: when, by whom, what changed, and why (an amendment's reason)."""

    version: int = Field(ge=1)
    at: dt.datetime
    by: str | None = None
    kind: ChangeKind = "created"
    change: str = "consult planned"
    reason: str | None = None


class Signature(RecordModel):
    """A signature as record-keeping rules ask: the signer's printed name, role, date and time, meaning."""

    name: str
    role: Role
    meaning: str
    at: dt.datetime
    kind: Literal["signature", "cosignature"] = "signature"


class ScriptApproval(RecordModel):
    """Whether the exact question script a consult ran (its file's content hash) had been taken into
    use by a medical director (``script approve``) when the consult was kept: trainers edit scripts,
    and a record should say whether the questions asked were the approved ones."""

    approved: bool
    by: str | None = None
    at: dt.datetime | None = None
    seq: int | None = None
    """The approval's entry in the audit trail."""
    sha256: str
    """The SHA-256 of the script file's bytes, as the approval states it."""


class ConsultRecord(RecordModel):
    """One version of a consult, as it is kept."""

    consult_id: str
    version: int = Field(default=1, ge=1)
    state: State = "planned"
    revision: Revision | None = None
    """The change that made this version (filled for version 1 of records kept before versions)."""
    patient_name: str
    patient_id: str | None = None
    patient_key: str = ""
    """Filled from the id or the name when not given (see ``patient_key()``)."""
    date: dt.date
    """The consult date (the plan's ``today``)."""
    entered_on: dt.date | None = None
    """The day the consult was entered, when that is after its date (a back-entry, e.g. from paper
    after an outage); None: entered on its date. A consult is never dated after the day it is entered."""
    status: Status
    total_units: float
    answers: JsonAnswers
    plan: Plan
    script_id: str
    script_version: str
    knowledge_id: str
    knowledge_version: str
    script_hash: str | None = None
    knowledge_hash: str | None = None
    staff: str | None = None
    """Who ran the consult."""
    staff_role: Role | None = None
    """Their role when they ran it, when they have an account."""
    lot_number: str | None = None
    lot_expiry: dt.date | None = None
    started_at: dt.datetime
    finished_at: dt.datetime
    given: Given | None = None
    signatures: tuple[Signature, ...] = ()
    cosign_required: bool = False
    """A medical director's second signature is asked (clinic setting, consult run by a junior)."""
    consent: ConsentGiven | None = None
    """The consent the patient signed for this consult (a version of kind ``consented``)."""
    photos: tuple[PhotoRef, ...] = ()
    reviews: tuple[Review, ...] = ()
    script_approval: ScriptApproval | None = None
    """None: kept before approvals were looked up, or from a script whose file hash is not known."""

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if not data.get("patient_key") and isinstance(data.get("patient_name"), str):
            data = {**data, "patient_key": patient_key(data["patient_name"], data.get("patient_id"))}
        if data.get("revision") is None and data.get("finished_at") is not None:
            version = data.get("version", 1)
            data = {**data, "revision": {"version": version, "at": data["finished_at"], "by": data.get("staff")}}
        return data

    @field_validator("consult_id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not is_record_id(value):
            raise ValueError(f"'{value}' is not a consult id (like 20261124-101502-k3v9q2xa); use new_record_id().")
        return value

    @field_validator("patient_name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a consult record needs the patient's name.")
        return value

    @classmethod
    def from_plan(
        cls,
        *,
        consult_id: str,
        plan: Plan,
        answers: Mapping[str, Any],
        started_at: dt.datetime,
        finished_at: dt.datetime,
        patient_id: str | None = None,
        patient_key: str | None = None,
        staff: str | None = None,
        staff_role: Role | None = None,
        lot_number: str | None = None,
        lot_expiry: dt.date | None = None,
        script_hash: str | None = None,
        knowledge_hash: str | None = None,
        cosign_required: bool = False,
        entered_on: dt.date | None = None,
    ) -> ConsultRecord:
        """Version 1 of a planned consult: name, date, status, units and versions come from the plan.

        ``patient_id`` defaults to the ``patient_id`` answer; ``patient_key`` is the register's key
        of the patient (None: made from the name or number, as consults kept before the register).
        ``entered_on``: the real date it is
        entered on, kept only when that is after the consult's date (a back-entry).
        """
        if patient_id is None and isinstance(answers.get("patient_id"), str):
            patient_id = answers["patient_id"]
        return cls(
            consult_id=consult_id,
            revision=Revision(version=1, at=finished_at, by=staff, kind="created", change=_planned_words(plan)),
            patient_name=plan.patient_name,
            patient_id=patient_id or None,
            patient_key=patient_key or "",
            date=plan.today,
            entered_on=entered_on if entered_on is not None and entered_on > plan.today else None,
            status=plan.status,
            total_units=plan.total_units,
            answers=answers,
            plan=plan,
            script_id=plan.versions.script_id,
            script_version=plan.versions.script_version,
            knowledge_id=plan.versions.knowledge_id,
            knowledge_version=plan.versions.knowledge_version,
            script_hash=script_hash,
            knowledge_hash=knowledge_hash,
            staff=staff,
            staff_role=staff_role,
            lot_number=lot_number,
            lot_expiry=lot_expiry,
            started_at=started_at,
            finished_at=finished_at,
            cosign_required=cosign_required,
        )

    # -- what it says ---------------------------------------------------------------------------------

    @property
    def treated_zones(self) -> tuple[str, ...]:
        """Zones treated: those given when doses are recorded, else those with plan lines."""
        if self.given is not None:
            return self.given.zones
        return tuple(dict.fromkeys(line.zone for line in self.plan.lines))

    @property
    def locked(self) -> bool:
        return self.state == "signed"

    @property
    def awaiting_cosign(self) -> bool:
        """Signed, and the clinic asks a medical director's signature that it does not carry yet.

        A medical director who signs first has signed as the medical director: that record is
        complete (asking another director's co-signature would leave it waiting on whoever is
        second). Read from the signatures, so it holds for records kept or imported before."""
        return (
            self.state == "signed"
            and self.cosign_required
            and not any(s.kind == "cosignature" or s.role == "medical_director" for s in self.signatures)
        )

    @property
    def to_give(self) -> bool:
        """Planned with doses and nothing recorded as given yet: it waits for an injector."""
        return self.state == "planned" and self.status == "planned" and bool(self.plan.lines)

    @property
    def to_sign(self) -> bool:
        """Waiting for a signature: given and unsigned, or signed and waiting for the co-signature."""
        return self.state == "given" or self.awaiting_cosign


def _planned_words(plan: Plan) -> str:
    if plan.status == "planned":
        return f"consult planned: {plan.total_units:g} U"
    return f"consult recorded as {plan.status}"
