"""The consult record: finished consults, returning patients and drafts, behind one small interface.

Use ``open_repository(data_dir)`` and the ``ConsultRepository`` methods; the models are in
``assistant.records.models`` and the errors in ``assistant.records.errors``.
"""

from __future__ import annotations

from pathlib import Path

from assistant.records.errors import ConsultNotFound, DamagedDataFile, DataFolderUnusable, RecordsError, StoreBusy
from assistant.records.models import (
    ConsultRecord,
    ConsultSummary,
    Draft,
    PatientHistory,
    PatientMatch,
    PriorTreatment,
    new_record_id,
    patient_key,
)
from assistant.records.repository import ConsultRepository, patient_history, prior_treatment, require
from assistant.records.tinydb.store import TinyDBConsultStore

__all__ = [
    "ConsultNotFound",
    "ConsultRecord",
    "ConsultRepository",
    "ConsultSummary",
    "DamagedDataFile",
    "DataFolderUnusable",
    "Draft",
    "PatientHistory",
    "PatientMatch",
    "PriorTreatment",
    "RecordsError",
    "StoreBusy",
    "TinyDBConsultStore",
    "new_record_id",
    "open_repository",
    "patient_history",
    "patient_key",
    "prior_treatment",
    "require",
]


def open_repository(data_dir: Path | str | None = None) -> ConsultRepository:
    """The consult record in ``data_dir`` (``--data-dir``), by default the user's data directory."""
    return TinyDBConsultStore(data_dir)
