"""One PIN attempt on an account, decided in one step: what it does to the account, what the audit
trail says about it and what the person is told.

A store runs ``attempt`` while it holds the account (TinyDB: the staff folder's lock; PostgreSQL:
the account's row, ``SELECT ... FOR UPDATE``), and keeps what it decided before letting the next
attempt read the account. Thirty PINs tried at once on three workstations are then thirty attempts
one after another: each wrong PIN is counted, the one that reaches the limit locks the account,
and every attempt after it is refused without its PIN being checked (the right PIN too), so that a
burst of guesses gets no more tries than guesses typed one by one would.

The PIN itself is checked by ``matches`` (the argon2 hash is an adapter's job); everything else is
decided here, from the rules in ``assistant.core.lifecycle.staff``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.staff import (
    AccountPolicy,
    Action,
    NotPermitted,
    StaffAccount,
    WrongPin,
    after_right_pin,
    after_wrong_pin,
    require,
)
from assistant.core.text import counted


class PinAttempt(NamedTuple):
    """What one attempt did."""

    account: StaffAccount
    """The account as it is after the attempt."""
    changed: bool
    """The store must keep ``account`` (and ``event``) before the next attempt reads it."""
    event: AuditEvent | None
    """For the audit trail: a wrong PIN, or the lock it caused."""
    refusal: str | None
    """Why the action is refused (a wrong or locked PIN, a disabled account, a role without the
    right), or None when the PIN was right and the action is allowed."""
    again: bool = False
    """The refusal is the PIN's (wrong, or the account locked by wrong PINs): a PIN may be typed again."""

    def refuse(self) -> None:
        """Raise the refusal, if any: ``WrongPin`` when it is the PIN's, else ``NotPermitted``."""
        if self.refusal is not None:
            raise (WrongPin if self.again else NotPermitted)(self.refusal)


def attempt(
    account: StaffAccount,
    matches: Callable[[StaffAccount], bool],
    action: Action,
    now: dt.datetime,
    policy: AccountPolicy,
) -> PinAttempt:
    """The outcome of typing a PIN that ``matches`` checks against ``account`` (as it stands now),
    for ``action``. A disabled or locked account is refused before its PIN is checked; roles are
    checked after the PIN, so a wrong PIN counts whatever was attempted."""
    if not account.enabled or account.is_locked(now):
        return PinAttempt(account, False, None, _refusal(account, action, now), again=account.enabled)
    if not matches(account):
        wrong = after_wrong_pin(account, now, policy)
        locked = wrong.is_locked(now)  # a lock that has run out is no lock: the count starts again
        event = AuditEvent(
            at=now,
            actor=account.name,
            action="account locked" if locked else "failed PIN",
            detail=f"wrong PIN for {action}",
        )
        if locked:
            lock = counted(policy.lock_minutes, "minute")
            message = f"Wrong PIN for {account.name}: the account is now locked for {lock}."
        else:
            left = policy.max_wrong_pins - wrong.wrong_pins
            message = (
                f"Wrong PIN for {account.name} "
                f"({counted(left, 'more wrong PIN')} {'locks' if left == 1 else 'lock'} the account)."
            )
        return PinAttempt(wrong, True, event, message, again=True)
    refusal = _refusal(account, action, now)
    if refusal is not None:
        return PinAttempt(account, False, None, refusal)
    cleared = after_right_pin(account)
    return PinAttempt(cleared or account, cleared is not None, None, None)


def _refusal(account: StaffAccount, action: Action, now: dt.datetime) -> str | None:
    try:
        require(account, action, now)
    except NotPermitted as error:
        return str(error)
    return None
