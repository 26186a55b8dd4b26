"""Text that can never drive a terminal or reorder what is read: the one rule for free text.

Control characters (C0 but tab and newline, DEL, C1) can clear a screen, set a window title or
forge a line of a summary (``"Bob\\r\\nStatus: PLANNED\\x1b]0;PWNED\\x07"``); bidirectional overrides,
embeddings, isolates and marks can make "evil" read "live" in a printout; the Unicode line and
paragraph separators break a line where none is seen. A name, an answer, a setting or a flag
holding one is refused with a plain message (``text_problem``, ``require_safe_text``); text read
back from an old record is made harmless before it reaches a terminal or a page (``printable``).
Pure functions: the UI, answer files, settings, templates and command-line flags all use these.
"""

from __future__ import annotations

import functools
import re

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
"""Embeddings, overrides, isolates and the invisible direction marks."""

_SEPARATORS = "\u2028\u2029"


@functools.cache
def _unsafe(multiline: bool) -> re.Pattern[str]:
    """C0 controls (but tab and newline when ``multiline``), DEL, C1 controls, the line and paragraph
    separators and the direction controls. Compiled on first use: start-up imports this module."""
    c0 = "\\x00-\\x08\\x0b-\\x1f" if multiline else "\\x00-\\x1f"
    return re.compile(f"[{c0}\\x7f-\\x9f{_SEPARATORS}{''.join(sorted(BIDI_CONTROLS))}]")


def text_problem(text: str, what: str = "This text", *, multiline: bool = False) -> str | None:
    """Why ``text`` may not be kept, or None. ``what`` names it in the message ("A patient name");
    ``multiline`` allows line breaks and tabs (a trainer's text in a YAML block)."""
    found = _unsafe(multiline).search(text)
    if found is None:
        return None
    return (
        f"{what} may not hold control characters (found U+{ord(found.group()):04X} at character "
        f"{found.start() + 1}); type it again as plain text."
    )


def require_safe_text(text: str, what: str = "This text", *, multiline: bool = False) -> str:
    """``text`` itself, or ValueError with the ``text_problem`` sentence (for pydantic validators)."""
    problem = text_problem(text, what, multiline=multiline)
    if problem is not None:
        raise ValueError(problem)
    return text


def printable(text: str, *, multiline: bool = True) -> str:
    """``text`` with every control character shown as ``\\u....`` instead of acting on the terminal.

    Line breaks and tabs stay when ``multiline`` (a document, a list of lines); one value in a row
    of a table is made one line. The escapes are JSON's own, so JSON output stays valid JSON.
    """
    return _unsafe(multiline).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


MAX_REASON_LENGTH = 500
"""Characters of a reason (an amendment's, a line given other than planned, a vial's waste, a merge)
or a signature's meaning: a sentence or two, shown on the record, the printout and in the trail."""


def reason_problem(text: str | None, what: str = "A reason") -> str | None:
    """Why ``text`` is too long to keep as a reason or meaning, or None."""
    if text is not None and len(text) > MAX_REASON_LENGTH:
        return f"{what} has at most {MAX_REASON_LENGTH} characters ({len(text)} given); say it in fewer words."
    return None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as a formula at the start of a cell (OWASP's CSV injection list)."""


def csv_cell(value: object) -> object:
    """A cell of a CSV export that a spreadsheet shows as text: a text starting like a formula gets
    a leading apostrophe (OWASP's rule); numbers, dates and other text are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
