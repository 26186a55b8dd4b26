"""What ``audit verify`` does not cover in a TinyDB data folder, file by file and field by field.

Everything else in the folder is checked: a changed byte there is reported (issue 20's property test,
tests/test_verify_any_byte.py, holds the program to it). README ("What `audit verify` does not cover")
and docs/records.md list the same, with why each is left out.
"""

from __future__ import annotations

NOT_COVERED: dict[str, str] = {
    "drafts/": "unfinished consults: not part of the record until planned (then the record is checked)",
}
"""Files (a path, or a folder ending in "/") verify does not check, and why."""

STAFF_FILE = "staff/accounts.json"

STAFF_FIELDS_NOT_COVERED: dict[str, str] = {
    "pin_hash": "a changed PIN hash locks its owner out; it cannot unseal the key that signs their acts",
    "sealed_key": "a changed sealed key cannot be unsealed: its owner can no longer sign, nobody else can",
    "wrong_pins": "the count of wrong PINs: resetting it allows more guesses, each costing an argon2 hash",
    "locked_until": "the end of a lockout (as the count of wrong PINs)",
    "created_at": "when the account was made (the trail's entry states it)",
    "created_by": "who made it (the trail's signed entry states it)",
    "revision": "the file's own counter of changes",
    "key_from_first_use": "a note that the key was made at first use (the trail states it)",
}
"""The fields of a staff account verify does not compare with the trail (name, role, whether it is
enabled, its public key and its grant are compared)."""

VIAL_FIELDS_NOT_COVERED: dict[str, str] = {
    "revision": "the vial file's own counter of changes (what each change did is compared)",
}
"""The fields of a vial verify does not compare with the ledger the trail states."""
