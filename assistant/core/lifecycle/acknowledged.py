"""A known, explained problem of the audit trail, acknowledged by a medical director.

Some problems cannot be undone: an entry a disk fault changed, a record restored from a backup. Once a
medical director has looked into one, ``audit acknowledge ENTRY`` records why, as their signed act
(``acknowledged``). ``audit verify`` still lists the problem, marked with who acknowledged it, when
and why, and checks everything after it as before.

An acknowledgement covers the problems of that entry exactly as they were found (each with a
fingerprint of the entry, and of the record version when it is about one): a later, different change
to the same entry is a new problem, and is not covered. It counts only when its own entry is sound
(nothing ``verify`` names about it) and signed by an account the trail states is a medical director.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from assistant.core.lifecycle.acts import Kept
from assistant.core.lifecycle.audit import AuditEntry, AuditEvent
from assistant.core.lifecycle.audit_verify import Finding
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount
from assistant.core.text_safety import reason_problem, text_problem

ACTION = "acknowledged"


class CannotAcknowledge(ValueError):
    """Exit code 2: no reason, a reason too long, or an entry with no problem to acknowledge."""


@dataclass(frozen=True)
class Acknowledgement:
    """A medical director's word on the problems of one entry, as the trail keeps it."""

    entry: int
    by: str
    on: dt.date
    reason: str
    covers: frozenset[str]
    """The fingerprint of what was found, of each problem acknowledged (its sentence is kept in the
    act for the reader; matching on what was found alone keeps an acknowledgement valid when a later
    version of the program words the problem differently)."""

    def words(self) -> str:
        return f"(acknowledged by {self.by} on {self.on.isoformat()}: {self.reason})"


def checked_reason(reason: str | None) -> str:
    """The reason, trimmed; ``CannotAcknowledge`` when there is none or it is too long."""
    text = " ".join((reason or "").split())
    if not text:
        raise CannotAcknowledge(
            "An acknowledgement needs its reason (--reason): why the problem is known and explained."
        )
    if problem := text_problem(reason or "", "An acknowledgement's reason") or reason_problem(
        text, "An acknowledgement's reason"
    ):
        raise CannotAcknowledge(problem)
    return text


def require_director(account: StaffAccount) -> None:
    if account.role != "medical_director":
        raise NotPermitted(
            f"Only a medical director may acknowledge a problem of the audit trail ({account.name} is a "
            f"{account.role_words}); nothing was written."
        )


def to_acknowledge(findings: Iterable[Finding], entry: int) -> list[Finding]:
    """The problems of ``entry`` not yet acknowledged; ``CannotAcknowledge`` when there are none."""
    about = [f for f in findings if f.seq == entry]
    if not about:
        raise CannotAcknowledge(
            f"audit entry {entry} has no problem to acknowledge: audit verify names none about it. Nothing was written."
        )
    open_ones = [f for f in about if not f.acknowledged]
    if not open_ones:
        raise CannotAcknowledge(f"Every problem of audit entry {entry} is already acknowledged. Nothing was written.")
    return open_ones


def event(entry: int, problems: list[Finding], by: str, reason: str, at: dt.datetime) -> AuditEvent:
    """The act: which entry, each problem as found, and why (the signature is added by the store)."""
    return AuditEvent(
        at=at,
        actor=by,
        action=ACTION,
        detail=f"entry {entry}: {reason}",
        data={"entry": entry, "reason": reason, "problems": [{"text": p.text, "found": p.found} for p in problems]},
    )


def acknowledgements(
    entries: Iterable[AuditEntry], register: dict[str, Kept], unsound: set[int]
) -> list[Acknowledgement]:
    """The acknowledgements that count: sound entries, signed, by a medical director of ``register``
    (the register the trail states; ``unsound`` the entries ``verify`` names)."""
    found = []
    for entry in entries:
        if entry.action != ACTION or entry.seq in unsound or not entry.signature or not entry.actor:
            continue
        kept = register.get(normalise_name(entry.actor))
        data = entry.data or {}
        if kept is None or kept.role != "medical_director" or not isinstance(data.get("entry"), int):
            continue
        problems = data.get("problems") if isinstance(data.get("problems"), list) else []
        covers = frozenset(p["found"] for p in problems if isinstance(p, dict) and isinstance(p.get("found"), str))
        reason = data.get("reason") if isinstance(data.get("reason"), str) else ""
        found.append(Acknowledgement(data["entry"], kept.name, entry.at.astimezone(dt.UTC).date(), reason, covers))
    return found


def mark(findings: Iterable[Finding], known: list[Acknowledgement]) -> list[Finding]:
    """``findings``, each one an acknowledgement covers (same entry, found the same) marked."""
    marked = []
    for finding in findings:
        ack = next((a for a in known if a.entry == finding.seq and finding.found in a.covers), None)
        marked.append(replace(finding, acknowledged=ack.words()) if ack else finding)
    return marked
