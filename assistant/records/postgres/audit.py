"""The audit trail on the server: appended under the head row's lock, in the caller's transaction.

Two workstations appending at once take turns on ``audit_head`` (``SELECT ... FOR UPDATE``), so the
chain stays one line; the change and its entry commit together or not at all. The rows themselves
cannot be updated or deleted (a trigger, see the first migration).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select

from assistant.core.lifecycle.audit import SCRIPT_APPROVED, AuditEntry, AuditEvent, chain_after
from assistant.records.errors import DamagedDataFile, DamagedRecord, SchemaOutdated
from assistant.records.postgres.schema import SCHEMA_VERSION, audit, audit_head


def append(connection: Connection, event: AuditEvent) -> AuditEntry:
    head = connection.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
    ).first()
    if head is None:
        raise SchemaOutdated("the record server", "without its audit head", SCHEMA_VERSION)
    entry = chain_after((head.seq, head.hash), event)
    written = audit.insert().values(**entry.model_dump()).cte("written")  # entry and head: one round trip
    connection.execute(
        audit_head.update().where(audit_head.c.id == 1).values(seq=entry.seq, hash=entry.hash).add_cte(written)
    )
    return entry


def entry_from(row: Any) -> AuditEntry:
    try:
        return AuditEntry.model_validate(row._mapping)
    except ValidationError as error:
        raise DamagedRecord(f"audit entry {row.seq} on the record server", error.errors()[0]["msg"]) from None


def entries(
    connection: Connection, consult_id: str | None, damaged: list[DamagedDataFile] | None = None
) -> Iterator[AuditEntry]:
    """The rows in order; with ``damaged``, a row that does not read back as an entry is put there
    and skipped (``audit verify`` goes on), else it is raised."""
    query = select(audit).order_by(audit.c.seq)
    if consult_id is not None:
        query = query.where(audit.c.consult_id == consult_id)
    for row in connection.execution_options(yield_per=2000).execute(query):
        try:
            entry = entry_from(row)
        except DamagedRecord as error:
            if damaged is None:
                raise
            damaged.append(error)
            continue
        yield entry


def approval(connection: Connection, sha256: str) -> AuditEntry | None:
    """The latest approval of a script file by its bytes' SHA-256 (the partial index ``audit_script_approved``)."""
    row = connection.execute(
        select(audit)
        .where(audit.c.action == SCRIPT_APPROVED, audit.c.data["sha256"].astext == sha256)
        .order_by(audit.c.seq.desc())
        .limit(1)
    ).first()
    return None if row is None else entry_from(row)


def head(connection: Connection) -> tuple[int, str] | None:
    row = connection.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).first()
    return (row.seq, row.hash) if row and row.seq else None
