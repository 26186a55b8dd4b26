"""Text that can never drive a terminal or reorder what is read: the one rule for free text.

Control characters (C0 but tab and newline, DEL, C1) can clear a screen, set a window title or
forge a line of a summary; bidirectional overrides, embeddings and isolates can make "evil" read
"live" in a printout. A name, an answer, a setting or a flag holding one is refused with a plain
message (``text_problem``); text read back from an old record is made harmless before it reaches
a terminal (``printable``).
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
"""Embeddings, overrides, isolates and the invisible direction marks."""


def _bad(char: str, multiline: bool) -> bool:
    if char in BIDI_CONTROLS:
        return True
    if char == "\n":
        return not multiline
    if char == "\t":
        return not multiline
    return unicodedata.category(char) == "Cc"


def text_problem(text: str, what: str = "This text", *, multiline: bool = False) -> str | None:
    """Why ``text`` may not be kept, or None. ``what`` names it in the message ("A patient name")."""
    for char in text:
        if _bad(char, multiline):
            return f"{what} may not hold control characters (found U+{ord(char):04X}); type it again as plain text."
    return None


def printable(text: str, *, multiline: bool = True) -> str:
    """``text`` with every control character shown as ``\\u....`` instead of acting on the terminal."""
    if not any(_bad(char, multiline) for char in text):
        return text
    return "".join(f"\\u{ord(char):04x}" if _bad(char, multiline) else char for char in text)
