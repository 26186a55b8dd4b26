"""Photos on the PostgreSQL server: one ``photos`` row per photo, its bytes and its thumbnail's in
``bytea`` columns, keyed by the SHA-256 of the photo as it was added.

The rows are written in the same transaction as the record version that names them (``add_with_photos``), so
the server never holds a version naming a photo it lacks, nor a photo of a version rolled back. A
row is written once (the same photo added again keeps the first row); the workstations' role may
insert and read them, not change them, and ``audit verify`` re-hashes each row against the record.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects.postgresql import insert

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.photo_rules import PhotoBytes
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records.postgres import consults as consult_rows
from assistant.records.postgres.schema import photos as photo_table


def add_with_photos(
    engine: Engine, record: ConsultRecord, event: AuditEvent, photos: Sequence[PhotoBytes]
) -> ConsultRecord:
    """The photos' rows and the version naming them, in one transaction (nothing when either fails)."""
    with engine.begin() as connection:
        put_rows(connection, record.consult_id, photos)
        return consult_rows.save(connection, record, event, ())


def put_rows(connection: Connection, consult_id: str, photos: Sequence[PhotoBytes]) -> None:
    """A row per photo, in the caller's transaction; a photo the server holds already keeps its row."""
    for photo in photos:
        connection.execute(
            insert(photo_table)
            .values(
                sha256=photo.sha256,
                consult_id=consult_id,
                media_type=photo.media_type,
                data=photo.data,
                thumbnail=photo.thumbnail,
            )
            .on_conflict_do_nothing(index_elements=["sha256"])
        )


def photo_of(engine: Engine, sha256: str) -> PhotoBytes | None:
    """The photo's row as it is now (an edited row reads as edited), or None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(photo_table.c.media_type, photo_table.c.data, photo_table.c.thumbnail).where(
                photo_table.c.sha256 == sha256
            )
        ).first()
    if row is None:
        return None
    return PhotoBytes(sha256=sha256, media_type=row.media_type, data=bytes(row.data), thumbnail=bytes(row.thumbnail))
