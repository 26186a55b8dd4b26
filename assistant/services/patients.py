"""Who a consult's patient is: the register's use cases, shared by the command line and the UI.

``identify`` reads the register's candidates for a consult's identifiers and lets the core's rules
(``assistant.core.lifecycle.register``) say whether they match a patient exactly, name another
person's clinic number, or only suggest someone. ``attach`` turns that into the key the consult is
kept under: the matched patient's, a confirmed suggestion's, or a newly registered one's. ``group``
is every key whose consults are one patient's (merges followed), which history, earlier doses and
the last treatment all read. Merging and splitting are a medical director's acts, with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from assistant.core.lifecycle import register as rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import patient_key as legacy_key
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.register import Identifiers, Identity, Patient, RegisterRefused, Suggestion
from assistant.core.lifecycle.register_entry import folded_number
from assistant.core.lifecycle.register_trail import stated
from assistant.core.lifecycle.staff import NotPermitted
from assistant.core.text_safety import reason_problem
from assistant.records.errors import RegisterConflict
from assistant.records.repository import ConsultRepository
from assistant.services.desk import Desk
from assistant.services.staff import authenticate


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def identifiers_from(answers: Mapping[str, object]) -> Identifiers | None:
    """The identifiers a consult's answers give (None before the name is answered)."""
    name = answers.get("patient_name")
    if not isinstance(name, str) or not name.strip():
        return None
    number = answers.get("patient_id")
    return Identifiers(
        name=name,
        date_of_birth=_as_date(answers.get("date_of_birth")),
        clinic_number=number if isinstance(number, str) else None,
    )


def _followed(repository: ConsultRepository, patient: Patient) -> Patient | None:
    """The patient a merged one joined (followed to the end), or the patient itself."""
    seen = {patient.patient_key}
    while patient.merged_into is not None:
        if patient.merged_into in seen:
            return None
        seen.add(patient.merged_into)
        joined = repository.registered(patient.merged_into)
        if joined is None:
            return None
        patient = joined
    return patient


def identify(repository: ConsultRepository, identifiers: Identifiers) -> Identity:
    """What the register says of these identifiers (see ``Identity``), each suggestion with the
    patient's last visit and zones so that a person can tell who it is."""
    found: dict[str, Patient] = {}
    for candidate in repository.register_candidates(identifiers.name, identifiers.clinic_number):
        person = _followed(repository, candidate)
        if person is not None:
            found[person.patient_key] = person
    identity = rules.identify(identifiers, found.values())
    if identity.suggestions:
        identity = identity.model_copy(
            update={"suggestions": tuple(_with_last_visit(repository, s) for s in identity.suggestions)}
        )
    return identity


def linked_name(repository: ConsultRepository, answers: Mapping[str, object], confirmed: str | None) -> str | None:
    """The name a consult with these answers carries once linked to a registered patient (matched,
    or ``confirmed``): hers as the register writes it (``register.linked_name``); None: as typed."""
    identifiers = identifiers_from(answers)
    return rules.linked_name(identify(repository, identifiers), confirmed) if identifiers else None


def _with_last_visit(repository: ConsultRepository, suggestion: Suggestion) -> Suggestion:
    consults = history(repository, suggestion.patient.patient_key)
    treated = next((c for c in consults if c.given_units), None)
    return suggestion.model_copy(
        update={
            "last_date": consults[0].date if consults else None,
            "last_zones": treated.zones if treated else (),
        }
    )


def attach(
    repository: ConsultRepository,
    identity: Identity,
    at: dt.datetime,
    *,
    confirmed: str | None = None,
    new_patient: bool = False,
    actor: str | None = None,
) -> str:
    """The register key a consult with this identity is kept under.

    Refused (``RegisterRefused``, in words) for a clinic number held by another person, and for a
    suggestion nobody decided on (``confirmed``: the key of the suggested patient a person said is
    her; ``new_patient``: a person said she is someone else). A consult without a date of birth
    gets a patient of its own, matched to nobody.
    """
    identifiers = identity.identifiers
    if identity.conflict is not None:
        assert identifiers.clinic_number is not None
        raise RegisterRefused(rules.conflict_words(identifiers.clinic_number, identity.conflict))
    if identity.matched is not None:
        return identity.matched.patient_key
    key = rules.new_patient_key(at)
    if confirmed is not None:
        chosen = next((s.patient for s in identity.suggestions if s.patient.patient_key == confirmed), None)
        if chosen is None:
            raise RegisterRefused(f"{confirmed} is not a patient these identifiers suggest.")
        patient, change = rules.confirm(chosen, identifiers, key, at)
        if change is not None:
            detail = f"{identifiers.words()} confirmed as {chosen.patient_key}"
            _keep(repository, [change, *_legacy_entries(chosen, patient)], "patient confirmed", actor, at, detail)
        return patient.patient_key
    if identity.suggestions and not new_patient:
        raise RegisterRefused(suggestion_words(identity))
    if not identifiers.confirmable:  # no date of birth: kept as consults before the register were
        return legacy_key(identifiers.name, identifiers.clinic_number)
    patient = rules.register(identifiers, key, at)
    event = AuditEvent(
        at=at, actor=actor, action="patient registered", detail=identifiers.words(), data=stated([patient])
    )
    try:
        repository.save_patients([patient], event)
    except RegisterConflict as conflict:  # another workstation registered her in the same instant
        again = identify(repository, identifiers)
        if again.matched is not None:
            return again.matched.patient_key
        raise RegisterRefused(conflict.why) from None
    return patient.patient_key


