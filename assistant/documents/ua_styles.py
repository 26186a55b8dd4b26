"""WeasyPrint's default (user-agent) stylesheet without the rules for features the documents do not use.

Why: WeasyPrint's default stylesheet styles five footnote and note pseudo-elements (``::footnote-call``,
``::footnote-marker``, ``::note-call``, ``::note-marker``, ``::note-callback``) and ``::marker`` with
selectors that match every element, so each PDF computed six extra styles for every element: about 860
of the dose summary's 940 computed styles, some 7% of its PDF time, for footnotes and notes the
templates never make and markers only list items have.

Here the five rules are left out and ``::marker`` applies to list items (``li``, the only elements the
default stylesheet makes list items of); everything else is WeasyPrint's own text, so a PDF looks the
same. A document whose CSS mentions footnotes, notes, markers or list items gets the whole default
stylesheet, as does every document when WeasyPrint's stylesheet no longer reads as expected here.

WeasyPrint has no option for this: ``document_class`` gives a subclass of ``weasyprint.HTML`` with its
``_ua_stylesheets`` method replaced. A WeasyPrint without that method ignores it (PDFs are only slower).
"""

from __future__ import annotations

import re
from typing import Any

_UNUSED = re.compile(r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n", re.M)
_MARKER = re.compile(r"^::marker \{", re.M)
_UNUSED_COUNT = 5

#: Words in a document's CSS that ask for what the trimmed stylesheet leaves out ("note" is in "footnote"),
#: looked for in its case-folded text: a case-insensitive regular expression took 0.4 ms of every PDF.
_NEEDS_ALL = ("note", "marker", "list-item")

_classes: dict[int, Any] = {}


def trimmed(default: str) -> str | None:
    """The default stylesheet's text without the footnote and note rules and with ``::marker`` on list
    items only; None when the text is not as expected (another WeasyPrint)."""
    text, dropped = _UNUSED.subn("", default)
    text, scoped = _MARKER.subn("li::marker {", text)
    if dropped != _UNUSED_COUNT or scoped != 1:
        return None
    return text


def document_class(weasyprint: Any, css: str) -> Any:
    """The class to read a document with CSS ``css``: ``weasyprint.HTML``, or its subclass with the
    trimmed default stylesheet (made once). Call under ``pdf_reuse.lock``."""
    folded = css.casefold()
    if any(word in folded for word in _NEEDS_ALL) or not hasattr(weasyprint.HTML, "_ua_stylesheets"):
        return weasyprint.HTML
    key = id(weasyprint)
    found = _classes.get(key)
    if found is None:
        found = _classes[key] = _make_class(weasyprint)
    return found


def _make_class(weasyprint: Any) -> Any:
    try:
        from weasyprint import html as weasyprint_html
        from weasyprint.css.counters import CounterStyle
    except ImportError:
        return weasyprint.HTML
    text = trimmed(getattr(weasyprint_html, "UA", ""))
    if text is None:
        return weasyprint.HTML
    # A counter-style table of its own: WeasyPrint's was filled from the same text when it was imported.
    sheet = weasyprint.CSS(string=text, counter_style=CounterStyle())

    class TrimmedDefaults(weasyprint.HTML):  # type: ignore[misc,name-defined]
        """A document read with the trimmed default stylesheet (forms keep WeasyPrint's own)."""

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            if forms:
                return list(super()._ua_stylesheets(forms))
            return [sheet]

    return TrimmedDefaults
