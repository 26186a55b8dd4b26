"""Characters that can drive a terminal or reorder text, and how every input and output treats them.

A name such as ``"Bob\\r\\nStatus: PLANNED\\x1b]0;PWNED\\x07"`` would forge a summary line, retitle
the window and clear the screen when printed; a right-to-left override (U+202E) turns "evil" into
"live" on a printed sheet. So every free-text answer, setting and name is refused when it holds
one (``text_problem``), with a plain message, and whatever reaches a terminal from older records
is escaped (``printable``) so that it shows as inert text. Pure functions: the UI, answer files,
settings and command-line flags all use these.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_LINE_BREAK = "\n"

_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Embeddings, overrides and isolates: they reorder the characters that follow them."""


@functools.cache
def _forbidden(multiline: bool) -> re.Pattern[str]:
    """C0 controls (but the line break when ``multiline``), DEL, C1 controls, Unicode line and
    paragraph separators, and bidi controls. Compiled on first use: start-up imports this module."""
    first_c0 = "\x00-\x09\x0b-\x1f" if multiline else "\x00-\x1f"
    return re.compile(f"[{first_c0}\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}]")


_NAMES = {
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x1b": "an escape character",
    "\x07": "a bell character",
    "\x08": "a backspace",
    "\x00": "a null character",
}


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in _NAMES:
        return f"{_NAMES[char]} ({code})"
    if char in _BIDI_CONTROLS:
        return f"a direction control, {unicodedata.name(char).lower()} ({code})"
    return f"a control character ({code})"


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """None when ``text`` is safe to keep and show; else what is wrong, in one sentence.

    ``multiline`` allows line breaks (texts a trainer writes in a YAML block); names, answers and
    settings are one line.
    """
    found = _forbidden(multiline).search(text)
    if found is None:
        return None
    return (
        f"it holds {_describe(found.group())} at character {found.start() + 1}; remove it "
        "(control and text-direction characters can change what a screen or a printout shows)"
    )


def require_safe_text(text: str, *, multiline: bool = False) -> str:
    """``text`` itself, or ValueError with the ``text_problem`` sentence (for pydantic validators)."""
    problem = text_problem(text, multiline=multiline)
    if problem is not None:
        raise ValueError(problem)
    return text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, multiline: bool = True) -> str:
    """``text`` with every control and direction character shown as an inert escape (``\\x1b``,
    ``\\u202e``), for output that reaches a terminal or a page. Line breaks are kept when
    ``multiline`` (a rendered document), escaped otherwise (one value in a table row)."""
    return _forbidden(multiline).sub(_escape, text)


def json_printable(text: str) -> str:
    """JSON text (from ``json.dumps``) with the characters it leaves as they are (C1 controls,
    DEL, direction controls, line separators) written as ``\\uXXXX`` escapes: still the same JSON,
    but inert on a terminal."""
    return _forbidden(True).sub(lambda m: f"\\u{ord(m.group()):04x}", text)
