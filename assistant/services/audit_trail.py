"""The audit trail as staff and inspectors use it: list it, and verify it against the records.

``check`` reads every entry and every record version through the repository interface, so it
works the same on every store; the checking itself is the core's (``lifecycle.audit_verify``,
``lifecycle.acts``). It names every problem it finds: a file or row that cannot be read is named
and skipped, and everything else is still checked. Problems a medical director acknowledged are
still named, marked so (``lifecycle.acknowledged``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from assistant.core.lifecycle import acknowledged, vial_ledger
from assistant.core.lifecycle.acts import Kept, check_acts, compare_staff
from assistant.core.lifecycle.audit import AuditEntry, AuditEvent
from assistant.core.lifecycle.audit_verify import Finding, Verdict, verify
from assistant.core.lifecycle.consent_rules import consent_problem, text_sha
from assistant.core.lifecycle.register_trail import compare_register, register_from_trail, register_is_stated
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.progress import Progress, counted, quiet
from assistant.records.errors import DamagedDataFile
from assistant.records.repository import ConsultRepository
from assistant.services import indexes
from assistant.services.desk import Desk
from assistant.services.photo_check import photo_problems
from assistant.services.staff_keys import grant_holds

T = TypeVar("T")


def entries(repository: ConsultRepository, consult_id: str | None = None) -> list[AuditEntry]:
    return list(repository.audit_entries(consult_id))


@dataclass
class Reading:
    """What the checkers share: the trail as read once, and every file or row that could not be."""

    repository: ConsultRepository
    damaged: list[DamagedDataFile] = field(default_factory=list)
    trail: list[AuditEntry] = field(default_factory=list)
    register: dict[str, Kept] = field(default_factory=dict)
    entries_checked: int = 0

    def readable(self, read: Callable[[], T]) -> T | None:
        """``read()``, or None when it meets a damaged file (named, among ``damaged``)."""
        try:
            return read()
        except DamagedDataFile as damaged:
            self.damaged.append(damaged)
            return None


def _chain(reading: Reading, progress: Progress) -> list[Finding]:
    """Chain, head and every record version (each version read is progress: they are most of the work)."""
    repository = reading.repository
    reading.trail = list(repository.audit_entries(damaged=reading.damaged))
    head = reading.readable(repository.audit_head)
    versions = sum(1 for entry in reading.trail if entry.record_sha)
    hashes = counted(repository.version_hashes(damaged=reading.damaged), progress, versions)
    verdict = verify(reading.trail, hashes, head, lambda: {Path(d.path).stem for d in reading.damaged})
    reading.entries_checked = verdict.entries
    return list(verdict.findings)


def _acts(reading: Reading, named: set[int | None]) -> list[Finding]:
    """Every person's act signed by them (an entry the chain already names is not named again)."""
    unsigned, reading.register = check_acts(reading.trail)
    return [f for f in unsigned if f.seq not in named]


def _staff(reading: Reading) -> list[Finding]:
    """The staff register as the trail states it."""
    staff = reading.readable(reading.repository.staff)
    if staff is None:
        return []
    problems = compare_staff(reading.register, staff) + grant_problems(reading.repository, staff)
    return [Finding(p) for p in problems]


def _patients(reading: Reading) -> list[Finding]:
    """The patient register as the trail states it (``lifecycle.register_trail``)."""
    patients = reading.readable(reading.repository.registered_patients)
    if patients is None:
        return []
    kept, problems = register_from_trail(reading.trail)
    problems += compare_register(kept, patients, complete=register_is_stated(reading.trail))
    return [Finding(p) for p in problems]


def check(repository: ConsultRepository, progress: Progress = quiet) -> Verdict:
    """Every problem of the trail and the records it covers, damaged files first, each named once;
    ``progress`` hears of each record version checked."""
    reading = Reading(repository)
    chain = _chain(reading, progress)
    vials, notes = _vials(reading)
    findings = [
        *chain,
        *_acts(reading, {f.seq for f in chain}),
        *_staff(reading),
        *_patients(reading),
        *_indexes(reading),
        *vials,
        *_consents(reading),
        *_photos(reading),
    ]
    findings = [*(Finding(str(d)) for d in reading.damaged), *findings]
    known = acknowledged.acknowledgements(reading.trail, reading.register, {f.seq for f in findings if f.seq})
    return Verdict.of(reading.entries_checked, acknowledged.mark(findings, known), notes)


def _consents(reading: Reading) -> list[Finding]:
    """Each consent recorded: its frozen text hashes to the SHA-256 kept with it and to the one its
    audit entry states (a text and hash both rewritten in the store still differ from the trail's)."""
    findings = []
    for entry in reading.trail:
        if entry.action != "consent recorded" or entry.consult_id is None or entry.version is None:
            continue
        consult_id, version = entry.consult_id, entry.version
        record = reading.readable(partial(reading.repository.get, consult_id, version))
        if record is None or record.consent is None:
            continue
        problem = consent_problem(record)
        stated = (entry.detail or "").rpartition("sha256 ")[2]
        if problem is None and stated and text_sha(record.consent.text) != stated:
            problem = (
                f"consult {consult_id} version {version}: the consent text kept is not the one audit entry "
                f"{entry.seq} recorded: the signed text was changed outside the program."
            )
        if problem is not None:
            findings.append(Finding(problem, entry.seq))
    return findings


def _photos(reading: Reading) -> list[Finding]:
    """Every photo a record names, hashed again as the store holds it (``photo_check``)."""
    problems = reading.readable(lambda: photo_problems(reading.repository, reading.trail))
    return [] if problems is None else [Finding(p) for p in problems]


def _indexes(reading: Reading) -> list[Finding]:
    """Every derived index against the records it derives from (``services.indexes``)."""
    problems = reading.readable(lambda: indexes.problems(reading.repository))
    return [] if problems is None else [Finding(p) for p in problems]


def grant_problems(repository: ConsultRepository, accounts: list[StaffAccount]) -> list[str]:
    """Each account's grant (its role signed by the director who gave it) holds: a changed grant
    stops the account from acting, and verify says so before somebody finds out at the PIN."""
    return [
        f"the grant of the staff account {account.name} (its role, signed by whoever added it) does not hold: "
        "it was changed outside the program, and the account may not act."
        for account in accounts
        if not grant_holds(repository.staff_account, account)
    ]


def _vials(reading: Reading) -> tuple[list[Finding], list[str]]:
    """The vial ledger as the trail states it (``lifecycle.vial_ledger``), and what cannot be checked."""
    found = reading.readable(lambda: vial_problems(reading.repository, reading.trail))
    if found is None:
        return [], []
    problems, notes = found
    return [Finding(p) for p in problems], notes


def vial_problems(repository: ConsultRepository, entries: list[AuditEntry]) -> tuple[list[str], list[str]]:
    """(problems, notes): the store's vials against the ledger the trail states (its vial acts, and
    the draws of the record versions its "given" entries name)."""
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
