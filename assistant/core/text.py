"""Filling the few placeholders knowledge texts may hold ({days}, {zone}, {gap})."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, **values: object) -> str:
    """Replace ``{name}`` with the given values; unknown names are left as they are.

    Deliberately not ``str.format``: a knowledge text cannot reach attributes or crash on a brace.
    """
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def number(value: float) -> str:
    """A dose as a practitioner writes it: 20, 2.5, 0.125."""
    return f"{value:g}"
