"""What WeasyPrint is given for a PDF that stays the same from document to document, made once and reused.

Why: most of a dose summary's PDF time was not its own layout but setting up again, for each PDF, what
the last one had already set up: a new font configuration (fontconfig's font list loaded, an empty
Pango font map that measures every glyph again), the cut faces of ``assistant.documents.fonts``
written out and registered, and the document's inline ``<style>`` parsed again. Here:

- ``font_setup``: the font configuration with the cut faces registered in it, kept per character set
  (every English document of the same characters shares one; a Korean one has its own).
- ``split_styles``: the document's plain ``<style>`` elements taken out of the HTML; ``stylesheet``
  parses their text once and keeps it, keyed by the text itself. A trainer's edit to a template
  changes the text, so the next PDF parses the new CSS: nothing is ever served stale.

The CSS moved out of the document is given to WeasyPrint as a user stylesheet; with no author styles
left in the document (the templates use no ``style`` attributes), it wins over WeasyPrint's
user-agent styles exactly as the inline ``<style>`` did, and the PDF looks the same. A ``<style>``
with attributes (``media=...``) is left in the document for WeasyPrint to read as before.

A font configuration is not safe to share between threads, so a PDF is made under ``lock``. At most
``KEPT`` character sets are kept; the oldest is dropped (and its temporary font folder removed by
WeasyPrint) when another comes, and all are dropped when the program ends. A setup is also made
afresh once it is ``FRESH_FOR`` seconds old: its fonts live in a temporary folder, which a system may
clean under a UI left running for days.
"""

from __future__ import annotations

import atexit
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from assistant.documents import fonts

#: Character sets (with their font configurations) kept; a clinic prints English and Korean documents.
KEPT = 4
#: Stylesheets kept per character set: the templates' few documents and papers, and a trainer's edits.
KEPT_STYLESHEETS = 16
#: Seconds a font setup is used for (its temporary font files are left alone for far longer than that).
FRESH_FOR = 3600.0

#: A plain <style> element (no attributes): its CSS applies to every medium, as a user stylesheet's does.
_STYLE = re.compile(r"<style>(.*?)</style>", re.S | re.I)

lock = threading.RLock()


@dataclass
class FontSetup:
    """One character set's font configuration, the stylesheet of its cut faces (None when the faces
    could not be cut) and the documents' stylesheets parsed with it."""

    font_config: Any
    faces: Any | None
    made: float
    stylesheets: OrderedDict[str, Any] = field(default_factory=OrderedDict)


_setups: OrderedDict[tuple[frozenset[str], bool], FontSetup] = OrderedDict()


def split_styles(html: str) -> tuple[str, str]:
    """(the CSS of the document's plain ``<style>`` elements, the HTML without them)."""
    found = list(_STYLE.finditer(html))
    if not found:
        return "", html
    css = "\n".join(match.group(1) for match in found)
    return css, _STYLE.sub("", html)


def font_setup(html: str, weasyprint: Any, fetcher: Any) -> FontSetup:
    """The font configuration for a document's characters, with its cut faces registered (made on the
    first document of these characters; again when the faces can no longer be cut, or can again).
    Call under ``lock``."""
    key = (frozenset(fonts.document_characters(html)), fonts.can_cut())
    setup = _setups.get(key)
    now = time.monotonic()
    if setup is not None and now - setup.made < FRESH_FOR:
        _setups.move_to_end(key)
        return setup
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    faces = fonts.font_faces_css(html)
    sheet = weasyprint.CSS(string=faces, font_config=font_config, url_fetcher=fetcher) if faces else None
    _setups.pop(key, None)
    setup = _setups[key] = FontSetup(font_config, sheet, now)
    while len(_setups) > KEPT:
        _setups.popitem(last=False)
    return setup


def stylesheet(setup: FontSetup, css: str, weasyprint: Any, fetcher: Any) -> Any:
    """The document CSS ``css`` parsed (once per text and font configuration: an ``@font-face`` in it
    registers with that configuration). Call under ``lock``."""
    sheet = setup.stylesheets.get(css)
    if sheet is not None:
        setup.stylesheets.move_to_end(css)
        return sheet
    sheet = setup.stylesheets[css] = weasyprint.CSS(string=css, font_config=setup.font_config, url_fetcher=fetcher)
    while len(setup.stylesheets) > KEPT_STYLESHEETS:
        setup.stylesheets.popitem(last=False)
    return sheet


def forget() -> None:
    """Drop everything kept (the next PDF sets up afresh); WeasyPrint removes the font folders."""
    with lock:
        _setups.clear()


atexit.register(forget)  # while the interpreter can still remove the temporary font folders
