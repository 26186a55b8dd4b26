"""The audit trail in TinyDB files: 256 entries a file (``audit/000000.json``, ...), and
``audit/head.json`` holding the last entry's seq and hash.

Appending takes ``audit/.lock``, reads the head, writes the entry into its file, then the head: a
kill between the two leaves an entry the head does not name yet, which the next append (or
``audit verify``) sees and takes as the last one. Entries are never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, chain
from assistant.records.errors import DamagedDataFile
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import dump, locked, read_tables, write_atomic
from assistant.records.tinydb.layout import AUDIT_CHUNK, Layout, data_files

ENTRIES = "entries"
HEAD = "head"


class AuditLog:
    def __init__(self, layout: Layout, *, durable: bool, lock_timeout: float) -> None:
        self.layout = layout
        self.durable = durable
        self.lock_timeout = lock_timeout

    def head(self) -> tuple[int, str] | None:
        tables = read_tables(self.layout.audit_head)
        if tables is None:
            return None
        document = (tables.get(HEAD) or {}).get("1")
        if (
            not isinstance(document, dict)
            or not isinstance(document.get("seq"), int)
            or not isinstance(document.get("hash"), str)
        ):
            raise DamagedDataFile(self.layout.audit_head, "no valid head entry")
        return document["seq"], document["hash"]

    def _entries_in(self, seq: int) -> dict[str, Any]:
        path = self.layout.audit_chunk(seq)
        return dict((read_tables(path) or {}).get(ENTRIES) or {})

    def last(self) -> AuditEntry | None:
        """The last entry, found from the head (and past it, for an entry a kill left unnamed)."""
        head = self.head()
        seq = head[0] if head else 0
        entry: AuditEntry | None = None
        if seq:
            document = self._entries_in(seq).get(str(seq))
            if document is None:
                raise DamagedDataFile(self.layout.audit_chunk(seq), f"audit entry {seq}, named by the head, is missing")
            entry = converters.audit_from_document(document, self.layout.audit_chunk(seq))
        following = self._entries_in(seq + 1).get(str(seq + 1))
        if following is not None:
            entry = converters.audit_from_document(following, self.layout.audit_chunk(seq + 1))
        return entry

    def append(self, event: AuditEvent) -> AuditEntry:
        """Chain ``event`` after the last entry (under the trail's lock)."""
        with locked(self.layout.audit, self.lock_timeout):
            entry = chain(self.last(), event)
            self.write(entry)
            return entry

    def write(self, entry: AuditEntry) -> None:
        """Write an entry already chained after the last one; the caller holds the trail's lock."""
        path = self.layout.audit_chunk(entry.seq)
        tables = read_tables(path) or {}
        entries = dict(tables.get(ENTRIES) or {})
        entries[str(entry.seq)] = converters.audit_document(entry)
        write_atomic(path, dump({ENTRIES: entries}), durable=self.durable)
        write_atomic(
            self.layout.audit_head,
            dump({HEAD: {"1": {"seq": entry.seq, "hash": entry.hash}}}),
            durable=self.durable,
        )

    def entry(self, seq: int) -> AuditEntry | None:
        document = self._entries_in(seq).get(str(seq))
        return converters.audit_from_document(document, self.layout.audit_chunk(seq)) if document else None

    def entries(
        self, consult_id: str | None = None, damaged: list[DamagedDataFile] | None = None
    ) -> Iterator[AuditEntry]:
        """The entries in order. With ``damaged``, a file (or an entry in it) that cannot be read is
        put there and skipped, and the rest is still read (``audit verify``); else it is raised."""
        for path in sorted(data_files(self.layout.audit)):
            if path == self.layout.audit_head:
                continue
            try:
                documents = (read_tables(path) or {}).get(ENTRIES) or {}
            except DamagedDataFile as error:
                if damaged is None:
                    raise
                damaged.append(error)
                continue
            for seq in sorted(documents, key=_number):
                try:
                    entry = converters.audit_from_document(documents[seq], path)
                except DamagedDataFile as error:
                    if damaged is None:
                        raise
                    damaged.append(error)
                    continue
                if consult_id is None or entry.consult_id == consult_id:
                    yield entry

    def bulk_write(self, entries: list[AuditEntry]) -> None:
        """Write a whole trail at once into an empty folder (bulk loads)."""
        chunks: dict[int, dict[str, Any]] = {}
        for entry in entries:
            chunks.setdefault((entry.seq - 1) // AUDIT_CHUNK, {})[str(entry.seq)] = converters.audit_document(entry)
        for number, documents in chunks.items():
            write_atomic(self.layout.audit / f"{number:06d}.json", dump({ENTRIES: documents}), durable=False)
        if entries:
            last = entries[-1]
            write_atomic(
                self.layout.audit_head, dump({HEAD: {"1": {"seq": last.seq, "hash": last.hash}}}), durable=False
            )


def _number(key: str) -> int:
    """An entry's place in its file: its number (a key that is not one sorts last, and is named by
    its document)."""
    return int(key) if key.isdigit() else 1 << 62
