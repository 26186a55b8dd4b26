"""The patient register: who a consult belongs to, decided by two identifiers, never guessed.

Every clinical system identifies a patient by two identifiers: here the name and the date of birth,
plus the clinic number where the clinic gives one. A consult is attached to a registered patient only
when the identifiers *agree exactly*: the clinic number and the date of birth (and then the name must
agree too, or the number is refused as another person's), or the name and the date of birth when
neither side has a number. Names folded for comparison (Unicode NFKC, case, spaces) and clinic
numbers written in another Unicode form only ever *suggest* a match, which a person confirms ("Yes,
this is her") or rejects; nothing of a suggested patient is used before that.

Each patient has a stable ``patient_key`` (``pt:`` and a record id) that every consult carries, so a
change of name or number later does not split their history. Consults kept before the register have
keys from their name or number (``name:...``, ``id:...``): nobody's until confirmed hers (a merge).

Two registered patients found to be one person are merged by a medical director: the one merged away
keeps its key and consults, and points to the one it joined (``merged_into``); every look-up of
either's history, earlier doses and last treatment then counts both. A split undoes it.
Both are acts in the audit trail. Pure: the stores keep the register, the services decide with these
rules; what an entry holds (keys, identifiers, the ``Patient``) is in ``register_entry``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.record_model import RecordModel
from assistant.core.lifecycle.register_entry import (
    Identifiers,
    Patient,
    exact_name,
    exact_number,
    folded_number,
    is_legacy_key,
    is_register_key,
    new_patient_key,
)

__all__ = [  # the register's entry and identifiers are in register_entry; the stores, services and UI take them here
    "Identifiers",
    "Identity",
    "Patient",
    "RegisterRefused",
    "Suggestion",
    "clash",
    "confirm",
    "conflict_words",
    "exact_name",
    "exact_number",
    "folded_number",
    "group_keys",
    "identify",
    "is_legacy_key",
    "is_register_key",
    "linked",
    "linked_name",
    "merge",
    "new_patient_key",
    "register",
    "split",
]


class Suggestion(RecordModel):
    """A registered patient who may be the one in front of you, and why they are only suggested."""

    patient: Patient
    why: str
    last_date: dt.date | None = None
    last_zones: tuple[str, ...] = ()


class Identity(RecordModel):
    """What the register says of a consult's patient.

    ``matched``: the registered patient the identifiers agree with exactly (attach to them);
    ``conflict``: the clinic number belongs to another person (refuse, naming them);
    ``suggestions``: patients who may be the same person (a person confirms; never used before);
    none of these: a new patient.
    """

    identifiers: Identifiers
    matched: Patient | None = None
    conflict: Patient | None = None
    suggestions: tuple[Suggestion, ...] = ()

    @property
    def kind(self) -> Literal["matched", "conflict", "suggested", "new", "unconfirmed"]:
        if self.conflict is not None:
            return "conflict"
        if self.matched is not None:
            return "matched"
        if not self.identifiers.confirmable:
            return "unconfirmed"
        return "suggested" if self.suggestions else "new"


class RegisterRefused(ValueError):
    """A register change the rules do not allow; the message says why, in words for staff."""


def conflict_words(number: str, holder: Patient) -> str:
    born = f"born {holder.date_of_birth.isoformat()}" if holder.date_of_birth else "date of birth not recorded"
    return f"clinic number {number} belongs to {holder.name} ({born})"


def identify(identifiers: Identifiers, candidates: Iterable[Patient]) -> Identity:
    """Decide, from the register's candidates (patients sharing the number or the folded name, merged
    ones already followed to whom they joined), whom a consult's identifiers name.

    Exact identity: same clinic number and same date of birth and name (number held with another name
    or date of birth: a conflict); with no number on either side, same name and same date of birth.
    Everything close to that is a suggestion, never a match.
    """
    people = [p for p in candidates if p.merged_into is None]
    number = identifiers.clinic_number
    if number is not None:
        holder = next((p for p in people if not p.legacy and p.clinic_number == number), None)
        if holder is not None:
            if holder.name == identifiers.name and not identifiers.confirmable:
                why = "the same clinic number and name; no date of birth to compare"
                return Identity(identifiers=identifiers, suggestions=(Suggestion(patient=holder, why=why),))
            if holder.date_of_birth == identifiers.date_of_birth and holder.name == identifiers.name:
                return Identity(identifiers=identifiers, matched=holder)
            same_name = normalise_name(holder.name) == normalise_name(identifiers.name)  # other capitals, spaces
            if holder.date_of_birth == identifiers.date_of_birth and same_name:
                why = "the same clinic number and date of birth, the name written differently"  # hers, to confirm
                return Identity(identifiers=identifiers, suggestions=(Suggestion(patient=holder, why=why),))
            return Identity(identifiers=identifiers, conflict=holder)
    elif identifiers.confirmable:
        exact = [
            p
            for p in people
            if not p.legacy
            and p.clinic_number is None
            and p.name == identifiers.name
            and p.date_of_birth == identifiers.date_of_birth
        ]
        if len(exact) == 1:
            return Identity(identifiers=identifiers, matched=exact[0])
    return Identity(identifiers=identifiers, suggestions=tuple(_suggestions(identifiers, people)))


def _suggestions(identifiers: Identifiers, people: Sequence[Patient]) -> list[Suggestion]:
    folded = normalise_name(identifiers.name)
    number = folded_number(identifiers.clinic_number)
    found: list[Suggestion] = []
    for person in people:
        why = _why_suggested(identifiers, person, folded, number)
        if why:
            found.append(Suggestion(patient=person, why=why))
    return found


def _why_suggested(identifiers: Identifiers, person: Patient, folded: str, number: str | None) -> str | None:
    same_name = normalise_name(person.name) == folded
    if person.legacy:
        if same_name or (number is not None and folded_number(person.clinic_number) == number):
            return "kept before patients were registered: no date of birth to compare"
        return None
    if number is not None and person.clinic_number is not None and folded_number(person.clinic_number) == number:
        return "the same clinic number written differently"
    if not same_name or identifiers.date_of_birth is None or person.date_of_birth != identifiers.date_of_birth:
        return None
    both = person.clinic_number and identifiers.clinic_number  # unlike (alike was said above): seen before "Yes"
    other = f", but clinic number {person.clinic_number} (typed {identifiers.clinic_number})" if both else ""
    if person.name != identifiers.name:
        return "the same date of birth and a name written differently" + other
    if person.clinic_number and not identifiers.clinic_number:
        return f"the same name and date of birth, with clinic number {person.clinic_number}"
    if identifiers.clinic_number and not person.clinic_number:
        return "the same name and date of birth, without a clinic number"
    return "the same name and date of birth" + other


def register(identifiers: Identifiers, key: str, at: dt.datetime) -> Patient:
    """A new patient from a consult's identifiers."""
    return Patient(
        patient_key=key,
        name=identifiers.name,
        date_of_birth=identifiers.date_of_birth,
        clinic_number=identifiers.clinic_number,
        registered_at=at,
    )


