"""Treatments on the server as recall and who-is-due read them: by lot, by date, by patient, and
in pages (keyset: ordered by (date, consult id), each page an index range read after the key of
the last row before; the indexes are in ``schema.py`` and migration 0004)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    String,
    Text,
    any_,
    bindparam,
    func,
    literal,
    select,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import NullType

from assistant.core.lifecycle.due_pages import BatchAsked, TreatmentBatch
from assistant.core.lifecycle.pages import DayKey
from assistant.core.lifecycle.tracing import RecallRow, Treatment
from assistant.core.lifecycle.vials import lot_key
from assistant.records.postgres.consults import SLIM_TREATMENT_COLUMNS, TREATMENT_COLUMNS, treatment_from
from assistant.records.postgres.schema import treatment_lots, treatments


def recall(connection: Connection, lot: str, before: DayKey | None = None, limit: int | None = None) -> list[RecallRow]:
    """Who received ``lot``, newest first; with ``before``, only rows older than that key."""
    t, lots = treatments.c, treatment_lots.c
    query = (
        select(t.patient_name, t.patient_id, t.consult_id, t.date, t.zones, t.given_by, lots.units)
        .join(treatment_lots, lots.consult_id == t.consult_id)
        .where(lots.lot_key == lot_key(lot))
        .order_by(lots.date.desc(), lots.consult_id.desc())
    )
    if before is not None:
        query = query.where(tuple_(lots.date, lots.consult_id) < tuple_(*before))
    if limit is not None:
        query = query.limit(limit)
    return [
        RecallRow.model_construct(
            patient_name=r.patient_name,
            patient_id=r.patient_id,
            consult_id=r.consult_id,
            date=r.date,
            zones=tuple(r.zones),
            units=r.units,
            given_by=r.given_by,
        )
        for r in connection.execute(query)
    ]


def between(connection: Connection, start: dt.date, end: dt.date, lots: bool) -> list[Treatment]:
    columns = TREATMENT_COLUMNS if lots else SLIM_TREATMENT_COLUMNS
    rows = connection.execute(select(*columns).where(treatments.c.date.between(start, end)))
    return [treatment_from(r, lots) for r in rows]


def of_patients(connection: Connection, patient_keys: Sequence[str], start: dt.date, end: dt.date) -> list[Treatment]:
    if not patient_keys:
        return []
    rows = connection.execute(
        select(*SLIM_TREATMENT_COLUMNS).where(
            treatments.c.patient_key == any_(bindparam("keys", list(patient_keys), type_=ARRAY(Text))),
            treatments.c.date.between(start, end),
        )
    )
    return [treatment_from(r, lots=False) for r in rows]


def _due_batch_statement(full_only: bool, later: bool) -> Any:
    """The statement of ``due_batch``, built once (its values are bound parameters): building it
    cost more than running it. Without ``later``, the batch alone."""
    t = treatments.c
    start = tuple_(bindparam("start_date", type_=Date), bindparam("start_id", type_=String))
    query = select(*SLIM_TREATMENT_COLUMNS).where(
        tuple_(t.date, t.consult_id) > start, t.date <= bindparam("end", type_=Date)
    )
    if full_only:
        query = query.where(t.kind == "full")
    query = query.order_by(t.date, t.consult_id).limit(bindparam("limit", type_=Integer))
    if not later:
        return select(literal(True).label("in_batch"), *(_as_driver_gives(c) for c in query.subquery().c))
    batch = query.cte("batch")
    other = treatments.alias("other")
    later = select(literal(False).label("in_batch"), *(other.c[c.name] for c in SLIM_TREATMENT_COLUMNS)).where(
        other.c.patient_key.in_(select(batch.c.patient_key)),
        other.c.date >= select(func.min(batch.c.date)).scalar_subquery(),
        other.c.date <= bindparam("until", type_=Date),
    )
    first = select(literal(True).label("in_batch"), *(_as_driver_gives(c) for c in batch.c))
    return union_all(first, later)


def _as_driver_gives(column: Any) -> Any:
    """An array column read as psycopg gives it (a list), without SQLAlchemy's per-item result
    processing: a due page reads hundreds of treatments, and that copying was a tenth of its time."""
    if isinstance(column.type, ARRAY):
        return type_coerce(column, NullType()).label(column.name)
    return column


_DUE_BATCH = {(full, later): _due_batch_statement(full, later) for full in (False, True) for later in (False, True)}


def due_batch(connection: Connection, asked: BatchAsked, limit: int, later_until: dt.date) -> TreatmentBatch:
    """See ``ConsultRepository.due_batches``: one statement, the batch an index range of
    ``treatments_order`` and its patients' other treatments read through ``treatments_patient``."""
    values = {
        "start_date": asked.start[0],
        "start_id": asked.start[1],
        "end": asked.end,
        "limit": limit,
        "until": later_until,
    }
    rows, others = [], []
    for row in connection.execute(_DUE_BATCH[asked.full_only, asked.later], values):
        (rows if row.in_batch else others).append(treatment_from(row, lots=False))
    rows.sort(key=lambda treatment: (treatment.date, treatment.consult_id))
    return TreatmentBatch(rows, others)
