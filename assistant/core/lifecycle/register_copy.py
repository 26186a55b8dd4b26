"""This computer's copy of the staff register: what the UI checks a PIN against while the record
server is away, and how the copy is checked before it is trusted.

The copy holds what checking a PIN and a role needs (name, role, enabled, the argon2 PIN hash, the
public key and the grant) and nothing that signs: never a sealed private key, never a PIN. Signing
waits for the server, where the sealed key is. Its fields are closed (``extra="forbid"``), so a copy
that carries anything else is refused, not read around.

A copy is refused when it names another record, when a name is there twice, when more than one
account granted itself (only a record's first account does), or when a grant does not hold against
the copy's own accounts (a junior promoted by editing it). Accounts made before keys have no grant
to check: they are kept in the copy (other grants may name them) but cannot sign in from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.staff import Role, StaffAccount

GrantHolds = Callable[[Callable[[str], StaffAccount | None], StaffAccount], bool]
"""Whether an account's grant holds, given how to find an account by name (``staff_keys.grant_holds``)."""


class CopiedAccount(BaseModel):
    """One account as the copy keeps it: enough to check its PIN and its role, nothing to sign with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    role: Role
    enabled: bool
    pin_hash: str = Field(max_length=1000, repr=False)
    """The argon2 hash, as the register holds it."""
    created_at: dt.datetime
    created_by: str | None = Field(default=None, max_length=100)
    public_key: str | None = Field(default=None, max_length=200)
    grant: str | None = Field(default=None, max_length=200)
    key_from_first_use: bool = False

    def as_account(self) -> StaffAccount:
        """The account as the rules use it (no sealed key: it cannot sign from here)."""
        return StaffAccount.model_validate(self.model_dump())


class RegisterCopy(BaseModel):
    """The whole file: which record it copies, when it was read from it, and its accounts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["botulax-consult staff register copy"] = "botulax-consult staff register copy"
    version: Literal[1] = 1
    record: str = Field(max_length=1000)
    """The record it was read from, in words (its server and database, never a password)."""
    copied_at: dt.datetime
    accounts: tuple[CopiedAccount, ...] = Field(max_length=10_000)

    def account(self, name: str) -> StaffAccount | None:
        key = normalise_name(name)
        return next((a.as_account() for a in self.accounts if normalise_name(a.name) == key), None)

    def usable(self) -> list[StaffAccount]:
        """The accounts that may sign in from the copy: enabled, and granted a role by a director."""
        return [a.as_account() for a in self.accounts if a.enabled and a.grant is not None]


def copy_of(accounts: Sequence[StaffAccount], record: str, now: dt.datetime) -> RegisterCopy:
    """The copy of a register as just read from ``record``."""
    copied = tuple(
        CopiedAccount(
            name=a.name,
            role=a.role,
            enabled=a.enabled,
            pin_hash=a.pin_hash,
            created_at=a.created_at,
            created_by=a.created_by,
            public_key=a.public_key,
            grant=a.grant,
            key_from_first_use=a.key_from_first_use,
        )
        for a in accounts
    )
    return RegisterCopy(record=record, copied_at=now, accounts=copied)


def copy_problem(copy: RegisterCopy, record: str, holds: GrantHolds) -> str | None:
    """Why ``copy`` cannot be trusted for ``record``, or None. Checked each time it is read."""
    if copy.record != record:
        return f"it is a copy of {copy.record}, not of {record}"
    accounts = [a.as_account() for a in copy.accounts]
    by_key = {a.key: a for a in accounts}
    if len(by_key) != len(accounts):
        return "it names an account twice"
    self_granted = [a.name for a in accounts if a.grant is not None and a.created_by is None]
    if len(self_granted) > 1:
        return f"{len(self_granted)} accounts granted themselves their role, and only a record's first account does"

    def find(name: str) -> StaffAccount | None:
        return by_key.get(normalise_name(name))

    for account in accounts:
        if account.grant is not None and not holds(find, account):
            return f"the role of {account.name} ({account.role_words}) was not given by a medical director"
    return None
