"""Saving the clinic settings typed on the settings screen, under the same rule as ``setup``.

With no staff account yet (first run, a fresh laptop) they are saved as they are. Once the record
has accounts (``services.clinic_settings.needs_director``: the rule lives there, not here) the change
is a medical director's signed act: the signed-in director types their PIN, anybody else is shown
the account picker limited to the enabled medical directors. The PIN is checked and counted by the
services as every PIN is, and the change is saved by ``change_settings`` exactly as ``setup --by``
does. Esc on the picker, a junior at the keyboard, or the records server away: nothing is saved,
and the settings screen stays with what was typed, so a director can come and sign.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.core.lifecycle.settings_change import change_words, may_sign_settings, settings_changes
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount, require
from assistant.records import RecordsError
from assistant.services import clinic_settings
from assistant.services.desk import Desk
from assistant.settings import ClinicSettings

if TYPE_CHECKING:
    from assistant.tui.dialogs import Dialogs


@dataclass(frozen=True)
class Saved:
    """The settings were saved; ``by``: the medical director whose signed act it is (None: no
    account exists yet, so no PIN was asked); ``changed``: False when nothing differed."""

    by: StaffAccount | None
    changed: bool = True


Outcome = Saved | str
"""Saved, or the sentence saying why not (the settings screen shows it and keeps what was typed)."""


class SettingsSigning:
    """One save of the settings screen: decides whether a director signs, asks for them, saves."""

    def __init__(self, desk: Desk, dialogs: Dialogs, signed_in: StaffAccount | None) -> None:
        """``dialogs`` asks for the director's account and PIN (never over the idle lock)."""
        self.desk = desk
        self.dialogs = dialogs
        self.signed_in = signed_in

    async def save(self, old: ClinicSettings, new: ClinicSettings) -> Outcome:
        changes = settings_changes(old, new)
        try:
            needed = await asyncio.to_thread(clinic_settings.needs_director, self.desk)
        except RecordsError as error:
            return (
                "Not saved: once the record has staff accounts only a medical director changes the clinic "
                f"settings, and the accounts cannot be read now. {error}"
            )
        if not needed:
            return await self._unsigned(old, new)
        if not changes:
            return Saved(None, changed=False)
        return await self._signed(old, new, change_words(changes))

    async def _unsigned(self, old: ClinicSettings, new: ClinicSettings) -> Outcome:
        """No account yet: saved as they are, as ``setup`` does without ``--by``."""
        try:
            await asyncio.to_thread(clinic_settings.change_settings, self.desk, old, new, None, None)
        except NotPermitted:  # the first account was added meanwhile: a director signs now
            return "Not saved: the record has staff accounts now. Save again for a medical director to sign."
        except (RecordsError, OSError) as error:
            return f"Not saved: {error}"
        return Saved(None, changed=bool(settings_changes(old, new)))

    async def _signed(self, old: ClinicSettings, new: ClinicSettings, words: str) -> Outcome:
        at_keyboard = self.signed_in
        refused = ""
        if at_keyboard is not None and may_sign_settings(at_keyboard):
            candidates = [at_keyboard]  # the director signed in here signs with their PIN
        else:
            if at_keyboard is not None:  # a junior or an injector: the core's sentence, then the directors
                try:
                    require(at_keyboard, "change_settings", self.desk.clock())
                except NotPermitted as error:
                    refused = f"{error} "
            try:
                candidates = await asyncio.to_thread(clinic_settings.directors, self.desk)
            except RecordsError as error:
                return f"Not saved: {error}"
        if not candidates:
            return (
                f"Not saved: {refused}Only a medical director changes the clinic settings, and no enabled one exists."
            )

        async def sign(name: str, pin: str) -> StaffAccount | str:
            try:
                by = await asyncio.to_thread(clinic_settings.change_settings, self.desk, old, new, name, pin)
            except (NotPermitted, RecordsError) as error:
                return str(error)
            except OSError as error:
                return f"The settings could not be written: {error}"
            assert by is not None, "the record has accounts, so the change was signed"
            return by

        message = (
            f"{refused}Changing the clinic settings ({words}) is a medical director's signed act. "
            "Medical director: pick your account and type your PIN. Esc goes back to the settings."
        )
        by = await self.dialogs.account(candidates, sign, message)
        if by is None:
            return f"Not saved: {refused}a medical director's PIN is needed to change the clinic settings."
        if at_keyboard is None or at_keyboard.key != by.key:
            self.desk.keyring.forget(by)  # only who is at the keyboard signs the acts that follow
        return Saved(by)
