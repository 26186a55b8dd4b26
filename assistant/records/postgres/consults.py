"""Consults on the server: a version and everything that indexes it, in one transaction; and the
look-ups (history, patients by id or name prefix, recent, to sign).

``save`` locks the consult's row (``SELECT ... FOR UPDATE``), so two workstations changing one
consult take turns and the second sees the first's version (``VersionConflict``: no lost update).
The audit entry is appended in the same transaction, under the head row's lock (``audit.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, and_, delete, func, literal, select, text
from sqlalchemy.dialects.postgresql import insert

from assistant.core.lifecycle.audit import AuditEvent, record_sha
from assistant.core.lifecycle.ids import is_patient_key, name_tokens, patient_key
from assistant.core.lifecycle.listing import ConsultSummary, PatientMatch
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import lot_key
from assistant.records.errors import DamagedRecord, VersionConflict
from assistant.records.postgres.audit import append
from assistant.records.postgres.schema import (
    consult_versions,
    consults,
    patient_words,
    patients,
    treatment_lots,
    treatments,
)
from assistant.records.postgres.vials import draw

SMALL_PREFIX = 2000
"""Name-word matches below which a search sorts them itself; above it, it walks the name index."""


def record_from(row_record: Any, consult_id: str, version: int) -> ConsultRecord:
    try:
        return ConsultRecord.model_validate(row_record)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DamagedRecord(
            f"consult {consult_id} version {version} on the record server", f"{where}: {first['msg']}"
        ) from None


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
        to_sign=row.to_sign,
    )


def _summary_values(record: ConsultRecord) -> dict[str, Any]:
    summary = ConsultSummary.of(record)
    return {
        "consult_id": summary.consult_id,
        "version": summary.version,
        "patient_key": summary.patient_key,
        "patient_name": summary.patient_name,
        "patient_id": summary.patient_id,
        "date": summary.date,
        "status": summary.status,
        "state": summary.state,
        "total_units": summary.total_units,
        "zones": list(summary.zones),
        "staff": summary.staff,
        "given_units": summary.given_units,
        "to_sign": summary.to_sign,
    }


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
    current = latest(connection, record.consult_id, lock=True)
    values = _summary_values(record)
    if record.version == 1:
        inserted = connection.execute(
            insert(consults)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["consult_id"])
            .returning(consults.c.consult_id)
        ).first()
        if current is not None or inserted is None:
            raise VersionConflict(record.consult_id, 1, latest(connection, record.consult_id))
    else:
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
    words = name_tokens(record.patient_name)
    connection.execute(
        insert(patients)
        .values(
            patient_key=record.patient_key,
            patient_name=record.patient_name,
            patient_id=record.patient_id,
            words=" ".join(words),
        )
        .on_conflict_do_update(
            index_elements=["patient_key"],
            set_={"patient_name": record.patient_name, "patient_id": record.patient_id, "words": " ".join(words)},
        )
    )
    connection.execute(delete(patient_words).where(patient_words.c.patient_key == record.patient_key))
    if words:
        connection.execute(
            insert(patient_words).on_conflict_do_nothing(),
            [{"patient_key": record.patient_key, "word": word} for word in dict.fromkeys(words)],
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
    connection.execute(
        treatments.insert().values(
            consult_id=record.consult_id,
            patient_key=treatment.patient_key,
            date=treatment.date,
            treatment=treatment.model_dump(mode="json"),
        )
    )
    keys = sorted({lot_key(lot) for lot in treatment.lots if lot})
    if keys:
        connection.execute(treatment_lots.insert(), [{"lot_key": k, "consult_id": record.consult_id} for k in keys])


# -- look-ups ---------------------------------------------------------------------------------------


def _like_prefix(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def name_matches(connection: Connection, text_query: str, limit: int | None) -> list[Any]:
    """Patients whose name words are started by every word of the query: exact names first, then by name."""
    words = name_tokens(text_query)
    if not words:
        return []
    wanted = " ".join(words)
    probe = max(words, key=len)
    candidates = connection.execute(
        select(patients.c.patient_key, patients.c.patient_name, patients.c.patient_id, patients.c.words)
        .join(patient_words, patient_words.c.patient_key == patients.c.patient_key)
        .where(patient_words.c.word.like(_like_prefix(probe), escape="\\"))
        .distinct()
        .limit(SMALL_PREFIX)
    ).all()
    if len(candidates) < SMALL_PREFIX or limit is None:
        if len(candidates) >= SMALL_PREFIX:  # all of a common prefix: no limit
            candidates = _all_with_prefix(connection, words)
        found = [row for row in candidates if all(f" {w}" in f" {row.words}" for w in words)]
        found.sort(key=lambda row: (row.words != wanted, row.words, row.patient_id or ""))
        return found if limit is None else found[:limit]
    exact = connection.execute(
        select(patients.c.patient_key, patients.c.patient_name, patients.c.patient_id, patients.c.words)
        .where(patients.c.words == wanted)
        .order_by(patients.c.patient_id)
        .limit(limit)
    ).all()
    conditions = [(literal(" ") + patients.c.words).like("% " + _like_prefix(w), escape="\\") for w in words]
    rest = connection.execute(
        select(patients.c.patient_key, patients.c.patient_name, patients.c.patient_id, patients.c.words)
        .where(and_(*conditions), patients.c.words != wanted)
        .order_by(patients.c.words, patients.c.patient_id)
        .limit(limit)
    ).all()
    return [*exact, *rest][:limit]


def _all_with_prefix(connection: Connection, words: list[str]) -> list[Any]:
    conditions = [(literal(" ") + patients.c.words).like("% " + _like_prefix(w), escape="\\") for w in words]
    return connection.execute(
        select(patients.c.patient_key, patients.c.patient_name, patients.c.patient_id, patients.c.words).where(
            and_(*conditions)
        )
    ).all()


def _patient_exists(connection: Connection, key: str) -> bool:
    return connection.execute(select(patients.c.patient_key).where(patients.c.patient_key == key)).first() is not None


def find_patients(connection: Connection, query: str, limit: int) -> list[PatientMatch]:
    text_query = query.strip()
    if not text_query:
        return []
    by_id = patient_key("", text_query)
    rows = []
    if _patient_exists(connection, by_id):
        rows += connection.execute(select(patients).where(patients.c.patient_key == by_id)).all()
    rows += [r for r in name_matches(connection, text_query, limit + 1) if r.patient_key != by_id]
    rows = rows[:limit]
    keys = [r.patient_key for r in rows]
    counts = {
        r.patient_key: (r.n, r.last)
        for r in connection.execute(
            select(consults.c.patient_key, func.count().label("n"), func.max(consults.c.date).label("last"))
            .where(consults.c.patient_key.in_(keys))
            .group_by(consults.c.patient_key)
        )
    }
    return [
        PatientMatch(
            patient_key=r.patient_key,
            patient_name=r.patient_name,
            patient_id=r.patient_id,
            consults=counts.get(r.patient_key, (0, None))[0],
            last_date=counts.get(r.patient_key, (0, None))[1],
        )
        for r in rows
        if r.patient_key in counts
    ]


def resolve(connection: Connection, patient: str) -> list[str]:
    if is_patient_key(patient):
        return [patient]
    text_query = patient.strip()
    if not text_query:
        return []
    by_id = patient_key("", text_query)
    if _patient_exists(connection, by_id):
        return [by_id]
    wanted = " ".join(name_tokens(text_query))
    exact = connection.execute(select(patients.c.patient_key).where(patients.c.words == wanted)).scalars().all()
    if exact:
        return list(exact)
    return [r.patient_key for r in name_matches(connection, text_query, None)]


def history(connection: Connection, patient: str) -> list[ConsultSummary]:
    keys = resolve(connection, patient)
    if not keys:
        return []
    rows = connection.execute(
        select(consults)
        .where(consults.c.patient_key.in_(keys))
        .order_by(consults.c.date.desc(), consults.c.consult_id.desc())
    )
    return [summary_from(row) for row in rows]


def last_for_patient(connection: Connection, key: str) -> ConsultRecord | None:
    consult_id = connection.execute(
        select(consults.c.consult_id)
        .where(consults.c.patient_key == key)
        .order_by(consults.c.date.desc(), consults.c.consult_id.desc())
        .limit(1)
    ).scalar()
    return latest(connection, consult_id) if consult_id else None


def recent(connection: Connection, limit: int) -> list[ConsultSummary]:
    rows = connection.execute(select(consults).order_by(consults.c.consult_id.desc()).limit(limit))
    return [summary_from(row) for row in rows]


def to_sign(connection: Connection) -> list[ConsultSummary]:
    rows = connection.execute(select(consults).where(text("to_sign")).order_by(consults.c.date, consults.c.consult_id))
    return [summary_from(row) for row in rows]
