"""The server's derived look-ups read as logical entries, and written again from the records.

The records are ``consult_versions`` (each version's JSON), ``vials.vial`` and ``register.patient``.
Everything else the look-ups read is derived from them (``schema.py``): the summary columns of
``consults`` (history, the "to sign" list, the "to give" list as ``look_ups.TO_GIVE`` reads it),
``patients`` and ``name_prefixes`` (name search), ``treatments`` (due, usage), ``treatment_lots``
(recall), the ``state`` column of ``vials`` (the open vials) and the folded name and number columns
of ``register``. They are read here as
``IndexEntry`` (``core.lifecycle.indexes``), in the shape the TinyDB store reads its files into, so
the core compares both the same way.

``rebuild`` writes them again in one transaction, with ``consults``, ``vials`` and ``register``
locked (``EXCLUSIVE``: reads go on, no save, vial or register change runs meanwhile), using only the
rights the workstations' role holds (``roles.RIGHTS``): summary rows are updated, never deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, delete, func, select, text, tuple_

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.index_check import mismatches
from assistant.core.lifecycle.indexes import (
    HEADER,
    IndexEntry,
    birth_entry,
    expected_entries,
    giving_entry,
    kept_names,
    patient_names,
    patient_value,
    recall_value,
    summary_value,
    treatment_entries,
    vial_entry,
)
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.register import Patient, folded_number
from assistant.core.lifecycle.tracing import treatment_of
from assistant.records.postgres import register_rows
from assistant.records.postgres.audit import append
from assistant.records.postgres.consults import (
    TREATMENT_COLUMNS,
    _keep_patient,
    _keep_treatment,
    record_from,
    summary_from,
    treatment_from,
)
from assistant.records.postgres.first_save import summary_values
from assistant.records.postgres.schema import (
    PREFIX_LETTERS,
    REGISTER_BORN,
    consult_versions,
    consults,
    name_prefixes,
    patients,
    register,
    treatment_lots,
    treatments,
    vials,
)
from assistant.records.postgres.vials import listing, values


def latest_records(connection: Connection) -> Iterator[ConsultRecord]:
    """The latest version of every consult, from the versions themselves (not ``consults.version``)."""
    newest = select(consult_versions.c.consult_id, func.max(consult_versions.c.version)).group_by(
        consult_versions.c.consult_id
    )
    query = (
        select(consult_versions.c.consult_id, consult_versions.c.version, consult_versions.c.record)
        .where(tuple_(consult_versions.c.consult_id, consult_versions.c.version).in_(newest))
        .order_by(consult_versions.c.consult_id)
        .execution_options(yield_per=1000)
    )
    for row in connection.execute(query):
        yield record_from(row.record, row.consult_id, row.version)


def _name_entries(connection: Connection) -> list[IndexEntry]:
    """A word of a patient's name is in the index when her ``patients`` row holds it and every
    prefix of it has its ``name_prefixes`` row, stating the same; a prefix row left over is a ghost."""
    held: dict[str, set[tuple[Any, ...]]] = {}
    for row in connection.execute(select(name_prefixes)):
        fields = (row.prefix, row.words, row.patient_name, row.patient_id, row.id_order)
        held.setdefault(row.patient_key, set()).add(fields)
    found = []
    rows = {row.patient_key: row for row in connection.execute(select(patients))}
    for key, row in rows.items():
        value, used = patient_value(row.patient_name, row.patient_id), set()
        for word in dict.fromkeys(row.words.split()):
            needed = {
                (word[:n], row.words, row.patient_name, row.patient_id, row.patient_id or "")
                for n in range(1, min(PREFIX_LETTERS, len(word)) + 1)
            }
            if needed <= held.get(key, set()):
                found.append(IndexEntry(index="names", key=key, item=word, value=value))
                used |= needed
        held[key] = held.get(key, set()) - used
    for key, left in held.items():
        for prefix, _, name, number, _ in sorted(left, key=str):
            item = f"{prefix}... (a name prefix row)"
            found.append(IndexEntry(index="names", key=key, item=item, value=patient_value(name, number)))
    return found


def registered(connection: Connection) -> list[Patient]:
    """Every register entry, from its JSON (the row's other columns are its look-ups)."""
    return [
        register_rows._patient(row) for row in connection.execute(select(register).order_by(register.c.patient_key))
    ]


def _register_columns(patient: Patient) -> dict[str, Any]:
    return {
        "folded_name": normalise_name(patient.name),
        "folded_number": folded_number(patient.clinic_number),
        "clinic_number": patient.clinic_number,
        "merged_into": patient.merged_into,
    }


def _register_entries(connection: Connection) -> list[IndexEntry]:
    """The folded name and number columns by which the register is searched; the clinic number and
    merge columns (which keep one number to one patient) are read into the number's entry; the date
    of birth is the server's own index of the entry (``schema.REGISTER_BORN``)."""
    found = []
    for row in connection.execute(select(register, REGISTER_BORN.label("born"))):
        found.append(IndexEntry(index="register", key=f"name {row.folded_name}", item=row.patient_key))
        if row.born is not None:  # the server's expression index: read as it computes it
            found.append(birth_entry(row.patient_key, row.born))
        stated = _register_columns(register_rows._patient(row))
        differs = (row.clinic_number, row.merged_into) != (stated["clinic_number"], stated["merged_into"])
        if row.folded_number or differs:
            where = f" (clinic_number {row.clinic_number!r}, merged_into {row.merged_into!r})" if differs else ""
            found.append(IndexEntry(index="register", key=f"number {row.folded_number}{where}", item=row.patient_key))
    return found


def entries(connection: Connection) -> list[IndexEntry]:
    """Every entry of the server's derived look-ups, as they hold them."""
    found = []
    for row in connection.execute(select(consults)):
        value = summary_value(summary_from(row))
        found.append(IndexEntry(index="patients", key=row.patient_key, item=row.consult_id, value=value))
        if row.to_sign:
            found.append(IndexEntry(index="signing", key="", item=row.consult_id, value=value))
        if row.state == "planned" and row.status == "planned" and row.total_units > 0:  # look_ups.TO_GIVE
            found.append(giving_entry(summary_from(row)))
    for row in connection.execute(select(patients)):
        value = patient_value(row.patient_name, row.patient_id)
        found.append(IndexEntry(index="patients", key=row.patient_key, item=HEADER, value=value))
    found += _name_entries(connection)
    given = {row.consult_id: treatment_from(row) for row in connection.execute(select(*TREATMENT_COLUMNS))}
    found += [treatment_entries(treatment)[0] for treatment in given.values()]
    for row in connection.execute(select(treatment_lots)):
        value = recall_value(given[row.consult_id], row.units)
        found.append(IndexEntry(index="lots", key=row.lot_key, item=row.consult_id, value=value))
    opened = connection.execute(select(vials.c.vial_id).where(vials.c.state == "open")).scalars()
    found += [vial_entry(vial_id) for vial_id in opened]
    return found + _register_entries(connection)


def rebuild(connection: Connection, event: Callable[[list[str]], AuditEvent]) -> list[str]:
    """Write every look-up again from the records (see the module docstring); returns what was wrong."""
    connection.execute(text("LOCK TABLE consults, vials, register IN EXCLUSIVE MODE"))
    latest = list(latest_records(connection))
    kept_vials = listing(connection, open_only=False)
    patients_kept = registered(connection)
    actual = entries(connection)
    kept = kept_names(actual)
    fixed = mismatches(expected_entries(latest, kept_vials, kept, patients_kept), actual)
    for patient in patients_kept:
        connection.execute(
            register.update().where(register.c.patient_key == patient.patient_key).values(**_register_columns(patient))
        )
    summaries = {row.consult_id: summary_from(row) for row in connection.execute(select(consults))}
    for record in latest:
        if summaries.get(record.consult_id) != ConsultSummary.of(record):
            connection.execute(
                consults.update().where(consults.c.consult_id == record.consult_id).values(**summary_values(record))
            )
    connection.execute(delete(patients))  # their name prefixes go with them (ON DELETE CASCADE)
    by_key = {record.patient_key: record for record in latest}
    for key, (name, number) in sorted(patient_names(latest, kept).items()):
        _keep_patient(connection, by_key[key].model_copy(update={"patient_name": name, "patient_id": number}))
    connection.execute(delete(treatments))  # their lots go with them (ON DELETE CASCADE)
    for record in latest:
        if treatment_of(record) is not None:
            _keep_treatment(connection, record)
    for vial in kept_vials:
        connection.execute(
            vials.update()
            .where(vials.c.vial_id == vial.vial_id, vials.c.state != vial.state)
            .values(state=values(vial)["state"])
        )
    append(connection, event(fixed))
    return fixed
