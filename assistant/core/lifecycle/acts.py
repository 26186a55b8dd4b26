"""``audit verify``'s second half: every person's act signed by that person, and the staff register
rebuilt from the trail agreeing with the one the store keeps.

The register is rebuilt entry by entry: "staff added" states the name, role and public key (entries
written before keys state name and role in words), "staff key" a key made or kept with a new PIN,
"staff disabled" a disabled account. Each act is checked against the register *as it was at that
entry*: a forged act, a signature cut out, moved or re-made after the chain was recomputed, and a
key swapped in by a forged "staff key" are all named. Then the store's accounts are compared with
the rebuilt ones: a junior promoted, or a medical director added, by editing the staff file or the
server's table is named too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.core.lifecycle.audit import AuditEntry
from assistant.core.lifecycle.audit_verify import Finding, fingerprint
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.signing import PERSONAL_ACTS, signed_by
from assistant.core.lifecycle.staff import ROLE_WORDS, StaffAccount, a_role

_ADDED_IN_WORDS = re.compile(r"^(?P<name>.+) \((?P<role>junior|injector|medical director)\)$")
_ROLE_OF_WORDS = {words: role for role, words in ROLE_WORDS.items()}


@dataclass
class Kept:
    """An account as the trail states it."""

    name: str
    role: str
    public_key: str | None
    enabled: bool = True


def _added(entry: AuditEntry) -> Kept | None:
    data = entry.data or {}
    if isinstance(data.get("name"), str) and isinstance(data.get("role"), str):
        key = data.get("public_key")
        return Kept(data["name"], data["role"], key if isinstance(key, str) else None)
    match = _ADDED_IN_WORDS.match(entry.detail or "")
    return Kept(match["name"], _ROLE_OF_WORDS[match["role"]], None) if match else None


def check_acts(entries: Iterable[AuditEntry]) -> tuple[list[Finding], dict[str, Kept]]:
    """(problems, each about its entry, the register the trail states, by normalised name)."""
    register: dict[str, Kept] = {}
    problems: list[Finding] = []
    for entry in entries:
        actor = register.get(normalise_name(entry.actor)) if entry.actor else None
        key = actor.public_key if actor else None
        if entry.action == "staff added":
            added = _added(entry)
            if added is None:
                text = f"audit entry {entry.seq} (staff added) does not say whom it added."
                problems.append(Finding(text, entry.seq, fingerprint(entry)))
                continue
            if actor is None and entry.actor and normalise_name(entry.actor) == normalise_name(added.name):
                if register:
                    text = f"audit entry {entry.seq}: {added.name} added themselves to a record with staff."
                    problems.append(Finding(text, entry.seq, fingerprint(entry)))
                key = added.public_key  # the first account states its own addition
        elif entry.action == "staff key" and entry.data and actor is not None and key is None:
            key = entry.data.get("public_key")  # an account from before keys makes its first one
        if entry.action in PERSONAL_ACTS and key is not None and not signed_by(key, entry.event(), entry.prev_hash):
            text = (
                f"audit entry {entry.seq} ({entry.action} by {entry.actor}) is not signed by {entry.actor}: "
                "it was written or changed outside the program."
            )
            problems.append(Finding(text, entry.seq, fingerprint(entry)))
            continue
        if entry.action == "staff added":
            register[normalise_name(added.name)] = added  # type: ignore[union-attr]
        elif entry.action == "staff key" and actor is not None and entry.data:
            actor.public_key = entry.data.get("public_key") or actor.public_key
        elif entry.action == "staff disabled" and entry.data and isinstance(entry.data.get("name"), str):
            disabled = register.get(normalise_name(entry.data["name"]))
            if disabled is not None:
                disabled.enabled = False
    return problems, register


def compare_staff(register: dict[str, Kept], accounts: Iterable[StaffAccount]) -> list[str]:
    """The store's staff accounts against the register the trail states."""
    problems = []
    seen = set()
    for account in accounts:
        seen.add(account.key)
        kept = register.get(account.key)
        if kept is None:
            problems.append(
                f"the staff account {account.name} is not in the audit trail: it was added outside the program."
            )
            continue
        if kept.role != account.role:
            problems.append(
                f"the staff account {account.name} is {a_role(kept.role)} in the audit trail "
                f"but a {account.role_words} in the staff register: it was changed outside the program."
            )
        if kept.enabled != account.enabled:
            state = "disabled" if not kept.enabled else "enabled"
            problems.append(
                f"the staff account {account.name} is {state} in the audit trail but not in the staff register."
            )
        if kept.public_key is not None and kept.public_key != account.public_key:
            problems.append(f"the signing key of {account.name} differs from the one in the audit trail.")
    for key, kept in register.items():
        if key not in seen:
            problems.append(f"the staff account {kept.name} is in the audit trail but missing from the staff register.")
    return problems
