"""How long the UI waits after an Esc for the rest of a terminal's key sequence: set before Textual
is imported, which reads ``ESCDELAY`` once (``textual.constants.ESCAPE_DELAY``).

A key typed within that time joins the Esc: Esc and Enter arrive as a plain Enter, Esc and a space
as a space, the Esc lost. Textual waits 100 ms; 50 ms is shorter than a person's Esc-to-next-key and
longer than a terminal takes to send one key's bytes (Neovim waits as long). Esc + a letter, read
as Alt whatever the delay, is mended where keys come in (``typed_keys.as_typed``). This module
imports nothing of Textual's, so that it can run first.
"""

from __future__ import annotations

import os

ESCAPE_DELAY_MS = 50


def set_escape_delay() -> None:
    """The UI's escape delay, unless the user set their own ``ESCDELAY``."""
    os.environ.setdefault("ESCDELAY", str(ESCAPE_DELAY_MS))
