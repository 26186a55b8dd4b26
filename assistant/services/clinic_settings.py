"""Changing the clinic settings, as ``setup`` and the UI's settings dialog do it.

Once the record has staff accounts a change needs a medical director's PIN and is their signed act
("settings changed", each setting with its old and new value; the rule: ``core.lifecycle.
settings_change``). Both ``setup`` and the settings screen ask ``needs_director`` before they ask
for a PIN, so the rule is decided here, once. The file is written first and the act recorded after;
when the act cannot be recorded the file is put back as it was, so no change is kept unsigned and
nothing is lost.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from assistant import locations
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.settings_change import (
    SETTINGS_CHANGED,
    change_words,
    may_change_settings,
    may_sign_settings,
    settings_changes,
)
from assistant.core.lifecycle.settings_change import needs_director as _needs_director
from assistant.core.lifecycle.staff import StaffAccount
from assistant.files import private
from assistant.files.clinic_writer import write_clinic
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.settings import ClinicSettings


def needs_director(desk: Desk) -> bool:
    """Whether a change of the settings now needs a medical director's PIN (the record has staff
    accounts). ``RecordsError`` when the accounts cannot be read (the server away): nobody can then
    tell whether a PIN is needed, so the caller changes nothing."""
    return _needs_director(desk.repository.staff())


def directors(desk: Desk) -> list[StaffAccount]:
    """The accounts that may sign a change now: the enabled medical directors (the settings
    screen's account picker lists only them)."""
    return [account for account in desk.repository.staff() if may_sign_settings(account)]


def change_settings(
    desk: Desk,
    old: ClinicSettings,
    new: ClinicSettings,
    by_name: str | None,
    pin: str | None,
    target: Path | None = None,
) -> StaffAccount | None:
    """Write ``new`` (the user's clinic.toml, or ``target``) and, once the record has accounts,
    record it as ``by_name``'s signed act; the director, or None when no account exists yet.
    ``NotPermitted`` (nothing written) for nobody, a wrong PIN or another role."""
    accounts = desk.repository.staff()
    by = authenticate(desk, by_name, pin or "", "change_settings") if accounts and by_name else None
    needs_act = may_change_settings(accounts, by, desk.clock())
    target = target or locations.user_clinic_file()
    changes = settings_changes(old, new)
    if not needs_act or not changes:
        write_clinic(new, target)
        return by
    before = target.read_bytes() if target.is_file() else None
    write_clinic(new, target)
    assert by is not None
    event = AuditEvent(
        at=desk.clock(), actor=by.name, action=SETTINGS_CHANGED, detail=change_words(changes), data={"changes": changes}
    )
    try:
        desk.repository.record_event(event)
    except BaseException:
        if before is None:
            with contextlib.suppress(OSError):
                target.unlink()
        else:
            private.write_private(target, before, durable=True)
        raise
    return by
