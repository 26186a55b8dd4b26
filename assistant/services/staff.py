"""Staff accounts as the clinic uses them: add, disable, list, and check a PIN for an action.

Every wrong PIN is written to the account (five in a row lock it for five minutes, by default) and
to the audit trail; a right PIN clears the count. Roles are checked after the PIN, so a wrong PIN
counts whatever was attempted (the rules: ``assistant.core.lifecycle.pin_attempts``).
"""

from __future__ import annotations

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.pin_attempts import PinAttempt, attempt
from assistant.core.lifecycle.staff import Action, NotPermitted, Role, StaffAccount, may_add_account
from assistant.core.lifecycle.staff_names import name_problem
from assistant.core.text_safety import text_problem
from assistant.records.errors import StaffConflict
from assistant.services import keys, staff_keys
from assistant.services.desk import Desk
from assistant.services.pins import hash_pin, pin_matches, pin_problem


class InvalidStaff(ValueError):
    """A name or PIN that cannot be used (exit 2)."""


def find(desk: Desk, name: str) -> StaffAccount:
    account = desk.repository.staff_account(name)
    if account is None:
        raise NotPermitted(f"There is no staff account named {name} (see: botulax-consult staff list).")
    return account


def authenticate(desk: Desk, name: str, pin: str, action: Action, *, new_pin: str | None = None) -> StaffAccount:
    """The account of ``name`` if ``pin`` is theirs and they may do ``action`` now; else ``NotPermitted``
    (``WrongPin`` for a wrong PIN, or the account locked by wrong PINs).

    The store checks and counts in one step (``check_pin``): attempts at once, from any number of
    processes or workstations, are counted one after another, and none gets past a lock. The
    account's signing key is then unsealed into the desk's keyring (``new_pin``: sealed again with it).
    """

    def decide(account: StaffAccount) -> PinAttempt:
        return attempt(account, lambda current: pin_matches(current.pin_hash, pin), action, desk.clock(), desk.policy)

    outcome = desk.repository.check_pin(name, decide)
    if outcome is None:
        raise NotPermitted(f"There is no staff account named {name} (see: botulax-consult staff list).")
    outcome.refuse()  # a wrong PIN as ``WrongPin``: the act may ask it again
    if new_pin is not None:  # the PIN is being changed: the key is sealed again with the new one
        return staff_keys.change_pin(desk, outcome.account, pin, new_pin)
    return staff_keys.unlock(desk, outcome.account, pin)  # its key into the keyring: its acts are signed


def add(
    desk: Desk, name: str, role: Role, pin: str, by_name: str | None = None, by_pin: str | None = None
) -> StaffAccount:
    """A new account. The first of a new record may be created freely; after that only a medical
    director (``by_name`` with ``by_pin``) adds one. A name that is, or looks like, an existing
    account's is refused (``staff_names``). Both are checked again by the store at the moment of
    adding, against the accounts as they are then: two added at once cannot both be "the first"."""
    name = " ".join(name.split())
    problem = text_problem(name, "A staff name") if name else "A staff account needs a name."
    if problem:
        raise InvalidStaff(problem)
    problem = pin_problem(pin)
    if problem:
        raise InvalidStaff(problem)
    existing = desk.repository.staff()
    by = authenticate(desk, by_name, by_pin or "", "manage_staff") if existing and by_name else None
    may_add_account(existing, by, desk.clock())
    problem = name_problem(name, existing)
    if problem:
        raise InvalidStaff(problem)
    now = desk.clock()
    public, sealed, key = keys.new_keys(pin)
    account = StaffAccount(
        name=name,
        role=role,
        pin_hash=hash_pin(pin),
        created_at=now,
        created_by=by.name if by else None,
        public_key=public,
        sealed_key=sealed,
    )
    granter_key = desk.keyring.keys.get(by.key) if by else key
    assert granter_key is not None, "the director's PIN was checked, so their key is unsealed"
    account = staff_keys.granted(account, by or account, granter_key)
    if by is None:
        desk.keyring.unlock(account, key)  # the first account states its own addition
    event = AuditEvent(
        at=now,
        actor=by.name if by else name,
        action="staff added",
        detail=f"{name} ({account.role_words})",
        data={"name": name, "role": role, "public_key": public, "grant": account.grant},
    )

    def still_allowed(accounts: list[StaffAccount]) -> None:
        adder = next((a for a in accounts if by is not None and a.key == by.key), None)
        may_add_account(accounts, adder, now)
        problem = name_problem(name, accounts)
        if problem:
            raise InvalidStaff(problem)

    try:
        return desk.repository.add_staff(account, event, still_allowed)
    except StaffConflict as error:
        raise InvalidStaff(str(error)) from None


def disable(desk: Desk, name: str, by_name: str, by_pin: str) -> StaffAccount:
    by = authenticate(desk, by_name, by_pin, "manage_staff")
    account = find(desk, name)
    if not account.enabled:
        return account
    if account.key == by.key:
        raise NotPermitted("A medical director may not disable their own account; ask another medical director.")
    now = desk.clock()
    changed = account.model_copy(update={"enabled": False, "revision": account.revision + 1})
    event = AuditEvent(at=now, actor=by.name, action="staff disabled", detail=account.name, data={"name": account.name})
    return desk.repository.save_staff(changed, event)


def change_pin(desk: Desk, name: str, old_pin: str, new_pin: str) -> StaffAccount:
    """A new PIN for ``name``, the old one checked as any PIN is (wrong ones count)."""
    problem = pin_problem(new_pin)
    if problem:
        raise InvalidStaff(problem)
    return authenticate(desk, name, old_pin, "run", new_pin=new_pin)
