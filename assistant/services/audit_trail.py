"""The audit trail as staff and inspectors use it: list it, and verify it against the records.

``verify`` reads every entry and every record version through the repository interface, so it
works the same on every store; the checking itself is the core's (``lifecycle.audit.verify``).
"""

from __future__ import annotations

from assistant.core.lifecycle.acts import check_acts, compare_staff
from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, Verdict, verify
from assistant.records.errors import DamagedDataFile
from assistant.records.repository import ConsultRepository
from assistant.services import indexes
from assistant.services.desk import Desk


def entries(repository: ConsultRepository, consult_id: str | None = None) -> list[AuditEntry]:
    return list(repository.audit_entries(consult_id))


def check(repository: ConsultRepository) -> Verdict:
    """Chain, head and every record version; every person's act signed by them; the staff register
    as the trail states it. A damaged file is a failed check, named."""
    try:
        verdict = verify(repository.audit_entries(), repository.version_hashes(), repository.audit_head())
        unsigned, register = check_acts(repository.audit_entries())
        staff = compare_staff(register, repository.staff())
        staff += indexes.problems(repository)  # every derived index against its records
    except DamagedDataFile as damaged:
        return Verdict(0, str(damaged))
    more = [*unsigned, *staff]
    if verdict.problem is None and more:
        return Verdict(verdict.entries, more[0], tuple(more[1:]))
    return Verdict(verdict.entries, verdict.problem, tuple(more))


def note(desk: Desk, action: str, actor: str | None, consult_id: str | None = None, detail: str | None = None) -> None:
    """An event that changes no record (printed, exported)."""
    record = desk.repository.get(consult_id) if consult_id else None
    desk.repository.record_event(
        AuditEvent(
            at=desk.clock(),
            actor=actor,
            action=action,
            consult_id=consult_id,
            version=record.version if record else None,
            detail=detail,
        )
    )
