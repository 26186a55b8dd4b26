"""The audit trail as staff and inspectors use it: list it, and verify it against the records.

``verify`` reads every entry and every record version through the repository interface, so it
works the same on every store; the checking itself is the core's (``lifecycle.audit.verify``).
"""

from __future__ import annotations

from assistant.core.lifecycle.acts import check_acts, compare_staff
from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, Verdict, verify
from assistant.core.lifecycle.register_trail import compare_register, register_from_trail, register_is_stated
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records.errors import DamagedDataFile
from assistant.records.repository import ConsultRepository
from assistant.services.desk import Desk
from assistant.services.staff_keys import grant_holds


def entries(repository: ConsultRepository, consult_id: str | None = None) -> list[AuditEntry]:
    return list(repository.audit_entries(consult_id))


def check(repository: ConsultRepository) -> Verdict:
    """Chain, head and every record version; every person's act signed by them; the staff register
    as the trail states it. A damaged file is a failed check, named."""
    try:
        verdict = verify(repository.audit_entries(), repository.version_hashes(), repository.audit_head())
        unsigned, register = check_acts(repository.audit_entries())
        accounts = repository.staff()
        staff = compare_staff(register, accounts)
        staff += grant_problems(repository, accounts)
        staff += register_problems(repository)
    except DamagedDataFile as damaged:
        return Verdict(0, str(damaged))
    more = [*unsigned, *staff]
    if verdict.problem is None and more:
        return Verdict(verdict.entries, more[0], tuple(more[1:]))
    return Verdict(verdict.entries, verdict.problem, tuple(more))


def grant_problems(repository: ConsultRepository, accounts: list[StaffAccount]) -> list[str]:
    """Each account's grant (its role signed by the director who gave it) holds: a changed grant
    stops the account from acting, and verify says so before somebody finds out at the PIN."""
    return [
        f"the grant of the staff account {account.name} (its role, signed by whoever added it) does not hold: "
        "it was changed outside the program, and the account may not act."
        for account in accounts
        if not grant_holds(repository.staff_account, account)
    ]


def register_problems(repository: ConsultRepository) -> list[str]:
    """The patient register against the one the trail states (``lifecycle.register_trail``)."""
    entries = list(repository.audit_entries())
    kept, problems = register_from_trail(entries)
    patients = repository.registered_patients()  # type: ignore[attr-defined]
    return problems + compare_register(kept, patients, complete=register_is_stated(entries))


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
