"""The consult record: consults and their versions, drafts, staff and the audit trail, behind one
interface (``repository.ConsultRepository``).

Use ``open_repository(data_dir)``; the models are the core's (``assistant.core.lifecycle``) and the
errors are in ``assistant.records.errors``.
"""

from __future__ import annotations

from pathlib import Path

from assistant.core.lifecycle.ids import new_record_id, patient_key
from assistant.core.lifecycle.listing import ConsultSummary, Draft, PatientHistory, PatientMatch, PriorTreatment
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records.errors import (
    ConsultNotFound,
    DamagedDataFile,
    DataFolderUnusable,
    RecordsError,
    StaffConflict,
    StoreBusy,
    VersionConflict,
)
from assistant.records.repository import ConsultRepository, Listing, patient_history, prior_treatment, require
from assistant.records.tinydb.store import TinyDBStore

__all__ = [
    "ConsultNotFound",
    "ConsultRecord",
    "ConsultRepository",
    "ConsultSummary",
    "DamagedDataFile",
    "DataFolderUnusable",
    "Draft",
    "Listing",
    "PatientHistory",
    "PatientMatch",
    "PriorTreatment",
    "RecordsError",
    "StaffConflict",
    "StoreBusy",
    "TinyDBStore",
    "VersionConflict",
    "new_record_id",
    "open_repository",
    "patient_history",
    "patient_key",
    "prior_treatment",
    "require",
]


def open_repository(
    data_dir: Path | str | None = None, database: str | None = None, settings_url: str | None = None
) -> ConsultRepository:
    """The consult record: the server of ``database`` (or of the environment, or of the clinic
    settings' ``settings_url``), else the TinyDB folder ``data_dir`` (default: the user's data folder)."""
    from assistant.records.choose import open_store

    return open_store(Path(data_dir) if data_dir is not None else None, database, settings_url)
