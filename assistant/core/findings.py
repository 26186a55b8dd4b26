"""What a check of a script or knowledge base finds: a location path into the file, a code, words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    loc: Loc
    code: str
    message: str
    severity: str = "error"


def hint(word: str, candidates: Iterable[str]) -> str:
    """ " Did you mean 'x'?" for the closest candidate, or nothing."""
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""