def confirm(patient: Patient, identifiers: Identifiers, key: str, at: dt.datetime) -> tuple[Patient, Patient | None]:
    """A suggested patient confirmed as the consult's: (the patient the consult attaches to, the
    register change to keep, None when there is none).

    A patient from before the register becomes a registered one under a new key, joining the old
    key's consults; a registered one gains the identifiers it lacked (a number, a date of birth),
    never loses or changes one.
    """
    if patient.legacy:
        new = register(identifiers, key, at).model_copy(update={"joined": (patient.patient_key,)})
        return new, new
    update: dict[str, object] = {}
    if patient.clinic_number is None and identifiers.clinic_number is not None:
        update["clinic_number"] = identifiers.clinic_number
    if patient.date_of_birth is None and identifiers.date_of_birth is not None:
        update["date_of_birth"] = identifiers.date_of_birth
    if not update:
        return patient, None
    changed = patient.model_copy(update={**update, "revision": patient.revision + 1})
    return changed, changed


def linked(identity: Identity, confirmed: str | None = None) -> Patient | None:
    """The registered patient a consult with this identity is linked to: the one its identifiers
    match exactly, else the suggestion a person ``confirmed`` ("Yes, this is her"). None for a clinic
    number held by another person, a suggestion nobody decided on, and a new patient."""
    if identity.conflict is not None:
        return None
    if identity.matched is not None:
        return identity.matched
    return next((s.patient for s in identity.suggestions if s.patient.patient_key == confirmed), None)


