"""The derived indexes checked against the records (``audit verify``) and rebuilt from them (``reindex``).

The store says what its indexes hold and what the records are; the core says what they should hold
and names each difference (``core.lifecycle.indexes``, ``index_check``). A rebuild is an audit event,
``reindexed``, signed by the person who asked for it when one is named.
"""

from __future__ import annotations

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.index_check import mismatches
from assistant.core.lifecycle.indexes import expected_entries, kept_names
from assistant.core.text import counted
from assistant.records.repository import ConsultRepository
from assistant.services.desk import Desk

SHOWN_IN_DETAIL = 10
"""Mismatches named in the audit entry's detail (the count says how many there were)."""


def problems(repository: ConsultRepository) -> list[str]:
    """Every mismatch between the store's derived indexes and its records, in words."""
    actual = repository.index_entries()
    expected = expected_entries(
        repository.latest_records(), repository.vials(), kept_names(actual), repository.registered_patients()
    )
    return mismatches(expected, actual)


def _detail(fixed: list[str]) -> str:
    if not fixed:
        return "every index already matched its records"
    shown = " ".join(fixed[:SHOWN_IN_DETAIL]) + (" ..." if len(fixed) > SHOWN_IN_DETAIL else "")
    return f"{counted(len(fixed), 'mismatch', 'mismatches')} fixed: {shown}"


def reindex(desk: Desk, by: str | None = None, pin: str | None = None) -> list[str]:
    """Rebuild every derived index from the records; returns what was wrong. With ``by`` (and their
    PIN) the rebuild is that person's signed act; any enabled account may ask for it, since it
    changes no record, only what the look-ups read."""
    from assistant.services.staff import authenticate

    actor = authenticate(desk, by, pin or "", "run").name if by else None
    at = desk.clock()

    def event(fixed: list[str]) -> AuditEvent:
        return AuditEvent(at=at, actor=actor, action="reindexed", detail=_detail(fixed))

    return desk.repository.rebuild_indexes(event)
