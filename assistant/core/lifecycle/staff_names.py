"""A new staff account's name may not be mistaken for an existing one.

A signature, the "run by" line and the audit trail show a name; a second account whose name looks
the same ("Іna Choi" with a Cyrillic І, "ina choi", full-width "Ｉｎａ Ｃｈｏｉ", "lna Choi") would
let one person's acts read as another's. Names are compared as the record compares them (Unicode
NFKC, case-folded, spaces tidied: ``normalise_name``), then character by character against the
Unicode confusables list (UTS #39 ``confusables.txt``, through the ``confusables`` package), so
that letters of other scripts, digits and letter pairs that look alike ("rn" and "m", "0" and "O")
match. Disabled accounts count too: their name stays on their signatures.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.staff import StaffAccount

MAX_NAME_LENGTH = 100
"""Characters in a staff name: a printed name on a signature line, never a paragraph (the
look-alike comparison also grows with the square of the length)."""


def name_problem(name: str, accounts: Iterable[StaffAccount]) -> str | None:
    """Why ``name`` may not be a new account's name beside ``accounts``, or None."""
    if len(name) > MAX_NAME_LENGTH:
        return f"A staff name has at most {MAX_NAME_LENGTH} characters ({len(name)} given)."
    accounts = list(accounts)
    key = normalise_name(name)
    for account in accounts:
        if account.key == key:
            return f"There is already a staff account named {account.name}."
    for account in accounts:
        if looks_like(key, account.key):
            return (
                f"The name {name} looks like the existing account {account.name}: the two could be taken for "
                "each other on a signature. Choose a name that tells them apart (add a middle name or initial)."
            )
    return None


def looks_like(first: str, second: str) -> bool:
    """True when two names (already normalised) could be read as each other."""
    from confusables import is_confusable  # its table loads on first use: only adding an account pays

    return is_confusable(first, second) or is_confusable(second, first)
