"""Changes to staff accounts that must see the accounts as they are: a PIN attempt, a new account.

Both run from the read to the write under ``staff/.lock`` (an OS file lock: other threads, other
processes and other terminals on the same folder wait for it), so a check and the change it
allows are one step. Without it thirty PINs tried at once all read the account before any wrong
one was counted, and two "first" medical directors both found the record empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.pin_attempts import PinAttempt
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records.errors import RecordsError
from assistant.records.tinydb.atomic import locked
from assistant.records.tinydb.rollback import Rollback

if TYPE_CHECKING:
    from assistant.records.tinydb.folder import DataFolder


def check_pin(store: DataFolder, name: str, decide: Callable[[StaffAccount], PinAttempt]) -> PinAttempt | None:
    """See ``ConsultRepository.check_pin``."""
    with locked(store.layout.staff, store.lock_timeout):
        account = store.staff_file.get(name)
        if account is None:
            return None
        outcome = decide(account)
        if outcome.changed:
            _keep(store, outcome.account, outcome.event)
        return outcome


def add(
    store: DataFolder, account: StaffAccount, event: AuditEvent, check: Callable[[list[StaffAccount]], None]
) -> StaffAccount:
    """See ``ConsultRepository.add_staff``."""
    with locked(store.layout.staff, store.lock_timeout):
        check(store.staff_file.all())
        _keep(store, account, event)
    return account


def save(store: DataFolder, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
    """See ``ConsultRepository.save_staff``: the account and its entry, under the staff lock."""
    with locked(store.layout.staff, store.lock_timeout):
        _keep(store, account, event)
    return account


def _keep(store: DataFolder, account: StaffAccount, event: AuditEvent | None) -> None:
    """Write the account, then its audit entry; a failed entry takes the account back (the caller
    holds the staff lock)."""
    rollback = Rollback(store.durable)
    with rollback.writing(store.layout.staff_file):
        store.staff_file.put(account)
    if event is not None:
        try:
            store.audit.append(event)
        except (OSError, RecordsError) as error:
            rollback.undo(error)
            raise
