"""Who is at the keyboard: the account picker and its PIN, switching account, and the lock after
the clinic's idle minutes (only a right PIN opens the screen again; nothing typed is lost).

What the lock lets through, and the notices it holds, are ``idle_lock.py``'s.
"""

from __future__ import annotations

import time
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.core.text import counted
from assistant.tui.collaborators.idle_minutes import IdleMinutes

if TYPE_CHECKING:
    from assistant.core.lifecycle.staff import StaffAccount
    from assistant.services.staff_register import StaffRegister
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.idle_lock import IdleLock
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.dialogs import Dialogs

IDLE_CHECK_SECONDS = 15


class SignedIn:
    def __init__(
        self, current: Current, host: Host, dialogs: Dialogs, records: RecordLink, idle_lock: IdleLock
    ) -> None:
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.records = records
        self.idle_lock = idle_lock
        self.account: StaffAccount | None = None
        """The account signed in at this keyboard (None: nobody, or locked)."""
        self.last_key = 0.0
        self.register_source: str | None = None
        self.idle_minutes = IdleMinutes(current)
        """Where the accounts were last read: "record", "copy" (the server away) or "none" (neither)."""

    @property
    def locked(self) -> bool:
        return self.idle_lock.up

    def may(self, action: str) -> bool:
        return self.account is not None and not self.current.trainer and self.account.may(action)  # type: ignore[arg-type]

    @cached_property
    def staff_register(self) -> StaffRegister:
        """The register as read from the record, and while the record server is away from this
        computer's copy of it (kept only for a server: a data folder here needs none)."""
        from assistant.files.register_copy import RegisterCopyFile
        from assistant.services.staff_register import StaffRegister

        desk, server = self.records.desk, self.records.recorder.fallback is not None
        return StaffRegister(desk, RegisterCopyFile(desk.repository.describe()) if server else None)

    async def staff_accounts(self) -> list[StaffAccount]:
        """The accounts to pick from: the record's (the copy refreshed), or while the server is away
        the copy's; ``register_source`` says which answered. A change of source is said in one line."""
        if self.current.trainer:
            return []
        listing = await self.dialogs.in_thread(self.staff_register.read)
        said, self.register_source = self.register_source, listing.source
        if listing.notice is not None and (listing.source != said or listing.source == "none"):
            title = {
                "copy": "PINs checked on this computer",
                "record": "The staff register's copy",
                "none": "The staff accounts could not be read",
            }[listing.source]
            severity = "error" if listing.source == "none" else "warning"
            self.host.notify(listing.notice, title=title, severity=severity)
        return listing.accounts

    async def sign_in(self, message: str, *, locked: bool = False, only: str | None = None) -> StaffAccount | None:
        """The account picker and its PIN (checked and counted by the services); None when there
        are no accounts or it was cancelled. ``only``: that account alone is offered."""
        picked = await self.sign_in_with_pin(message, locked=locked, only=only)
        return picked[0] if picked is not None else None

    async def sign_in_with_pin(
        self, message: str, *, locked: bool = False, only: str | None = None, summary: str = ""
    ) -> tuple[StaffAccount, str] | None:
        """As ``sign_in``, with the PIN that opened it, for the one act it was typed for (signing
        from a list with nobody signed in asks the PIN once). The PIN is only handed on, never kept.
        ``summary``: what that act is (what is signed), shown above the picker."""
        from assistant.core.lifecycle.staff import NotPermitted
        from assistant.records import RecordsError

        accounts = await self.staff_accounts()
        if only is not None:
            accounts = [a for a in accounts if a.name == only]
        if not accounts and not locked:
            return None
        if not accounts:  # the lock stays up: nobody could open it, so the program may only be left
            message += " The staff accounts cannot be read now; Ctrl+Q quits (the consult is kept as a draft)."
        elif self.register_source == "copy":
            message += " The record server is away: the PIN is checked against this computer's copy of the register."

        typed: list[str] = []

        async def check(name: str, pin: str) -> StaffAccount | str:
            try:
                account = await self.dialogs.in_thread(self.staff_register.authenticate, name, pin, "run")
            except (NotPermitted, RecordsError) as error:
                return str(error)
            typed[:] = [pin]
            return account

        signed_in_before = self.account
        account = await self.dialogs.account(accounts, check, message, locked=locked, summary=summary)
        if account is None:
            return None
        if signed_in_before is not None and signed_in_before.key != account.key:
            self.records.desk.keyring.forget(signed_in_before)  # only who is at the keyboard signs
        self.account = account
        self.current.staff_name = account.name
        self.last_key = time.monotonic()
        self.host.refresh_bindings()
        return account, typed.pop() if typed else ""

    async def switch_account(self) -> None:
        """The palette's Sign in: pick an account (another one, or the first of this run)."""
        if not await self.staff_accounts():
            if self.register_source == "record":
                self.host.notify("No staff accounts yet: a medical director adds them with botulax-consult staff add.")
            return
        account = await self.sign_in("Pick your account and type your PIN.")
        if account is not None:
            self.host.notify(f"Signed in: {account.name} ({account.role_words}).")

    # --- the lock after idle minutes -------------------------------------------------------------
    def watch_idle(self) -> None:
        self.last_key = time.monotonic()
        self.idle_minutes()  # the clinic file as it is at start: a later change of it applies at once
        self.host.set_interval(IDLE_CHECK_SECONDS, self.check_idle)

    def keyboard_used(self) -> None:
        self.last_key = time.monotonic()

    def check_idle(self) -> None:
        if self.account is None or self.locked:
            return
        minutes = self.idle_minutes()
        if time.monotonic() - self.last_key >= minutes * 60:
            self.host.run_worker(self.lock, name="lock", exclusive=True, exit_on_error=False)

    async def lock(self) -> None:
        """Back to the account picker; only a right PIN opens the screen again. Nothing is lost."""
        minutes = self.idle_minutes()
        self.account = None
        self.records.desk.keyring.forget()  # the keys stay sealed until a PIN is typed again
        self.idle_lock.close()
        self.host.refresh_bindings()
        try:
            await self.sign_in(
                f"Locked after {counted(minutes, 'idle minute')}. Pick your account and type your PIN to go on.",
                locked=True,
            )
        finally:
            held = self.idle_lock.open()
            self.host.refresh_bindings()
            for notice in held:
                self.host.notify(**notice)