def _legacy_entries(chosen: Patient, patient: Patient) -> list[Patient]:
    """A confirmed patient of consults kept before the register: its key is entered as joined to
    the new patient, so it is never suggested again."""
    if not chosen.legacy:
        return []
    return [chosen.model_copy(update={"merged_into": patient.patient_key, "registered_at": patient.registered_at})]


def _keep(
    repository: ConsultRepository, changed: list[Patient], action: str, actor: str | None, at: dt.datetime, detail: str
) -> None:
    try:
        event = AuditEvent(at=at, actor=actor, action=action, detail=detail, data=stated(changed))
        repository.save_patients(changed, event)
    except RegisterConflict as conflict:
        raise RegisterRefused(conflict.why) from None


def suggestion_words(identity: Identity) -> str:
    """The suggestions as the command line says them, with what to do."""
    lines = [f"{identity.identifiers.words()} may be a patient already in the record:"]
    for suggestion in identity.suggestions:
        last = f", last visit {suggestion.last_date.isoformat()}" if suggestion.last_date else ""
        zones = f" ({', '.join(suggestion.last_zones)})" if suggestion.last_zones else ""
        lines.append(f"  {suggestion.patient.patient_key}: {suggestion.patient.words()}{last}{zones}: {suggestion.why}")
    lines.append("Say who she is: --patient KEY (the same person) or --new-patient (a different person).")
    return "\n".join(lines)


# -- reading a patient's record ----------------------------------------------------------------------


def holder_of_number(repository: ConsultRepository, number: str) -> str | None:
    """The register key of the patient whose clinic number is ``number`` (case, width and spaces
    aside), or None. ``history C1001`` lists her consults, kept under her register key: the number
    alone named only the consults kept before the register (a tryout's "No consults found")."""
    wanted = folded_number(number)
    if wanted is None:
        return None
    holders = [
        p.patient_key
        for p in repository.register_candidates("", number)
        if not p.legacy and p.merged_into is None and folded_number(p.clinic_number) == wanted
    ]
    return holders[0] if len(holders) == 1 else None


def group(repository: ConsultRepository, key: str) -> list[str]:
    """Every key whose consults are this patient's: the key and those joined to it (merges, and
    consults kept before the register that were confirmed as hers)."""
    known: dict[str, Patient] = {}
    keys = [key]
    while True:
        for current in keys:
            if current not in known:
                found = repository.registered(current)
                if found is not None:
                    known[current] = found
        grown = rules.group_keys(key, known)
        if grown == keys:
            return keys
        keys = grown


def history(repository: ConsultRepository, key: str) -> list[ConsultSummary]:
    """A patient's consults, newest first, over every key of the patient."""
    seen: dict[str, ConsultSummary] = {}
    for member in group(repository, key):
        for summary in repository.history(member):
            seen[summary.consult_id] = summary
    return sorted(seen.values(), key=ConsultSummary.sort_key, reverse=True)


# -- merging and splitting -----------------------------------------------------------------------------


def _two(repository: ConsultRepository, kept_key: str, other_key: str) -> tuple[Patient, Patient]:
    kept, other = repository.registered(kept_key), repository.registered(other_key)
    for key, person in ((kept_key, kept), (other_key, other)):
        if person is None:
            raise RegisterRefused(f"there is no patient {key} in the register.")
    assert kept is not None and other is not None
    return kept, other


def merge(desk: Desk, kept_key: str, other_key: str, by: str, pin: str, reason: str) -> Patient:
    """``other_key`` is the same person as ``kept_key``: from now on their consults count as one."""
    if not reason.strip():
        raise NotPermitted("A merge needs its reason (--reason).")
    if problem := reason_problem(reason, "A merge's reason"):
        raise NotPermitted(problem)
    account = authenticate(desk, by, pin, "merge_patients")
    kept, other = _two(desk.repository, kept_key, other_key)
    new_kept, new_other = rules.merge(kept, other)
    at = desk.clock()
    detail = f"{other.patient_key} ({other.words()}) merged into {kept.patient_key} ({kept.words()}): {reason.strip()}"
    _keep(desk.repository, [new_kept, new_other], "patients merged", account.name, at, detail)
    return new_kept


def split(desk: Desk, kept_key: str, other_key: str, by: str, pin: str, reason: str) -> Patient:
    """Undo a merge: ``other_key`` is a person of their own again."""
    if not reason.strip():
        raise NotPermitted("A split needs its reason (--reason).")
    if problem := reason_problem(reason, "A split's reason"):
        raise NotPermitted(problem)
    account = authenticate(desk, by, pin, "merge_patients")
    kept, other = _two(desk.repository, kept_key, other_key)
    new_kept, new_other = rules.split(kept, other)
    at = desk.clock()
    detail = f"{other.patient_key} split from {kept.patient_key}: {reason.strip()}"
    _keep(desk.repository, [new_kept, new_other], "patients split", account.name, at, detail)
    return new_other
