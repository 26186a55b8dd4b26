"""The audit trail on the server: appended under the head row's lock, in the caller's transaction.

Two workstations appending at once take turns on ``audit_head`` (``SELECT ... FOR UPDATE``), so the
chain stays one line; the change and its entry commit together or not at all. The rows themselves
cannot be updated or deleted (a trigger, see the first migration).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, chain_after
from assistant.records.errors import SchemaOutdated
from assistant.records.postgres.schema import SCHEMA_VERSION, audit, audit_head


def append(connection: Connection, event: AuditEvent) -> AuditEntry:
    head = connection.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
    ).first()
    if head is None:
        raise SchemaOutdated("the record server", "without its audit head", SCHEMA_VERSION)
    entry = chain_after((head.seq, head.hash), event)
    connection.execute(audit.insert().values(**entry.model_dump()))
    connection.execute(audit_head.update().where(audit_head.c.id == 1).values(seq=entry.seq, hash=entry.hash))
    return entry


def entry_from(row: Any) -> AuditEntry:
    return AuditEntry.model_validate(row._mapping)


def entries(connection: Connection, consult_id: str | None) -> Iterator[AuditEntry]:
    query = select(audit).order_by(audit.c.seq)
    if consult_id is not None:
        query = query.where(audit.c.consult_id == consult_id)
    for row in connection.execution_options(yield_per=2000).execute(query):
        yield entry_from(row)


def head(connection: Connection) -> tuple[int, str] | None:
    row = connection.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).first()
    return (row.seq, row.hash) if row and row.seq else None
