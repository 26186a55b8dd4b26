"""The patient register on PostgreSQL (the rules are in ``assistant.core.lifecycle.register``).

A change locks the rows it reads (``SELECT ... FOR UPDATE``) and the folded name's advisory lock,
so two workstations registering one person at once take turns: the second sees the first's entry
and is refused (``RegisterConflict``), then attaches to it. One clinic number per patient is also
a unique index, which holds whatever a program does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, func, or_, select
from sqlalchemy.exc import IntegrityError

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import name_tokens, normalise_name, patient_key
from assistant.core.lifecycle.register import Patient, clash, folded_number, is_legacy_key
from assistant.records.errors import DamagedRecord, RegisterConflict
from assistant.records.postgres.audit import append
from assistant.records.postgres.schema import REGISTER_BORN, patients, register


def _patient(row: Any) -> Patient:
    try:
        return Patient.model_validate(row.patient)
    except ValidationError as error:
        raise DamagedRecord(f"patient {row.patient_key} in the register", error.errors()[0]["msg"]) from None


def get(connection: Connection, key: str, *, lock: bool = False) -> Patient | None:
    query = select(register).where(register.c.patient_key == key)
    row = connection.execute(query.with_for_update() if lock else query).first()
    if row is not None:
        return _patient(row)
    if is_legacy_key(key):
        legacy = connection.execute(select(patients).where(patients.c.patient_key == key)).first()
        if legacy is not None:
            return Patient(patient_key=key, name=legacy.patient_name, clinic_number=legacy.patient_id, legacy=True)
    return None


def candidates(connection: Connection, name: str, number: str | None, *, lock: bool = False) -> list[Patient]:
    folded, by_number = normalise_name(name), folded_number(number)
    condition = register.c.folded_name == folded
    if by_number:
        condition = or_(condition, register.c.folded_number == by_number)
    query = select(register).where(condition).order_by(register.c.patient_key)
    found = [_patient(row) for row in connection.execute(query.with_for_update() if lock else query)]
    known = {p.patient_key for p in found}
    by_key = patient_key("", number) if number else None
    conditions = [patients.c.words == " ".join(name_tokens(name))]
    if by_key:
        conditions.append(patients.c.patient_key == by_key)
    rows = connection.execute(select(patients.c.patient_key, patients.c.patient_name).where(or_(*conditions)))
    legacy_keys = [
        row.patient_key
        for row in rows
        if is_legacy_key(row.patient_key) and (row.patient_key == by_key or normalise_name(row.patient_name) == folded)
    ]
    for key in legacy_keys:
        if key not in known:
            legacy = get(connection, key)
            if legacy is not None:
                found.append(legacy)
    return found


def born(connection: Connection, date_of_birth: dt.date) -> list[Patient]:
    """Registered patients born that day (merged ones too), by key: one range of the index on the
    entries' date of birth (``schema.REGISTER_BORN``)."""
    born_that_day = REGISTER_BORN == date_of_birth.isoformat()  # noqa: SIM300 (a SQL expression)
    query = select(register).where(born_that_day).order_by(register.c.patient_key)
    return [_patient(row) for row in connection.execute(query)]


def put(connection: Connection, changed: Sequence[Patient]) -> None:
    """Keep these entries, all or none (the caller's transaction)."""
    for name in sorted({normalise_name(p.name) for p in changed}):
        connection.execute(select(func.pg_advisory_xact_lock(func.hashtext("register:" + name))))
    own = {p.patient_key for p in changed}
    for patient in changed:
        stored = connection.execute(
            select(register.c.revision).where(register.c.patient_key == patient.patient_key).with_for_update()
        ).scalar()
        expected = (stored or 0) + 1
        if patient.revision != expected:
            raise RegisterConflict(
                f"patient {patient.patient_key} changed meanwhile (revision {stored} is kept)"
                if stored
                else f"patient {patient.patient_key} is not registered"
            )
        stored = candidates(connection, patient.name, patient.clinic_number)
        others = [p for p in stored if p.patient_key not in own] + list(changed)
        why = clash(patient, others)
        if why:
            raise RegisterConflict(why)
    for patient in changed:
        values = {
            "revision": patient.revision,
            "folded_name": normalise_name(patient.name),
            "folded_number": folded_number(patient.clinic_number),
            "clinic_number": patient.clinic_number,
            "merged_into": patient.merged_into,
            "patient": patient.model_dump(mode="json"),
        }
        if patient.revision == 1:
            connection.execute(register.insert().values(patient_key=patient.patient_key, **values))
        else:
            connection.execute(register.update().where(register.c.patient_key == patient.patient_key).values(**values))


def save(engine: Engine, changed: Sequence[Patient], event: AuditEvent | None) -> None:
    """``put`` and the audit entry in one transaction."""
    try:
        with engine.begin() as connection:
            put(connection, changed)
            if event is not None:
                append(connection, event)
    except IntegrityError:  # another workstation registered the number in the same instant
        raise RegisterConflict("another workstation registered this patient at the same moment") from None
