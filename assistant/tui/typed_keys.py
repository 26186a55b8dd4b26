"""Pasted text as the keys that would type it, and what a paste may not hold.

A paste is typed in order as if each character were a key and each line ended with Enter, so the
key gate (``key_gate.py``) applies it like a quick typist's keys, one at a time.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.keys import _character_to_key


def keys_of(text: str) -> list[events.Key]:
    """Pasted text as the keys that would type it: each line an answer, as if typed and Enter
    pressed. A space of another width (a no-break space from a web page) is a space; the text must
    have passed ``paste_problem``."""
    keys = []
    for character in text.replace("\r\n", "\n").replace("\r", "\n"):
        if character == "\n":
            keys.append(events.Key("enter", "\r"))
        elif unicodedata.category(character) == "Zs":
            keys.append(events.Key("space", " "))
        else:
            keys.append(events.Key(_character_to_key(character), character))
    return keys


def paste_problem(text: str) -> str | None:
    """Why a pasted text is not typed at all, or None. A paste is typed in order, every character
    as it is, or not at all: a tab would move the cursor to another field half-way (the rest of
    the line typed there, the next line joined to the first answer), and a control or invisible
    character could not be typed; dropping it would change the answer unseen."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        for character in line:
            if character.isprintable() or unicodedata.category(character) == "Zs":
                continue
            name = "a tab" if character == "\t" else unicodedata.name(character, "")
            name = name if name == "a tab" else f"the character {name}" if name else "a control character"
            where = f" on line {number}" if len(lines) > 1 else ""
            return (
                f"Nothing was typed from the paste: it holds {name} (U+{ord(character):04X}){where}. "
                "Paste plain text, one answer per line."
            )
    return None


def as_typed(key: events.Key) -> list[events.Key]:
    """The keys a terminal's key stands for.

    - Enter typed before the terminal is in raw mode (at start-up) arrives as a line feed, which
      Textual reads as Ctrl+J; it is an Enter.
    - Esc followed at once by a character (within the terminal's escape delay: a quick typist, tmux,
      a laggy SSH link sending both in one packet) arrives as the same bytes as Alt+character, and
      Textual reads Alt. The app binds no Alt key, and Textual's Input would type the character
      with the Esc lost: a question not gone back from, and an Enter typed next answering the list
      on screen with its highlighted choice. So it is Esc, then the character."""
    if key.key == "ctrl+j":
        return [events.Key("enter", "\r")]
    character = key.character
    if key.key.startswith("alt+") and character is not None and len(character) == 1 and character.isprintable():
        return [events.Key("escape", "\x1b"), events.Key(_character_to_key(character), character)]
    return [key]
