"""A staff account's signing key in use: unsealed with the PIN when it is typed, made at the first
right PIN of an account from before keys, and the role it was given checked before it signs.

Each account carries a *grant*: its name, role and public key, signed by the medical director who
added it (or, for the record's first account, by itself). An account promoted by editing the staff
file, or a medical director added there, has no valid grant and may not act; ``audit verify`` also
finds it, by rebuilding the register from the trail.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from assistant.core.lifecycle.audit import AuditEvent, canonical
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount
from assistant.records.errors import StaffConflict
from assistant.services import keys
from assistant.services.desk import Desk
from assistant.services.pins import MIN_LENGTH, hash_pin, pin_problem

GRANT_DEPTH = 20
"""How many granting directors back a grant is followed (a loop in an edited file ends there)."""


def grant_message(account: StaffAccount) -> bytes:
    return canonical(
        {"name": account.name, "role": account.role, "public_key": account.public_key, "by": account.created_by}
    )


def granted(account: StaffAccount, by: StaffAccount, key: Ed25519PrivateKey) -> StaffAccount:
    """``account`` with its grant, signed by ``by`` (itself for the first account)."""
    signature = key.sign(grant_message(account))
    return account.model_copy(update={"grant": base64.b64encode(signature).decode("ascii")})


def grant_holds(staff_account: Callable[[str], StaffAccount | None], account: StaffAccount, depth: int = 0) -> bool:
    """Whether the account's role was given by a medical director whose own grant holds (or it is
    the first account, self-granted); accounts from before keys have no grant to check.
    ``staff_account`` finds an account by name (the repository's)."""
    if account.grant is None:  # from before keys (its key made at a first use): the trail is its check
        return account.key_from_first_use or account.public_key is None
    granter = account if account.created_by is None else staff_account(account.created_by)
    if granter is None or granter.public_key is None or depth > GRANT_DEPTH:
        return False
    if granter is not account and (
        granter.role != "medical_director" or not grant_holds(staff_account, granter, depth + 1)
    ):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(granter.public_key)).verify(
            base64.b64decode(account.grant), grant_message(account)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def unlock(desk: Desk, account: StaffAccount, pin: str) -> StaffAccount:
    """The account, its key unsealed into the desk's keyring (made first for an account from before
    keys). A PIN shorter than the minimum must be changed first; a role nobody granted may not act."""
    if len(pin) < MIN_LENGTH:
        raise NotPermitted(
            f"The PIN of {account.name} has fewer than {MIN_LENGTH} characters: choose a new one first "
            f'(botulax-consult staff pin "{account.name}").'
        )
    if account.sealed_key is None:
        return _first_key(desk, account, pin)
    if not grant_holds(desk.repository.staff_account, account):
        raise NotPermitted(
            f"The role of {account.name} was not given by a medical director (the staff file was changed outside "
            "the program); nothing was done. Run botulax-consult audit verify."
        )
    key = keys.unseal(account.sealed_key, pin)
    if key is None:  # the PIN matched the hash but not the seal: the file was changed
        raise NotPermitted(f"The signing key of {account.name} does not open with this PIN; nothing was done.")
    desk.keyring.unlock(account, key)
    return account


def _first_key(desk: Desk, account: StaffAccount, pin: str) -> StaffAccount:
    """Make the first key of an account from before keys; another workstation changing the account
    meanwhile (a wrong PIN counted) is read again, and a key it made is the one unsealed."""
    for _attempt in range(10):
        try:
            return _make_first_key(desk, account, pin)
        except StaffConflict:
            current = desk.repository.staff_account(account.name)
            if current is None:
                raise
            if current.sealed_key is not None:
                return unlock(desk, current, pin)
            account = current
    raise NotPermitted(f"The account of {account.name} kept changing; try again.")


def _make_first_key(desk: Desk, account: StaffAccount, pin: str) -> StaffAccount:
    public, sealed, key = keys.new_keys(pin)
    update = {"public_key": public, "sealed_key": sealed, "key_from_first_use": True, "revision": account.revision + 1}
    changed = account.model_copy(update=update)
    desk.keyring.unlock(changed, key)
    event = AuditEvent(
        at=desk.clock(),
        actor=account.name,
        action="staff key",
        detail=f"{account.name}: signing key made",
        data={"name": account.name, "role": account.role, "public_key": public},
    )
    return desk.repository.save_staff(changed, event)


def change_pin(desk: Desk, account: StaffAccount, old_pin: str, new_pin: str) -> StaffAccount:
    """A new PIN (the old one checked by the caller): the key sealed again, or made."""
    problem = pin_problem(new_pin)
    if problem:
        raise NotPermitted(problem)
    update: dict[str, object] = {"pin_hash": hash_pin(new_pin), "revision": account.revision + 1}
    if account.sealed_key is None:  # from before keys: its first key, sealed with the new PIN
        public, sealed, key = keys.new_keys(new_pin)
        update |= {"public_key": public, "sealed_key": sealed, "key_from_first_use": True}
    else:
        opened = keys.unseal(account.sealed_key, old_pin)
        if opened is None:
            raise NotPermitted(f"The signing key of {account.name} does not open with this PIN; nothing was changed.")
        key, public = opened, account.public_key
        update["sealed_key"] = keys.seal(key, new_pin)
    changed = account.model_copy(update=update)
    desk.keyring.unlock(changed, key)
    event = AuditEvent(
        at=desk.clock(),
        actor=account.name,
        action="staff key",
        detail=f"{account.name}: PIN changed",
        data={"name": account.name, "role": account.role, "public_key": public},
    )
    return desk.repository.save_staff(changed, event)
