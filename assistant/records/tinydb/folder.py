"""A TinyDB data folder's parts: where each file is and the objects that read and write them.

``TinyDBStore`` is a ``DataFolder`` with the repository's methods on top. The modules that do the
store's longer work (``saving``, ``journal``, ``bulk``, ``staff_changes``, ``vial_saving``,
``index_files``) are handed a ``DataFolder`` and import it from here, never the store: the store
imports them, so none of them imports it back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from assistant import locations
from assistant.core.lifecycle.audit import record_sha
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records.errors import DamagedDataFile, DataFolderUnusable
from assistant.records.tinydb.approvals_seen import ApprovalsSeen
from assistant.records.tinydb.atomic import confine, read_tables
from assistant.records.tinydb.audit_log import AuditLog
from assistant.records.tinydb.converters import versions_in
from assistant.records.tinydb.drafts import DraftFiles
from assistant.records.tinydb.layout import MONTH, Layout, data_files
from assistant.records.tinydb.patients import Patients
from assistant.records.tinydb.photo_files import PhotoFiles
from assistant.records.tinydb.register_files import Register
from assistant.records.tinydb.staff_file import StaffFile
from assistant.records.tinydb.tracing_files import TracingFiles
from assistant.records.tinydb.vial_files import VialFiles


class DataFolder:
    """The folder's layout and its files' readers and writers, built once per opening."""

    def __init__(self, data_dir: Path | str | None = None, *, durable: bool = True, lock_timeout: float = 30.0):
        """``durable=False`` skips fsync (tests, bulk loads): still atomic, but not power-cut proof."""
        self.data_dir = Path(data_dir) if data_dir is not None else locations.user_data_dir()
        confine(self.data_dir)  # no link and no folder open to others is followed below it
        self.durable = durable
        self.lock_timeout = lock_timeout
        self.layout = Layout(self.data_dir)
        self.patients = Patients(self.layout, durable=durable, lock_timeout=lock_timeout)
        self.audit = AuditLog(self.layout, durable=durable, lock_timeout=lock_timeout)
        self.approvals = ApprovalsSeen(self.layout)
        self.staff_file = StaffFile(self.layout, durable=durable)
        self.draft_files = DraftFiles(self.layout, durable=durable, lock_timeout=lock_timeout)
        self.vial_files = VialFiles(self.layout, durable=durable)
        self.tracing = TracingFiles(self.layout, durable=durable, lock_timeout=lock_timeout)
        self.register = Register(self.layout.register, self.patients, self.audit, durable, lock_timeout)
        self.photo_files = PhotoFiles(self.layout, durable=durable)

    def consult_paths(self) -> Iterator[Path]:
        """Every consult file, oldest month first (imports, ``audit verify``)."""
        months = sorted(os.listdir(self.layout.consults)) if self.layout.consults.is_dir() else []
        for month in months:
            if MONTH.match(month):
                yield from sorted(data_files(self.layout.consults / month))

    def versions_at(self, path: Path) -> list[ConsultRecord]:
        """The versions in one consult file (``DamagedDataFile`` when it cannot be read)."""
        return versions_in(read_tables(path), path)

    def latest_records(self) -> Iterator[ConsultRecord]:
        """The latest version of every consult, read from the consult files (not an index)."""
        try:
            for path in self.consult_paths():
                yield self.versions_at(path)[-1]
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error

    def version_hashes(self, damaged: list[DamagedDataFile] | None = None) -> Iterator[tuple[str, int, str]]:
        """(consult id, version, content hash) of every version kept (``ConsultRepository.version_hashes``)."""
        try:
            for path in self.consult_paths():
                try:
                    records = self.versions_at(path)
                except DamagedDataFile as error:
                    if damaged is None:
                        raise
                    damaged.append(error)
                    continue
                for record in records:
                    yield record.consult_id, record.version, record_sha(record)
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error
