"""The approvals of question scripts in a TinyDB trail, for the consult saves that ask for them.

Every consult kept says whether the script it ran was approved (issue 24.5), so every save asks. The
trail is read once, from its first file, and after that only the entries appended since (by this
program or another workstation sharing the folder): a save reads one audit file, not the whole trail.
Nothing is written: the answer is the trail's own, so ``audit verify`` of the trail covers it.
"""

from __future__ import annotations

import threading

from assistant.core.lifecycle.audit import SCRIPT_APPROVED, AuditEntry
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import read_tables
from assistant.records.tinydb.audit_log import ENTRIES
from assistant.records.tinydb.layout import Layout


class ApprovalsSeen:
    """The latest approval of each script (by its bytes' SHA-256) in the entries read so far, and how far that is."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.read_to = 0
        self.latest: dict[str, AuditEntry] = {}
        self.lock = threading.Lock()  # the UI saves from worker threads

    def approval(self, sha256: str) -> AuditEntry | None:
        with self.lock:
            self._read_new()
            return self.latest.get(sha256)

    def _read_new(self) -> None:
        """Read the entries after ``read_to``, file by file, until a file has none after it."""
        while True:
            path = self.layout.audit_chunk(self.read_to + 1)
            documents = (read_tables(path) or {}).get(ENTRIES) or {}
            after = sorted(int(key) for key in documents if key.isdigit() and int(key) > self.read_to)
            if not after:
                return
            for seq in after:
                document = documents[str(seq)]
                if isinstance(document, dict) and document.get("action") == SCRIPT_APPROVED:
                    entry = converters.audit_from_document(document, path)
                    sha256 = (entry.data or {}).get("sha256")
                    if isinstance(sha256, str):
                        self.latest[sha256] = entry
            self.read_to = after[-1]
