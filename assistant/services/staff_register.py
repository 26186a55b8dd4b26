"""The staff register as the UI reads it: from the record, and while the record server is away from
this computer's copy of it.

Every read that reaches the server refreshes the copy (``assistant.files.register_copy``). While the
server cannot be reached, the accounts of a copy that passes its checks
(``assistant.core.lifecycle.register_copy``) are offered and a PIN is checked against the copy's
argon2 hash, its wrong PINs counted here (five lock the account, as on the server). A right PIN names
the person at the keyboard; it unseals nothing (the sealed key is on the server), so every act that
needs their signature waits for the server and their PIN typed again. Without a usable copy nobody
signs in, and a consult is kept as run by "not named": a typed name is never taken instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assistant.core.lifecycle.pin_attempts import attempt
from assistant.core.lifecycle.register_copy import RegisterCopy, copy_of, copy_problem
from assistant.core.lifecycle.staff import Action, NotPermitted, StaffAccount
from assistant.files.register_copy import CopyUnusable, Counted, RegisterCopyFile
from assistant.records.errors import RecordsError, StoreUnavailable
from assistant.services import staff
from assistant.services.desk import Desk
from assistant.services.pins import pin_matches
from assistant.services.staff_keys import grant_holds

NOBODY = "nobody can sign in until it is back, and a consult is kept as run by: not named"


@dataclass(frozen=True)
class Listing:
    """The accounts to offer, where they were read, and the line to say about it (None: nothing)."""

    accounts: list[StaffAccount]
    source: Literal["record", "copy", "none"]
    """``record``: read from the record; ``copy``: the server is away, from this computer's copy;
    ``none``: neither (the record could not be read, and there is no copy to trust)."""
    notice: str | None = None


class StaffRegister:
    """One per app: reads the register, keeps the copy, and checks PINs against whichever answered."""

    def __init__(self, desk: Desk, copy_file: RegisterCopyFile | None) -> None:
        """``copy_file``: where the server's register is copied (None: a data folder on this
        computer, which needs no copy)."""
        self.desk = desk
        self.copy_file = copy_file
        self.copy: RegisterCopy | None = None
        """The copy in use while the server is away (None: PINs are checked by the record)."""

    def read(self) -> Listing:
        try:
            accounts = self.desk.repository.staff()
        except StoreUnavailable as away:
            return self._from_copy(away)
        except RecordsError as error:
            self.copy = None
            return Listing([], "none", str(error))
        self.copy = None
        return Listing([a for a in accounts if a.enabled], "record", self._refresh(accounts))

    def _refresh(self, accounts: list[StaffAccount]) -> str | None:
        if self.copy_file is None:
            return None
        try:
            self.copy_file.write(copy_of(accounts, self.copy_file.record, self.desk.clock()))
        except OSError as error:
            return (
                f"This computer's copy of the staff register could not be written ({error}): while the record "
                f"server is away, {NOBODY}."
            )
        return None

    def _from_copy(self, away: StoreUnavailable) -> Listing:
        self.copy = None
        where = away.where[:1].upper() + away.where[1:]
        if self.copy_file is None:
            return Listing([], "none", str(away))
        try:
            copy = self.copy_file.read()
            problem = copy_problem(copy, self.copy_file.record, grant_holds) if copy is not None else None
        except CopyUnusable as unusable:
            copy, problem = None, str(unusable)
        if problem is not None:
            return Listing(
                [],
                "none",
                f"{where} cannot be reached, and this computer's copy of the staff register is refused: {problem}. "
                f"So {NOBODY}.",
            )
        if copy is None:
            words = f"{where} cannot be reached and this computer has no copy of the staff register: {NOBODY}."
            return Listing([], "none", words)
        self.copy = copy
        when = copy.copied_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return Listing(
            copy.usable(),
            "copy",
            f"{where} cannot be reached: PINs are checked against this computer's copy of the staff register "
            f"from {when}; what needs a signature waits for the server.",
        )

    def authenticate(self, name: str, pin: str, action: Action) -> StaffAccount:
        """The account if ``pin`` is theirs and they may do ``action``; else ``NotPermitted``. Checked by
        the record, or while the server is away (the last ``read``) against the copy."""
        if self.copy is None:
            return staff.authenticate(self.desk, name, pin, action)
        account = self.copy.account(name)
        if account is None or account.grant is None or not account.enabled:
            raise NotPermitted(f"{name} cannot sign in from this computer's copy of the staff register.")
        assert self.copy_file is not None
        now = self.desk.clock()
        try:
            with self.copy_file.counting() as counts:
                counted = counts.accounts.get(account.key, Counted())
                current = account.model_copy(update=counted.model_dump())
                outcome = attempt(current, lambda a: pin_matches(a.pin_hash, pin), action, now, self.desk.policy)
                if outcome.changed:
                    kept = outcome.account
                    counts.accounts[account.key] = Counted(wrong_pins=kept.wrong_pins, locked_until=kept.locked_until)
        except CopyUnusable as unusable:
            raise NotPermitted(f"{unusable} No PIN can be checked here now.") from None
        outcome.refuse()
        return account