def linked_name(identity: Identity, confirmed: str | None = None) -> str | None:
    """The name a consult carries once linked to a registered patient: hers as the register writes
    it, not as typed ("MINA  park" is Mina Park), so the header, the plan, the documents and the
    record never write her otherwise than her record does. Who she is was decided by two identifiers
    (matched, or confirmed by a person); the spelling is only ever the register's. A patient of
    consults kept before the register is registered under the name typed when she is confirmed
    (``confirm``), so that name stays (its spaces tidied). None: linked to nobody, the name stays
    as typed."""
    patient = linked(identity, confirmed)
    if patient is None:
        return None
    return identity.identifiers.name if patient.legacy else patient.name


def merge(kept: Patient, absorbed: Patient) -> tuple[Patient, Patient]:
    """``absorbed`` found to be ``kept``: (kept, absorbed) as they are after the merge."""
    if kept.patient_key == absorbed.patient_key:
        raise RegisterRefused("a patient cannot be merged with themselves.")
    for person in (kept, absorbed):
        if person.merged_into is not None:
            raise RegisterRefused(f"{person.patient_key} was merged into {person.merged_into} already.")
        if person.legacy:
            raise RegisterRefused(f"{person.patient_key} is not a registered patient.")
    new_kept = kept.model_copy(update={"joined": (*kept.joined, absorbed.patient_key), "revision": kept.revision + 1})
    new_absorbed = absorbed.model_copy(update={"merged_into": kept.patient_key, "revision": absorbed.revision + 1})
    return new_kept, new_absorbed


def split(kept: Patient, absorbed: Patient) -> tuple[Patient, Patient]:
    """Undo a merge: (kept, absorbed) as they are after it."""
    if absorbed.merged_into != kept.patient_key or absorbed.patient_key not in kept.joined:
        raise RegisterRefused(f"{absorbed.patient_key} is not merged into {kept.patient_key}.")
    new_kept = kept.model_copy(
        update={
            "joined": tuple(k for k in kept.joined if k != absorbed.patient_key),
            "revision": kept.revision + 1,
        }
    )
    new_absorbed = absorbed.model_copy(update={"merged_into": None, "revision": absorbed.revision + 1})
    return new_kept, new_absorbed


def group_keys(key: str, lookup: dict[str, Patient]) -> list[str]:
    """Every key whose consults are this patient's: the key itself and, recursively, those joined to
    it (``lookup`` holds the register entries read so far, by key)."""
    seen: list[str] = []
    todo = [key]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        person = lookup.get(current)
        if person is not None:
            todo += list(person.joined)
    return seen


def clash(patient: Patient, others: Iterable[Patient]) -> str | None:
    """Why ``patient`` cannot be kept beside ``others`` (the register's other entries sharing its
    number or name), or None: one clinic number is one patient, and without numbers one name and
    date of birth is one patient. Stores call it under their lock, so two workstations registering
    the same person at once end with one entry."""
    if patient.merged_into is not None or patient.legacy:
        return None
    for other in others:
        if other.patient_key == patient.patient_key or other.merged_into is not None or other.legacy:
            continue
        if patient.clinic_number and other.clinic_number == patient.clinic_number:
            return conflict_words(patient.clinic_number, other)
        if (
            not patient.clinic_number
            and not other.clinic_number
            and patient.date_of_birth is not None
            and other.name == patient.name
            and other.date_of_birth == patient.date_of_birth
        ):
            return f"{other.words()} is registered already ({other.patient_key})"
    return None
