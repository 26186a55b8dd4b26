"""Changes to staff accounts on the server that must see the accounts as they are: a PIN attempt,
a new account.

A PIN attempt locks the account's row (``SELECT ... FOR UPDATE``) from the read to the write, in one
transaction with its audit entry: a second workstation trying a PIN waits for the first to be
counted, so thirty attempts at once count thirty and the one after the lock is refused. A new
account takes a transaction-wide advisory lock on the staff list before reading it, so that two
"first" medical directors created at once are created one after the other, and the second is
checked against the first.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects.postgresql import insert

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.pin_attempts import PinAttempt
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records.errors import DamagedRecord, StaffConflict
from assistant.records.postgres.audit import append
from assistant.records.postgres.schema import staff

STAFF_LIST_LOCK = "botulax-consult: staff accounts"
"""Named (``hashtext``) for the advisory lock that new accounts take turns on."""


def account_from(document: object, key: str) -> StaffAccount:
    try:
        return StaffAccount.model_validate(document)
    except ValidationError as error:
        raise DamagedRecord(f"staff account {key} on the record server", error.errors()[0]["msg"]) from None


def check_pin(engine: Engine, name: str, decide: Callable[[StaffAccount], PinAttempt]) -> PinAttempt | None:
    """See ``ConsultRepository.check_pin``."""
    key = normalise_name(name)
    with engine.begin() as connection:
        row = connection.execute(select(staff.c.account).where(staff.c.key == key).with_for_update()).first()
        if row is None:
            return None
        outcome = decide(account_from(row.account, key))
        if outcome.changed:
            _update(connection, outcome.account)
            if outcome.event is not None:
                append(connection, outcome.event)
        return outcome


def add(
    engine: Engine, account: StaffAccount, event: AuditEvent, check: Callable[[list[StaffAccount]], None]
) -> StaffAccount:
    """See ``ConsultRepository.add_staff``."""
    with engine.begin() as connection:
        connection.execute(select(func.pg_advisory_xact_lock(func.hashtext(STAFF_LIST_LOCK))))
        rows = connection.execute(select(staff.c.key, staff.c.account).order_by(staff.c.key))
        check([account_from(r.account, r.key) for r in rows])
        done = connection.execute(
            insert(staff)
            .values(key=account.key, revision=1, account=account.model_dump(mode="json"))
            .on_conflict_do_nothing()
            .returning(staff.c.key)
        ).first()
        if done is None:
            raise StaffConflict(account.name, exists=True)
        append(connection, event)
    return account


def _update(connection: Connection, account: StaffAccount) -> None:
    """Keep the changed account (its row is locked by this transaction, so revision N follows N-1)."""
    done = connection.execute(
        staff.update()
        .where(staff.c.key == account.key, staff.c.revision == account.revision - 1)
        .values(revision=account.revision, account=account.model_dump(mode="json"))
    ).rowcount
    if not done:
        raise StaffConflict(account.name, exists=False)


def every(connection: Connection) -> list[StaffAccount]:
    """Every account, by key."""
    return [account_from(r.account, r.key) for r in connection.execute(select(staff).order_by(staff.c.key))]


def get(connection: Connection, name: str) -> StaffAccount | None:
    key = normalise_name(name)
    row = connection.execute(select(staff.c.account).where(staff.c.key == key)).first()
    return account_from(row.account, key) if row else None


def save(connection: Connection, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
    """See ``ConsultRepository.save_staff``: revision 1 is new, N follows N-1, else ``StaffConflict``."""
    document = account.model_dump(mode="json")
    if account.revision == 1:
        done = connection.execute(
            insert(staff)
            .values(key=account.key, revision=1, account=document)
            .on_conflict_do_nothing()
            .returning(staff.c.key)
        ).first()
    else:
        done = connection.execute(
            staff.update()
            .where(staff.c.key == account.key, staff.c.revision == account.revision - 1)
            .values(revision=account.revision, account=document)
        ).rowcount
    if not done:
        raise StaffConflict(account.name, exists=account.revision == 1)
    if event is not None:
        append(connection, event)
    return account
