"""A save's journal: everything a consult's save will write, written (atomically) before the first write,
so that a save killed half-way is finished, or undone, the next time the data folder is opened.

A save changes many files (the consult's versions, the name index, the vials, the "to sign" list, the
lot and day indexes, the patient's index, the audit trail). A kill between two of them used to leave
``show`` saying GIVEN while ``history`` said planned and the units were not counted. Now the save
first writes ``journal/<consult id>.json`` holding the version, its audit entry already chained and
signed (the save holds the trail's lock until it is appended, so the entry's place is its own), the
vials before and after their draws, and the patient's name before; then it writes each file and last
the entry; then it removes the journal.

Every step (``apply``) is idempotent: it writes what the journal says should be there, whatever is
there now, so running it again after a kill at any point finishes the save, needing nobody's key. If
the trail moved on meanwhile (another program, opened before the kill, appended in the entry's place)
the signed entry cannot be placed, and ``recovery.revert`` undoes the save instead. Either way an audit event
("save recovered") says what was done. A journal only half written is a temporary file that never
became the journal (``.<name>`` beside it): the save it began wrote nothing, and it is left alone, as
every such file of the data folder is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.core.lifecycle.audit import GENESIS, AuditEntry, AuditEvent, chain
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.vials import Vial
from assistant.records.errors import DamagedDataFile
from assistant.records.tinydb.atomic import dump, read_tables, write_atomic

if TYPE_CHECKING:
    from assistant.records.tinydb.folder import DataFolder

FOLDER = "journal"
TABLE = "journal"


class Journal(BaseModel):
    """Everything one save writes, and what it replaces where an undo needs it."""

    model_config = ConfigDict(frozen=True)

    record: ConsultRecord
    previous: ConsultRecord | None
    entry: AuditEntry
    old_patient_name: str | None
    """The patient's name in her index before the save (None: a patient new to the index)."""
    renamed: bool
    """The name index changes (a new patient, or her name or number changed)."""
    vials_before: tuple[Vial, ...] = ()
    vials_after: tuple[Vial, ...] = ()


def folder(store: DataFolder) -> Path:
    return store.layout.data_dir / FOLDER


def path_of(store: DataFolder, consult_id: str) -> Path:
    return folder(store) / f"{consult_id}.json"


def write(store: DataFolder, journal: Journal) -> Path:
    path = path_of(store, journal.record.consult_id)
    write_atomic(path, dump({TABLE: {"1": journal.model_dump(mode="json")}}), durable=store.durable)
    return path


def remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def read(path: Path) -> Journal | None:
    """The journal at ``path`` (None: gone meanwhile); a damaged one raises ``DamagedDataFile``."""
    tables = read_tables(path)
    if tables is None:
        return None
    try:
        return Journal.model_validate((tables.get(TABLE) or {}).get("1"))
    except ValidationError as error:
        raise DamagedDataFile(path, f"not a save's journal: {error.errors()[0]['msg']}") from None


def settle(
    store: DataFolder,
    entry: AuditEntry,
    what: str,
    now: dt.datetime,
    finish: Callable[[], None],
    undo: Callable[[], None],
) -> tuple[str, bool]:
    """Finish a journalled save (its writes, then its entry) when its entry is in the trail or still
    fits at its end, else undo it; record which in the trail. The caller holds every lock the save held.
    (what was said, whether it was finished)"""
    last = store.audit.last()
    placed = _placed(store, entry)
    follows = (last.seq, last.hash) if last else (0, GENESIS)
    finished = placed or follows == (entry.seq - 1, entry.prev_hash)
    if finished:
        finish()
        if not placed:
            store.audit.write(entry)
        sentence = f"A save cut off half-way was finished: {what}."
    else:
        undo()
        sentence = f"A save cut off half-way was undone (the trail had moved on): {what} was not kept; do it again."
    store.audit.write(chain(store.audit.last(), AuditEvent(at=now, action="save recovered", detail=sentence)))
    return sentence, finished


def _placed(store: DataFolder, entry: AuditEntry) -> bool:
    found = store.audit.entry(entry.seq)
    return found is not None and found.hash == entry.hash
