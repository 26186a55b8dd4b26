"""Which change may follow which: revise, give, sign, co-sign, amend and review a consult record.

Each function takes the record as it stands and returns its next version (a new ``ConsultRecord``
with ``version + 1`` and a ``Revision`` saying what changed); none changes the record it is given.
A signed record is locked: only ``amend`` changes it, with a reason, and the versions before stay
as they were; a review is added to it without amendment (it adds, it changes nothing signed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from assistant.core.lifecycle.given import check_can_give
from assistant.core.lifecycle.override import Override
from assistant.core.lifecycle.record import (
    ChangeKind,
    ConsultRecord,
    Given,
    GivenLine,
    Revision,
    Signature,
    jsonable_answers,
)
from assistant.core.lifecycle.review_answers import review_words
from assistant.core.lifecycle.review_record import Review
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount, require
from assistant.core.plan import Plan
from assistant.core.text import counted
from assistant.core.text_safety import reason_problem

DEFAULT_MEANING = "reviewed and approved the treatment given"
NO_TREATMENT_MEANING = "reviewed the consult: no treatment was given"
COSIGN_MEANING = "reviewed and co-signed as medical director"
DIRECTOR_MEANING = "reviewed and approved the treatment given, as medical director"
"""A medical director's own signature on a record the clinic asks a director's signature for."""


class AlreadyDone(NotPermitted):
    """The change was made already (by another workstation, perhaps): says by whom and when."""


def _at(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def already_signed(record: ConsultRecord) -> str:
    first = record.signatures[0] if record.signatures else None
    if first is None:
        return f"Consult {record.consult_id} is signed."
    return f"Consult {record.consult_id} is already signed by {first.name} at {_at(first.at)}."


def _next(
    record: ConsultRecord, at: dt.datetime, by: str | None, kind: ChangeKind, change: str, **update: Any
) -> ConsultRecord:
    version = record.version + 1
    revision = Revision(version=version, at=at, by=by, kind=kind, change=change, reason=update.pop("reason", None))
    return record.model_copy(update={"version": version, "revision": revision, **update})


def revise(
    record: ConsultRecord,
    plan: Plan,
    answers: Mapping[str, Any],
    change: str,
    at: dt.datetime,
    by: str | None,
    patient_key: str | None = None,
) -> ConsultRecord:
    """Answers changed before anything was given (the consult edited after planning): same consult,
    next version, the new plan. Once doses are recorded, a change is an amendment with a reason."""
    if record.locked:
        raise NotPermitted(already_signed(record) + " A signed record changes only by amendment (amend).")
    if record.state != "planned":
        raise NotPermitted(
            f"Doses are already recorded as given for consult {record.consult_id}; change it with amend and a reason."
        )
    return _next(record, at, by, "revised", change, **_planned(record, plan, answers, patient_key))


def _planned(
    record: ConsultRecord, plan: Plan, answers: Mapping[str, Any], patient_key: str | None = None
) -> dict[str, Any]:
    """The fields a new plan changes; the patient stays who the record says unless the service,
    having identified the patient again from changed identifiers, names another (``patient_key``)."""
    patient_id = answers.get("patient_id")
    fields = {
        "plan": plan,
        "answers": jsonable_answers(answers),
        "patient_name": plan.patient_name,
        "patient_id": patient_id if isinstance(patient_id, str) and patient_id else None,
        "date": plan.today,
        "entered_on": _entered_on(record, plan.today),
        "status": plan.status,
        "total_units": plan.total_units,
        "script_version": plan.versions.script_version,
        "knowledge_version": plan.versions.knowledge_version,
    }
    fields["patient_key"] = patient_key or record.patient_key
    return fields


def _entered_on(record: ConsultRecord, day: dt.date) -> dt.date | None:
    """The day the consult was first entered, kept when its (new) date is before it: planned again
    with an earlier date, it is a back-entry too."""
    entered = record.entered_on or record.date
    return entered if day < entered else None


def still_to_give(record: ConsultRecord) -> None:
    """``AlreadyDone`` (by whom, when) once the consult is signed or its doses are recorded: then it is
    not given again, and what is recorded only as the step before giving (the consent G asks for)
    is not recorded for it either."""
    if record.locked:
        raise AlreadyDone(already_signed(record))
    if record.given is not None:
        raise AlreadyDone(
            f"Doses for consult {record.consult_id} were already recorded by {record.given.by} at "
            f"{_at(record.given.at)}; change them with amend and a reason."
        )


def give(
    record: ConsultRecord,
    lines: tuple[GivenLine, ...],
    by: StaffAccount,
    at: dt.datetime,
    override: Override | None = None,
) -> ConsultRecord:
    """Record the doses injected (state ``planned`` -> ``given``); ``override``: a medical director's,
    when they pass a limit (see ``dose_limits``)."""
    require(by, "give", at)
    still_to_give(record)
    check_can_give(record.plan)
    given = Given(lines=lines, by=by.name, role=by.role, at=at, override=override)
    differing = sum(1 for line in lines if line.differs_from_plan)
    change = f"given: {given.total_units:g} U" + (
        f", {counted(differing, 'line')} {'differs' if differing == 1 else 'differ'} from the plan" if differing else ""
    )
    if override is not None:
        change += f"; {override.words()}"
    return _next(record, at, by.name, "given", change, given=given, state="given")


def sign(record: ConsultRecord, by: StaffAccount, at: dt.datetime, meaning: str | None = None) -> ConsultRecord:
    """Sign (``given`` -> ``signed``, locked); on a signed record waiting for it, a medical director's
    co-signature. A consult that treated nothing (contraindicated, refused) may be signed as it is."""
    require(by, "sign", at)
    if problem := reason_problem(meaning, "A signature's meaning"):
        raise NotPermitted(problem)
    if record.locked:
        if not record.awaiting_cosign:
            raise AlreadyDone(already_signed(record))
        require(by, "cosign", at)
        if any(s.name == by.name for s in record.signatures):
            raise NotPermitted(f"{by.name} signed this record already; the co-signature is another medical director's.")
        signature = Signature(name=by.name, role=by.role, meaning=meaning or COSIGN_MEANING, at=at, kind="cosignature")
        return _next(
            record, at, by.name, "cosigned", f"co-signed by {by.name}", signatures=(*record.signatures, signature)
        )
    treated = record.status == "planned" and bool(record.plan.lines)
    if treated and record.given is None:
        raise NotPermitted(
            f"Nothing is recorded as given for consult {record.consult_id} yet: record the doses given first (give)."
        )
    signature = Signature(name=by.name, role=by.role, meaning=meaning or _meaning(record, by, treated), at=at)
    return _next(record, at, by.name, "signed", f"signed by {by.name}", signatures=(signature,), state="signed")


def _meaning(record: ConsultRecord, by: StaffAccount, treated: bool) -> str:
    """What a first signature means by default: with the clinic's co-signature rule, a medical
    director's says it is the director's (the record is complete, see ``awaiting_cosign``)."""
    if record.cosign_required and by.role == "medical_director":
        return DIRECTOR_MEANING if treated else f"{NO_TREATMENT_MEANING}, as medical director"
    return DEFAULT_MEANING if treated else NO_TREATMENT_MEANING


def amend(
    record: ConsultRecord,
    by: StaffAccount,
    at: dt.datetime,
    reason: str,
    change: str,
    *,
    plan: Plan | None = None,
    answers: Mapping[str, Any] | None = None,
    lines: tuple[GivenLine, ...] | None = None,
    patient_key: str | None = None,
    override: Override | None = None,
) -> ConsultRecord:
    """A new version with new answers (and their plan) or new given lines, its reason and author;
    ``override``: a medical director's, when the new lines pass a limit.

    The signatures stay on the versions they signed; an amended record keeps its state (a signed
    one stays locked, and lists the amendment below its signatures).
    """
    require(by, "amend", at)
    if not reason.strip():
        raise NotPermitted("An amendment needs its reason (--reason).")
    if problem := reason_problem(reason, "An amendment's reason"):
        raise NotPermitted(problem)
    update: dict[str, Any] = {"reason": reason.strip()}
    if plan is not None and answers is not None:
        update |= _planned(record, plan, answers, patient_key)
    if lines is not None:
        if record.given is None and record.state == "planned":
            check_can_give(plan or record.plan)
            update |= {"state": "given"}
        prior = record.given
        update["given"] = Given(
            lines=lines,
            by=prior.by if prior else by.name,
            role=prior.role if prior else by.role,
            at=prior.at if prior else at,
            override=override,
        )
        if override is not None:
            change += f"; {override.words()}"
    return _next(record, at, by.name, "amended", change, **update)


def no_treatment_to_review(consult_id: str) -> str:
    return f"Nothing is recorded as given for consult {consult_id}: there is no treatment to review."


def review(record: ConsultRecord, found: Review, by: StaffAccount, at: dt.datetime) -> ConsultRecord:
    """Add the day-14 review (any state once doses are given). A signed record takes it without an
    amendment: a review adds what was seen after the treatment and changes nothing that was signed."""
    require(by, "review", at)
    if record.given is None:
        raise NotPermitted(no_treatment_to_review(record.consult_id))
    return _next(record, at, by.name, "reviewed", review_words(found), reviews=(*record.reviews, found))
