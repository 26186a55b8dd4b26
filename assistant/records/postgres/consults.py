"""Consults on the server: a version and everything that indexes it, in one transaction (the
look-ups that read them are in ``look_ups.py``).

``save`` locks the consult's row (``SELECT ... FOR UPDATE``), so two workstations changing one
consult take turns and the second sees the first's version (``VersionConflict``: no lost update).
A first version has no row to lock: it is one statement (``first_save.py``), its id already taken
being a conflict. The audit entry is appended in the same transaction, under the head row's lock
(``audit.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, delete, func, select, text

from assistant.core.lifecycle.audit import AuditEvent, record_sha
from assistant.core.lifecycle.ids import name_tokens
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import Treatment, treatment_of
from assistant.core.lifecycle.vials import lot_key
from assistant.records.errors import DamagedDataFile, DamagedRecord, VersionConflict
from assistant.records.postgres.audit import append
from assistant.records.postgres.first_save import SAME_PATIENT, insert_first, prefixes_of, summary_values
from assistant.records.postgres.schema import (
    consult_versions,
    consults,
    name_prefixes,
    patients,
    treatment_lots,
    treatments,
)
from assistant.records.postgres.vials import draw


def record_from(row_record: Any, consult_id: str, version: int) -> ConsultRecord:
    try:
        return ConsultRecord.model_validate(row_record)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DamagedRecord(
            f"consult {consult_id} version {version} on the record server", f"{where}: {first['msg']}"
        ) from None


def version_of(connection: Connection, consult_id: str, version: int) -> ConsultRecord | None:
    row = connection.execute(
        select(consult_versions.c.record).where(
            consult_versions.c.consult_id == consult_id, consult_versions.c.version == version
        )
    ).first()
    return record_from(row.record, consult_id, version) if row else None


def every_version(connection: Connection, consult_id: str) -> list[ConsultRecord]:
    rows = connection.execute(
        select(consult_versions.c.record, consult_versions.c.version)
        .where(consult_versions.c.consult_id == consult_id)
        .order_by(consult_versions.c.version)
    )
    return [record_from(r.record, consult_id, r.version) for r in rows]


def version_hashes(connection: Connection, damaged: list[DamagedDataFile] | None) -> Iterator[tuple[str, int, str]]:
    """(consult id, version, hash) of every version as the table holds it now, streamed."""
    query = select(consult_versions.c.consult_id, consult_versions.c.version, consult_versions.c.record)
    for row in connection.execution_options(yield_per=1000).execute(
        query.order_by(consult_versions.c.consult_id, consult_versions.c.version)
    ):
        try:
            record = record_from(row.record, row.consult_id, row.version)
        except DamagedRecord as error:
            if damaged is None:
                raise
            damaged.append(error)
            continue
        yield row.consult_id, row.version, record_sha(record)


def summary_from(row: Any) -> ConsultSummary:
    return ConsultSummary(
        consult_id=row.consult_id,
        patient_key=row.patient_key,
        patient_name=row.patient_name,
        patient_id=row.patient_id,
        date=row.date,
        status=row.status,
        total_units=row.total_units,
        zones=tuple(row.zones),
        staff=row.staff,
        state=row.state,
        version=row.version,
        given_units=row.given_units,
        given_on=row.given_on,
        to_sign=row.to_sign,
    )


def latest(connection: Connection, consult_id: str, *, lock: bool = False) -> ConsultRecord | None:
    """The newest version; ``lock`` first takes the consult's row lock (waiting for another
    workstation's change to commit), then reads what was committed, so the caller sees its result."""
    if lock:
        connection.execute(select(consults.c.version).where(consults.c.consult_id == consult_id).with_for_update())
    row = connection.execute(
        select(consult_versions.c.record, consults.c.version)
        .join(consults, consults.c.consult_id == consult_versions.c.consult_id)
        .where(consult_versions.c.consult_id == consult_id, consult_versions.c.version == consults.c.version)
    ).first()
    return record_from(row.record, consult_id, row.version) if row else None


def save(
    connection: Connection, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]]
) -> ConsultRecord:
    if record.version == 1:  # one statement (``first_save``), then the audit entry
        inserted, renamed = insert_first(connection, record)
        if not inserted:
            raise VersionConflict(record.consult_id, 1, latest(connection, record.consult_id))
        if renamed:
            _write_prefixes(connection, record)
        draw(connection, draws)
        append(connection, event)
        return record
    current = latest(connection, record.consult_id, lock=True)
    values = summary_values(record)
    if current is None or current.version != record.version - 1:
        raise VersionConflict(record.consult_id, record.version, current)
    connection.execute(consults.update().where(consults.c.consult_id == record.consult_id).values(**values))
    connection.execute(
        consult_versions.insert().values(
            consult_id=record.consult_id,
            version=record.version,
            record=record.model_dump(mode="json"),
            record_sha=record_sha(record),
        )
    )
    _keep_patient(connection, record)
    if current is not None and current.patient_key != record.patient_key:
        _forget_patient_if_empty(connection, current.patient_key)
    draw(connection, draws)
    _keep_treatment(connection, record)
    append(connection, event)
    return record


