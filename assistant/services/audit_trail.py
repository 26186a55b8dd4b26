"""The audit trail as staff and inspectors use it: list it, and verify it against the records.

``verify`` reads every entry and every record version through the repository interface, so it
works the same on every store; the checking itself is the core's (``lifecycle.audit.verify``).
"""

from __future__ import annotations

from assistant.core.lifecycle import vial_ledger
from assistant.core.lifecycle.acts import check_acts, compare_staff
from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, Verdict, verify
from assistant.records.errors import DamagedDataFile
from assistant.records.repository import ConsultRepository
from assistant.services.desk import Desk


def entries(repository: ConsultRepository, consult_id: str | None = None) -> list[AuditEntry]:
    return list(repository.audit_entries(consult_id))


def check(repository: ConsultRepository) -> Verdict:
    """Chain, head and every record version; every person's act signed by them; the staff register
    and the vial ledger as the trail states them. A damaged file is a failed check, named."""
    try:
        verdict = verify(repository.audit_entries(), repository.version_hashes(), repository.audit_head())
        unsigned, register = check_acts(repository.audit_entries())
        staff = compare_staff(register, repository.staff())
        vials, notes = vial_problems(repository)
    except DamagedDataFile as damaged:
        return Verdict(0, str(damaged))
    more = [*unsigned, *staff, *vials]
    if verdict.problem is None and more:
        return Verdict(verdict.entries, more[0], tuple(more[1:]), tuple(notes))
    return Verdict(verdict.entries, verdict.problem, tuple(more), tuple(notes))


def vial_problems(repository: ConsultRepository) -> tuple[list[str], list[str]]:
    """(problems, notes): the store's vials against the ledger the trail states (its vial acts, and
    the draws of the record versions its "given" entries name)."""
    entries = list(repository.audit_entries())
    given = []
    for entry in entries:
        if entry.action == "given" and entry.consult_id and entry.version:
            record = repository.get(entry.consult_id, entry.version)
            if record is not None:
                given.append(record)
    return vial_ledger.compare(vial_ledger.rebuild(entries, given), repository.vials())


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
