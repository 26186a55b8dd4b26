"""HTML -> PDF with WeasyPrint, imported only when a PDF is asked for.

WeasyPrint is slow to import and needs system libraries (Pango, HarfBuzz, fontconfig); the text and
HTML documents, the CLI and the UI must work without them. Nothing is fetched while rendering: the
documents carry their CSS inline, and any URL a template reaches for (an image, a web font) is refused,
so a PDF never depends on the network. (The inline CSS is taken out and parsed once for many PDFs:
``assistant.documents.pdf_reuse``.)

A document with Korean text (a Korean patient explanation, or a Hangul name on an English one) needs
a system font that covers Hangul, since no font is shipped or fetched. Without one WeasyPrint would
print empty boxes; fontconfig (``fc-list :lang=ko``) is asked first, and a missing font is a
``PdfUnavailable`` that names the package to install.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from typing import Any

from assistant.documents.render import RenderError


class PdfUnavailable(RenderError):
    """WeasyPrint or one of its system libraries is missing."""


_HELP = (
    "PDF output needs WeasyPrint and its system libraries (Pango, HarfBuzz, fontconfig). "
    "Install them (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b; "
    "then pip install weasyprint), or ask for --format html and print that from a browser."
)


#: Hangul jamo, compatibility jamo, extended jamo and syllables.
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")

KOREAN_FONT_HELP = (
    "Korean PDFs need a font that covers Hangul: install the system package fonts-noto-cjk "
    "(Debian/Ubuntu: apt-get install fonts-noto-cjk) and try again, "
    "or ask for --format html or text meanwhile."
)

_korean_font_found = False  # remembered once found: fonts are not uninstalled under a running program


def korean_font_available() -> bool | None:
    """Whether fontconfig knows a font that covers Korean; None when it cannot be asked (no ``fc-list``)."""
    global _korean_font_found
    if _korean_font_found:
        return True
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    _korean_font_found = bool(result.stdout.strip())
    return _korean_font_found


def check_fonts(html: str) -> None:
    """Refuse, with the package to install, a document whose Korean text no installed font can show."""
    if _HANGUL.search(html) and korean_font_available() is False:
        raise PdfUnavailable(KOREAN_FONT_HELP)


@functools.cache
def _offline_fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that reads inline data: URLs only; any other URL is refused (WeasyPrint warns and
    leaves the resource out).

    Made once per WeasyPrint module and kept: building one (urllib's opener with its nine handlers) took
    0.4 ms of every PDF, and it keeps nothing from one fetch to the next (the PDFs' fetches run under
    ``pdf_reuse.lock`` besides)."""
    urls = weasyprint.urls
    if hasattr(urls, "URLFetcher"):  # WeasyPrint 66+
        return urls.URLFetcher(allowed_protocols=("data",), allow_redirects=False)

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # older WeasyPrint: a function
        if url.startswith("data:"):
            return urls.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"documents may not load external resources ({url})")

    return fetch


def _weasyprint() -> Any:
    try:
        import weasyprint
        import weasyprint.urls
    except ImportError as error:
        raise PdfUnavailable(f"{_HELP} (WeasyPrint is not installed: {error})") from None
    except OSError as error:  # a missing shared library is reported at import time
        raise PdfUnavailable(f"{_HELP} (a system library is missing: {error})") from None
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document, as bytes.

    The document's fonts are cut to its own characters first (``assistant.documents.fonts``), so a
    PDF takes a fraction of a second on a machine without libharfbuzz-subset0; the font configuration
    they are registered in and the document's parsed CSS are kept for the next PDF
    (``assistant.documents.pdf_reuse``), WeasyPrint's defaults for footnotes and notes, which no
    document uses, are left out (``assistant.documents.ua_styles``), and the face diagram reaches
    WeasyPrint as an image of the same drawing rather than inline SVG (``assistant.documents.svg_images``).
    """
    weasyprint = _weasyprint()
    check_fonts(html)
    from assistant.documents import pdf_reuse, svg_images, ua_styles
    from assistant.documents.fonts import skip_second_subsetting

    skip_second_subsetting()
    fetcher = _offline_fetcher(weasyprint)
    css, body = pdf_reuse.split_styles(html)
    body = svg_images.as_images(body)
    try:
        with pdf_reuse.lock:
            setup = pdf_reuse.font_setup(html, weasyprint, fetcher)
            stylesheets = [setup.faces] if setup.faces is not None else []
            if css:
                stylesheets.append(pdf_reuse.stylesheet(setup, css, weasyprint, fetcher))
            reader = ua_styles.document_class(weasyprint, css)
            document = reader(string=body, base_url=None, url_fetcher=fetcher)
            pdf = document.write_pdf(stylesheets=stylesheets, font_config=setup.font_config)
    except OSError as error:
        raise PdfUnavailable(f"{_HELP} ({error})") from None
    if not pdf:
        raise RenderError("WeasyPrint produced an empty PDF")
    return bytes(pdf)
