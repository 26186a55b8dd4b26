"""The TinyDB store's long lists, whole or a page at a time: a patient's history, the recent
consults, the "to sign" list, recall by lot and the treatments who-is-due reads.

Each list is read from the small files that index it (a patient's index, the "to sign" file, a lot's
file, a day's treatments), so a page costs what its files cost; keys are (date, consult id) as on
the server (``core.lifecycle.pages``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from assistant.core.lifecycle.due_pages import BatchAsked, TreatmentBatch
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.pages import DayKey
from assistant.core.lifecycle.tracing import RecallRow, Treatment, recall_rows
from assistant.records.errors import DamagedDataFile
from assistant.records.repository import Listing
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import table_file
from assistant.records.tinydb.converters import WAITING
from assistant.records.tinydb.folder import DataFolder
from assistant.records.tinydb.layout import MONTH, data_files
from assistant.records.tinydb.tracing_files import TREATMENTS, read_treatments


def history(
    folder: DataFolder, patients: Sequence[str], before: DayKey | None = None, limit: int | None = None
) -> list[ConsultSummary]:
    """The consults of every patient each of ``patients`` names, newest first, older than ``before``."""
    keys = sorted({key for patient in patients for key in folder.patients.resolve(patient)})
    found = {s.consult_id: s for key in keys for s in folder.patients.summaries(key)}
    rows = sorted(found.values(), key=ConsultSummary.sort_key, reverse=True)
    if before is not None:
        rows = [s for s in rows if s.sort_key() < before]
    return rows if limit is None else rows[:limit]


def recent(folder: DataFolder, limit: int, before: str | None = None) -> Listing:
    """The newest consults by id (their start), from the consult files; damaged ones named."""
    listing = Listing([], [])
    try:
        months = sorted((m for m in os.listdir(folder.layout.consults) if MONTH.match(m)), reverse=True)
    except FileNotFoundError:
        return listing
    for month in months:
        names = sorted((p.stem for p in data_files(folder.layout.consults / month)), reverse=True)
        for consult_id in names:
            if before is not None and consult_id >= before:
                continue
            if len(listing.rows) >= limit:
                return listing
            try:
                path = folder.layout.consult_path(consult_id)
                versions = folder.versions_at(path)
            except DamagedDataFile as damaged:
                listing.damaged.append(damaged)
                continue
            if versions:
                listing.rows.append(ConsultSummary.of(versions[-1]))
    return listing


def to_sign(
    folder: DataFolder, after: DayKey | None = None, limit: int | None = None, table: str = WAITING
) -> list[ConsultSummary]:
    """What waits for a signature (``table=TO_GIVE``: to be given), oldest first, after ``after``."""
    path = folder.layout.to_sign_file
    with table_file(path, durable=folder.durable) as db:
        rows = sorted(
            (converters.summary_from_document(d, path) for d in db.table(table).all()), key=ConsultSummary.sort_key
        )
    if after is not None:
        rows = [s for s in rows if s.sort_key() > after]
    return rows if limit is None else rows[:limit]


def recall(folder: DataFolder, lot: str, before: DayKey | None = None, limit: int | None = None) -> list[RecallRow]:
    """Who received ``lot``, newest first, older than ``before`` (read from the lot's file)."""
    rows = recall_rows(folder.tracing.with_lot(lot), lot)
    if before is not None:
        rows = [r for r in rows if (r.date, r.consult_id) < before]
    return rows if limit is None else rows[:limit]


def due_batch(folder: DataFolder, asked: BatchAsked, limit: int, later_until: dt.date) -> TreatmentBatch:
    """See ``ConsultRepository.due_batches``: read a day file at a time."""
    rows = _treatments_after(folder, asked.start, asked.end, limit, asked.full_only)
    keys = {t.patient_key for t in rows}
    if not rows or not asked.later:
        return TreatmentBatch(rows, [])
    later = [t for t in folder.tracing.between(rows[0].date, later_until) if t.patient_key in keys]
    return TreatmentBatch(rows, later)


def _treatments_after(folder: DataFolder, start: DayKey, end: dt.date, limit: int, full_only: bool) -> list[Treatment]:
    found: list[Treatment] = []
    day = start[0]
    while day <= end and len(found) < limit:
        for treatment in sorted(
            read_treatments(folder.layout.treatments_path(day), TREATMENTS), key=lambda t: t.consult_id
        ):
            if (treatment.date, treatment.consult_id) > start and (not full_only or treatment.kind == "full"):
                found.append(treatment.model_copy(update={"lots": {}}))
        day += dt.timedelta(days=1)
    return found[:limit]
