"""``audit acknowledge ENTRY``: a medical director says that the problems ``audit verify`` names about
one entry are known and explained. Their signed act; the rules are ``lifecycle.acknowledged``."""

from __future__ import annotations

from assistant.core.lifecycle import acknowledged
from assistant.core.lifecycle.audit_verify import Finding
from assistant.services import audit_trail
from assistant.services.desk import Desk
from assistant.services.staff import authenticate


def acknowledge(desk: Desk, entry: int, by: str, pin: str, reason: str | None) -> list[Finding]:
    """Record ``by``'s acknowledgement of the problems of ``entry`` as found now; returns them.

    The reason is checked before the PIN (a bad reason costs no attempt); the trail is checked after,
    so the problems acknowledged are those of this moment."""
    reason = acknowledged.checked_reason(reason)
    account = authenticate(desk, by, pin, "run")
    acknowledged.require_director(account)
    problems = acknowledged.to_acknowledge(audit_trail.check(desk.repository).findings, entry)
    desk.repository.record_event(acknowledged.event(entry, problems, account.name, reason, desk.clock()))
    return problems
