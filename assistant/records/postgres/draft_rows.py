"""Drafts on the server: unfinished consults, one row each, kept until the consult is saved.

A draft's claim (``core.lifecycle.claims``) is its own column, checked and written under the
draft's transaction-scoped advisory lock: of two workstations resuming one draft at once (or
creating it), exactly one wins, the other is told who continues it."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert

from assistant.core.lifecycle.claims import Claim, refusal
from assistant.core.lifecycle.listing import Draft
from assistant.records.errors import DamagedDataFile, DamagedRecord
from assistant.records.postgres.schema import drafts


def draft_from(draft_id: str, document: object, claim: object = None) -> Draft:
    try:
        found = Draft.model_validate(document)
        return found.model_copy(update={"claim": Claim.model_validate(claim) if claim else None})
    except ValidationError as error:
        raise DamagedRecord(f"draft {draft_id} on the record server", error.errors()[0]["msg"]) from None


def put(connection: Connection, draft: Draft) -> str:
    """Keep ``draft`` (in the caller's transaction); ``DraftClaimed`` when another's claim holds."""
    connection.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"draft:{draft.draft_id}"))))
    kept = connection.execute(select(drafts.c.claim).where(drafts.c.draft_id == draft.draft_id)).first()
    stored = _claim(kept.claim) if kept else None
    if (refused := refusal(stored, draft.claim)) is not None:
        raise refused
    document = draft.model_dump(mode="json", exclude={"claim"})
    claim = draft.claim.model_dump(mode="json") if draft.claim else None
    connection.execute(
        insert(drafts)
        .values(draft_id=draft.draft_id, updated_at=draft.updated_at, draft=document, claim=claim)
        .on_conflict_do_update(
            index_elements=["draft_id"], set_={"updated_at": draft.updated_at, "draft": document, "claim": claim}
        )
    )
    return draft.draft_id


def _claim(value: object) -> Claim | None:
    """The claim kept; one that cannot be read holds nothing (the draft itself is still offered)."""
    try:
        return Claim.model_validate(value) if value else None
    except ValidationError:
        return None


def get(connection: Connection, draft_id: str) -> Draft | None:
    row = connection.execute(select(drafts.c.draft, drafts.c.claim).where(drafts.c.draft_id == draft_id)).first()
    return draft_from(draft_id, row.draft, _claim(row.claim)) if row else None


def all_readable(listing: tuple[list[Draft], list[DamagedDataFile]]) -> list[Draft]:
    """The drafts of a listing, or the first damaged one raised: ``drafts()`` promises all of them."""
    found, damaged = listing
    if damaged:
        raise damaged[0]
    return found


def listing(connection: Connection) -> tuple[list[Draft], list[DamagedDataFile]]:
    """Every readable draft, newest first, and the damaged ones named."""
    found: list[Draft] = []
    damaged: list[DamagedDataFile] = []
    query = select(drafts.c.draft_id, drafts.c.draft, drafts.c.claim).order_by(drafts.c.updated_at.desc())
    for row in connection.execute(query):
        try:
            found.append(draft_from(row.draft_id, row.draft, _claim(row.claim)))
        except DamagedRecord as error:
            damaged.append(error)
    return found, damaged


def delete(connection: Connection, draft_id: str) -> bool:
    return bool(connection.execute(drafts.delete().where(drafts.c.draft_id == draft_id)).rowcount)
