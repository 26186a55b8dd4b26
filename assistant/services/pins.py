"""PINs, hashed with argon2 (argon2-cffi): the only form in which a PIN is ever kept.

A PIN is typed at a hidden prompt or read from standard input (``--pin-stdin``), checked against
the account's hash and forgotten; it is never written to a file, a log or a message.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()

MIN_LENGTH = 6
MAX_LENGTH = 64


def pin_problem(pin: str) -> str | None:
    """Why a new PIN cannot be used, or None."""
    if len(pin) < MIN_LENGTH:
        return f"A PIN needs at least {MIN_LENGTH} characters."
    if len(pin) > MAX_LENGTH:
        return f"A PIN has at most {MAX_LENGTH} characters."
    if pin != pin.strip() or any(not ch.isprintable() for ch in pin):
        return "A PIN may not start or end with a space or hold control characters."
    return None


def hash_pin(pin: str) -> str:
    return _HASHER.hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
