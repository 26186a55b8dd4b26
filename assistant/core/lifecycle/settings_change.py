"""Who may change the clinic settings, and what a change changed.

The settings decide every dose's volume (the saline per vial), the session maximum, co-signatures
and the idle lock: once the record has staff accounts, changing them is a medical director's signed
act ("settings changed"), its data each setting changed with its old and new value. Before any
account exists, whoever installs the program sets them. Pure: the accounts and the director (their
PIN checked by the caller) are passed in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.core.lifecycle.staff import NotPermitted, StaffAccount, require
from assistant.settings import ClinicSettings

SETTINGS_CHANGED = "settings changed"

NOBODY_NAMED = (
    "The record has staff accounts, so only a medical director changes the clinic settings: "
    "name yourself with --by and give your PIN. Nothing was written."
)
"""``setup`` without ``--by`` once the record has accounts (the settings screen asks for a director instead)."""

Changes = dict[str, dict[str, Any]]
"""Each setting changed: ``{"old": ..., "new": ...}`` (as the settings file writes them; None: not set)."""


def settings_changes(old: ClinicSettings, new: ClinicSettings) -> Changes:
    """The settings whose value differs, in the settings' order."""
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return {
        field: {"old": before.get(field), "new": value} for field, value in after.items() if before.get(field) != value
    }


def change_words(changes: Changes) -> str:
    """``saline_ml 2.5 -> 5; name 'A' -> 'B'``: the audit entry's detail."""
    return "; ".join(f"{field} {_shown(c['old'])} -> {_shown(c['new'])}" for field, c in changes.items())


def _shown(value: Any) -> str:
    if value is None:
        return "(not set)"
    return f"'{value}'" if isinstance(value, str) else f"{value}"


def needs_director(accounts: list[StaffAccount]) -> bool:
    """Whether a change needs a medical director's PIN: once the record has any account (a disabled
    one too: the record has had staff, so it is no fresh install)."""
    return bool(accounts)


def may_sign_settings(account: StaffAccount) -> bool:
    """Whether ``account`` is one the settings screen offers to sign a change (enabled, and a role
    that may change the settings); its PIN and lock are still checked when it signs."""
    return account.enabled and account.may("change_settings")


def may_change_settings(accounts: list[StaffAccount], by: StaffAccount | None, now: dt.datetime) -> bool:
    """Whether the change needs a medical director (True: ``by`` is one who may, now); raises
    ``NotPermitted`` when the record has accounts and ``by`` is nobody or not a medical director."""
    if not needs_director(accounts):
        return False
    if by is None:
        raise NotPermitted(NOBODY_NAMED)
    require(by, "change_settings", now)
    return True
