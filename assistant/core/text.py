"""Filling the few placeholders knowledge texts may hold ({days}, {zone}, {gap})."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}( days\b)?")


def fill(text: str, **values: object) -> str:
    """Replace ``{name}`` with the given values; unknown names are left as they are. A number written
    before " days" agrees with it ("{days} days" with 1 is "1 day"), so a knowledge text never reads
    "treated 1 days ago".

    Deliberately not ``str.format``: a knowledge text cannot reach attributes or crash on a brace.
    """

    def one(match: re.Match[str]) -> str:
        name, unit = match.group(1), match.group(2)
        if name not in values:
            return match.group(0)
        value = values[name]
        if unit and isinstance(value, int | float) and not isinstance(value, bool):
            return counted(value, "day")
        return str(value) + (unit or "")

    return _PLACEHOLDER.sub(one, text)


def number(value: float) -> str:
    """A dose as a practitioner writes it: 20, 2.5, 0.125."""
    return f"{value:g}"


def counted(count: float, word: str, plural: str | None = None) -> str:
    """A count with its noun agreeing: "1 day", "2 days", "0.5 minutes", "1 mismatch" / "3 mismatches"
    (``plural`` when the noun does not just take an s). The one place English plurals are made, so
    nothing reads "treated 1 days ago" (issue 22.9)."""
    return f"{number(count)} {word if count == 1 else (plural or word + 's')}"
