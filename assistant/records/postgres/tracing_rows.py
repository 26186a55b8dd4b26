"""Treatments on the server as recall and who-is-due read them: by lot, by date, by patient, and
in pages (keyset: ordered by (date, consult id), each page an index range read after the key of
the last row before; the indexes are in ``schema.py`` and migration 0004)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, Text, any_, bindparam, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY

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


def after(connection: Connection, start: DayKey, end: dt.date, limit: int, full_only: bool) -> list[Treatment]:
    """Treatments after ``start`` (date, consult id) and dated up to ``end``, in that order, at most
    ``limit`` (without their units per lot)."""
    t = treatments.c
    query = select(*SLIM_TREATMENT_COLUMNS).where(tuple_(t.date, t.consult_id) > tuple_(*start), t.date <= end)
    if full_only:
        query = query.where(t.kind == "full")
    rows = connection.execute(query.order_by(t.date, t.consult_id).limit(limit))
    return [treatment_from(r, lots=False) for r in rows]
