"""Drafts on the server: unfinished consults, one row each, kept until the consult is saved."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from assistant.core.lifecycle.listing import Draft
from assistant.records.errors import DamagedDataFile, DamagedRecord
from assistant.records.postgres.schema import drafts


def draft_from(draft_id: str, document: object) -> Draft:
    try:
        return Draft.model_validate(document)
    except ValidationError as error:
        raise DamagedRecord(f"draft {draft_id} on the record server", error.errors()[0]["msg"]) from None


def put(connection: Connection, draft: Draft) -> str:
    document = draft.model_dump(mode="json")
    connection.execute(
        insert(drafts)
        .values(draft_id=draft.draft_id, updated_at=draft.updated_at, draft=document)
        .on_conflict_do_update(index_elements=["draft_id"], set_={"updated_at": draft.updated_at, "draft": document})
    )
    return draft.draft_id


def get(connection: Connection, draft_id: str) -> Draft | None:
    row = connection.execute(select(drafts.c.draft).where(drafts.c.draft_id == draft_id)).first()
    return draft_from(draft_id, row.draft) if row else None


def listing(connection: Connection) -> tuple[list[Draft], list[DamagedDataFile]]:
    """Every readable draft, newest first, and the damaged ones named."""
    found: list[Draft] = []
    damaged: list[DamagedDataFile] = []
    rows = connection.execute(select(drafts.c.draft_id, drafts.c.draft).order_by(drafts.c.updated_at.desc()))
    for row in rows:
        try:
            found.append(draft_from(row.draft_id, row.draft))
        except DamagedRecord as error:
            damaged.append(error)
    return found, damaged


def delete(connection: Connection, draft_id: str) -> bool:
    return bool(connection.execute(drafts.delete().where(drafts.c.draft_id == draft_id)).rowcount)