def _keep_patient(connection: Connection, record: ConsultRecord) -> None:
    """The patient's row, and her name prefixes only when she is new or her name or number changed;
    left alone (not even locked) when it already names her so (``first_save.SAME_PATIENT``)."""
    words = " ".join(name_tokens(record.patient_name))
    fields = {"patient_key": record.patient_key, "patient_name": record.patient_name}
    fields |= {"patient_id": record.patient_id, "words": words}
    if connection.execute(_KEEP_PATIENT, fields).first() is not None:
        _write_prefixes(connection, record)


_KEEP_PATIENT = text(f"""
INSERT INTO patients AS old (patient_key, patient_name, patient_id, words)
SELECT :patient_key, :patient_name, :patient_id, :words WHERE NOT EXISTS ({SAME_PATIENT})
ON CONFLICT (patient_key) DO UPDATE
  SET patient_name = EXCLUDED.patient_name, patient_id = EXCLUDED.patient_id, words = EXCLUDED.words
  WHERE (old.patient_name, old.patient_id, old.words)
        IS DISTINCT FROM (EXCLUDED.patient_name, EXCLUDED.patient_id, EXCLUDED.words)
RETURNING patient_key
""")


def _write_prefixes(connection: Connection, record: ConsultRecord) -> None:
    words = " ".join(name_tokens(record.patient_name))
    connection.execute(delete(name_prefixes).where(name_prefixes.c.patient_key == record.patient_key))
    prefixes = prefixes_of(words)
    if prefixes:
        connection.execute(
            name_prefixes.insert(),
            [
                {
                    "patient_key": record.patient_key,
                    "prefix": prefix,
                    "words": words,
                    "id_order": record.patient_id or "",
                    "patient_name": record.patient_name,
                    "patient_id": record.patient_id,
                }
                for prefix in prefixes
            ],
        )


def _forget_patient_if_empty(connection: Connection, key: str) -> None:
    left = connection.execute(select(func.count()).select_from(consults).where(consults.c.patient_key == key)).scalar()
    if not left:
        connection.execute(delete(patients).where(patients.c.patient_key == key))


def _keep_treatment(connection: Connection, record: ConsultRecord) -> None:
    connection.execute(delete(treatments).where(treatments.c.consult_id == record.consult_id))
    treatment = treatment_of(record)
    if treatment is None:
        return
    connection.execute(treatments.insert().values(**treatment_values(treatment)))
    units: dict[str, float] = {}
    for lot, amount in treatment.lots.items():
        if lot:
            units[lot_key(lot)] = units.get(lot_key(lot), 0.0) + amount
    if units:
        connection.execute(
            treatment_lots.insert(),
            [
                {"lot_key": key, "consult_id": record.consult_id, "units": amount, "date": treatment.date}
                for key, amount in sorted(units.items())
            ],
        )


def treatment_values(treatment: Treatment) -> dict[str, Any]:
    return {
        "consult_id": treatment.consult_id,
        "patient_key": treatment.patient_key,
        "patient_name": treatment.patient_name,
        "patient_id": treatment.patient_id,
        "date": treatment.date,
        "kind": treatment.kind,
        "zones": list(treatment.zones),
        "units": treatment.units,
        "given_by": treatment.given_by,
        "lots": treatment.lots,
        "review_only": treatment.review_only,
    }


def treatment_from(row: Any, lots: bool = True) -> Treatment:
    """A row as a treatment, checked like any other: with pydantic 2.14 checking the fields is about
    twice as fast as ``model_construct`` (12 against 25 us a treatment), which a due page reads 64 of."""
    return Treatment(
        consult_id=row.consult_id,
        patient_key=row.patient_key,
        patient_name=row.patient_name,
        patient_id=row.patient_id,
        date=row.date,
        kind=row.kind,
        zones=tuple(row.zones),
        units=row.units,
        given_by=row.given_by,
        lots=row.lots if lots else {},
        review_only=row.review_only,
    )


TREATMENT_COLUMNS = [c for c in treatments.c if c.name in Treatment.model_fields]
SLIM_TREATMENT_COLUMNS = [c for c in TREATMENT_COLUMNS if c.name != "lots"]
"""A treatment without its units per lot: who is due reads thousands, and needs no lots."""
