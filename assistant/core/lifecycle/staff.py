"""Staff accounts and what each role may do.

Juniors run consults; injectors also record the doses given, sign and amend; medical directors also
co-sign and manage accounts. An account is named once (names are unique identities, compared as
``normalise_name`` compares them) and never deleted, only disabled, so every old signature keeps
pointing at a real account. The PIN is kept only as an argon2 hash (the hashing is an adapter's job;
here it is an opaque string).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.core.lifecycle.ids import normalise_name

Role = Literal["junior", "injector", "medical_director"]
ROLES: tuple[Role, ...] = ("junior", "injector", "medical_director")
ROLE_WORDS: dict[str, str] = {"junior": "junior", "injector": "injector", "medical_director": "medical director"}


def a_role(role: str) -> str:
    """A role in words with its article, for sentences: "a junior", "an injector"."""
    words = ROLE_WORDS.get(role, role)
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


Action = Literal[
    "run",
    "give",
    "sign",
    "amend",
    "cosign",
    "manage_staff",
    "vials",
    "merge_patients",
    "checkpoint",
    "import_records",
    "change_settings",
    "approve_script",
    "review",
]

_MAY: dict[str, frozenset[str]] = {
    "junior": frozenset({"run"}),
    "injector": frozenset({"run", "give", "sign", "amend", "vials", "review"}),
    "medical_director": frozenset(
        {"run", "give", "sign", "amend", "cosign", "manage_staff", "vials", "merge_patients"}
        | {"checkpoint", "import_records", "change_settings", "approve_script", "review"}
    ),
}

ACTION_WORDS: dict[str, str] = {
    "run": "run consults",
    "give": "record the doses given",
    "sign": "sign a record",
    "amend": "amend a record",
    "cosign": "co-sign a record",
    "manage_staff": "add or disable staff accounts",
    "vials": "open or close vials",
    "merge_patients": "merge or split patients",
    "checkpoint": "sign a checkpoint of the audit trail",
    "import_records": "import a data folder into the server",
    "change_settings": "change the clinic settings",
    "approve_script": "approve a question script for use",
    "review": "record a review after treatment",
}


class NotPermitted(Exception):
    """Exit code 5: a wrong or locked PIN, a role without the right, a disabled account, or a change
    to a signed record other than an amendment. The message says which."""


class WrongPin(NotPermitted):
    """A PIN refused as wrong, or the account locked by wrong PINs: the act may be asked again with a
    PIN, so what was typed for it (the doses given, an amendment) is kept, never thrown away."""


class AccountPolicy(BaseModel):
    """How many wrong PINs lock an account, and for how long (clinic settings may change them)."""

    model_config = ConfigDict(frozen=True)

    max_wrong_pins: int = Field(default=5, ge=1, le=100)
    lock_minutes: float = Field(default=5, gt=0, le=24 * 60)


class SealedKey(BaseModel):
    """A private signing key sealed with a key derived from the PIN (``assistant.services.keys``)."""

    model_config = ConfigDict(frozen=True)

    salt: str
    nonce: str
    box: str
    time_cost: int = Field(ge=1, le=100)
    memory_kib: int = Field(ge=8, le=4_194_304)
    parallelism: int = Field(ge=1, le=64)


class StaffAccount(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    name: str
    role: Role
    pin_hash: str = Field(repr=False)
    enabled: bool = True
    wrong_pins: int = 0
    """Wrong PINs in a row since the last right one (or the last lock)."""
    locked_until: dt.datetime | None = None
    created_at: dt.datetime
    created_by: str | None = None
    revision: int = 1
    """Raised on every change, so that two workstations changing one account cannot both win."""
    public_key: str | None = None
    """The Ed25519 public key (base64) every act of this person is checked against."""
    sealed_key: SealedKey | None = Field(default=None, repr=False)
    """The private key, sealed with the PIN; None for an account made before keys (one is made at
    the next right PIN)."""
    grant: str | None = None
    """Name, role and public key signed by the medical director who added the account (``created_by``),
    or by itself for the first account (``assistant.services.staff_keys``)."""
    key_from_first_use: bool = False
    """The account was made before keys and its key at its first use since: it has no grant, and only
    ``audit verify`` (the register rebuilt from the trail) checks its role."""

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a staff account needs a name.")
        return value

    @property
    def key(self) -> str:
        return normalise_name(self.name)

    @property
    def role_words(self) -> str:
        return ROLE_WORDS[self.role]

    def may(self, action: Action) -> bool:
        return action in _MAY[self.role]

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def require(account: StaffAccount, action: Action, now: dt.datetime) -> None:
    """Raise ``NotPermitted`` unless ``account`` may do ``action`` now (PIN not checked here)."""
    if not account.enabled:
        raise NotPermitted(f"The account of {account.name} is disabled; a medical director can enable a new one.")
    if account.is_locked(now):
        assert account.locked_until is not None
        until = account.locked_until.astimezone().strftime("%H:%M")
        raise NotPermitted(
            f"The account of {account.name} is locked after too many wrong PINs; try again after {until}."
        )
    if not account.may(action):
        raise NotPermitted(f"{account.name} is {a_role(account.role)} and may not {ACTION_WORDS[action]}.")


def after_wrong_pin(account: StaffAccount, now: dt.datetime, policy: AccountPolicy) -> StaffAccount:
    """The account after one more wrong PIN: locked for ``policy.lock_minutes`` at the limit."""
    wrong = account.wrong_pins + 1
    if wrong >= policy.max_wrong_pins:
        until = now + dt.timedelta(minutes=policy.lock_minutes)
        return account.model_copy(update={"wrong_pins": 0, "locked_until": until, "revision": account.revision + 1})
    return account.model_copy(update={"wrong_pins": wrong, "revision": account.revision + 1})


def after_right_pin(account: StaffAccount) -> StaffAccount | None:
    """The account after a right PIN, or None when nothing about it changes."""
    if account.wrong_pins == 0 and account.locked_until is None:
        return None
    return account.model_copy(update={"wrong_pins": 0, "locked_until": None, "revision": account.revision + 1})


def may_add_account(existing: list[StaffAccount], by: StaffAccount | None, now: dt.datetime) -> None:
    """The first account of a new record may be created freely; after that only an enabled medical
    director adds accounts (their PIN is checked by the caller)."""
    if not existing:
        return
    if by is None:
        raise NotPermitted("Only a medical director may add staff accounts: name yourself with --by.")
    require(by, "manage_staff", now)
