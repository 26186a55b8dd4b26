"""Small fonts for fast PDFs: each document embeds only the characters it holds, cut out here in milliseconds.

Why this exists: WeasyPrint embeds a subset of every font a document uses. Without the optional system
library libharfbuzz-subset0 (absent on a clinic's fresh machine) it subsets with fontTools, which takes
about 0.15 s per face of DejaVu Sans and 3 s per face of Noto Sans CJK (65,000 glyphs, kept by glyph id
up to the highest one used): a Korean patient sheet took 6 s. So, before WeasyPrint sees a document,
this module cuts from each face the templates use just the characters in the document, with HarfBuzz's
own subsetter from the ``uharfbuzz`` wheel (a PyPI package, no system library), and hands those faces to
WeasyPrint as ``@font-face`` rules with ``data:`` URLs under the family names the templates list first:

- ``Document Sans``: the first of ``LATIN_FAMILIES`` installed (DejaVu Sans on Debian).
- ``Document Sans KR``: the first of ``HANGUL_FAMILIES`` installed (Noto Sans CJK KR from fonts-noto-cjk).

WeasyPrint then lays out with faces of a few hundred glyphs, and ``skip_second_subsetting`` spares them
its own subsetting pass (with fontTools, 0.12 s for the two Korean faces: they hold only the document's
characters already). Browsers showing the HTML do not know these names and use the next families of
the templates' lists. Nothing depends on this
for correctness: without uharfbuzz or ``fc-match``, or for a character outside the cut faces (an emoji in
a name), the templates' next families are used as before, only slower.
"""

from __future__ import annotations

import base64
import functools
import html as html_text
import shutil
import subprocess
import threading
from dataclasses import dataclass
from typing import Any

LATIN_FAMILY = "Document Sans"
HANGUL_FAMILY = "Document Sans KR"

#: Installed families the two document families are cut from, first found first (the templates' order).
LATIN_FAMILIES = ("Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica")
HANGUL_FAMILIES = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Apple SD Gothic Neo", "Malgun Gothic")

#: fontconfig weights: regular and bold (FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD); a face at or above
#: ``_BOLD_FROM`` counts as bold.
_WEIGHTS = {400: 80, 700: 200}
_BOLD_FROM = 180

#: Characters a page can show that are not in the HTML's text: list bullets, the hyphen WeasyPrint
#: inserts, page counters and the margin boxes' separators are ASCII or these.
_ALWAYS = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset("\u00a0\u2022\u2010\u2013\u2014\u2026\u00b7\u00d7")

#: Tables a PDF does not need (shaping is done before the font is embedded, from the full face).
_DROP_TABLES = ("BASE", "DSIG", "JSTF", "LTSH", "PCLT", "SVG ", "EBDT", "EBLC", "EBSC", "VORG", "vhea", "vmtx")


@dataclass(frozen=True)
class Face:
    """One installed font face: its file, its index in a collection (.ttc), its family and CSS weight."""

    path: str
    index: int
    family: str
    weight: int


_lock = threading.Lock()
_found: dict[tuple[tuple[str, ...], int], Face | None] = {}
_hb_faces: dict[tuple[str, int], Any] = {}


def _fc_match(family: str, weight: int) -> Face | None:
    """The installed face fontconfig gives for a family and weight, if it is that family (fontconfig
    falls back to another family when asked for one it does not have) and, for bold, really bold."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = f"{family}:weight={_WEIGHTS[weight]}"
    try:
        result = subprocess.run(
            [fc_match, "-f", "%{file}\t%{index}\t%{family}\t%{weight}", pattern],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    parts = result.stdout.split("\t")
    if result.returncode != 0 or len(parts) != 4:
        return None
    path, index, families, fc_weight = parts
    if family.casefold() not in {name.strip().casefold() for name in families.split(",")}:
        return None
    try:
        bold = float(fc_weight) >= _BOLD_FROM
        face_index = int(index)
    except ValueError:
        return None
    if bold != (weight == 700):
        return None
    return Face(path=path, index=face_index, family=family, weight=weight)


def find_face(families: tuple[str, ...], weight: int) -> Face | None:
    """The first of ``families`` installed in this weight (asked once per process: fonts are not
    uninstalled under a running program)."""
    key = (families, weight)
    with _lock:
        if key in _found:
            return _found[key]
    face = next((found for family in families if (found := _fc_match(family, weight)) is not None), None)
    with _lock:
        _found[key] = face
    return face


def _uharfbuzz() -> Any:
    try:
        import uharfbuzz
    except ImportError:  # the fast path is missing: the templates' own fonts are used, more slowly
        return None
    return uharfbuzz


def can_cut() -> bool:
    """Whether faces can be cut here (uharfbuzz installed); without it the templates' next families are used."""
    return _uharfbuzz() is not None


def document_characters(html: str) -> set[str]:
    """Every character the rendered document can show: the HTML's own (text, attribute values and the
    CSS's ``content`` strings alike, entities decoded), both cases of each letter, and ``_ALWAYS``."""
    # Each character cased once, not the whole text (three passes over 14 KB took 0.5 ms of every PDF). The
    # one casing that hangs on a letter's neighbours, Greek capital sigma's lower case (σ, or ς ending a
    # word), gives both.
    unique = "".join(set(html_text.unescape(html)))
    characters = set(unique) | set(unique.upper()) | set(unique.lower()) | _ALWAYS
    if "\u03a3" in characters:
        characters |= {"\u03c3", "\u03c2"}
    return {c for c in characters if c.isprintable() or c == "\u00a0"}


def _harfbuzz_face(face: Face) -> Any:
    """The installed face read by HarfBuzz (once per process), or None without uharfbuzz or when unreadable."""
    hb = _uharfbuzz()
    if hb is None:
        return None
    key = (face.path, face.index)
    with _lock:
        hb_face = _hb_faces.get(key)
        if hb_face is None:
            try:
                hb_face = _hb_faces[key] = hb.Face(hb.Blob.from_file_path(face.path), face.index)
            except Exception:  # an unreadable font file: leave it to WeasyPrint
                return None
    return hb_face


def advance(face: Face, character: str) -> float | None:
    """How far ``character`` moves the pen in ``face``, in ems, as WeasyPrint places it; None without
    uharfbuzz, for an unreadable face, or a character the face does not have."""
    hb = _uharfbuzz()
    hb_face = _harfbuzz_face(face)
    if hb is None or hb_face is None:
        return None
    font = hb.Font(hb_face)
    glyph = font.get_nominal_glyph(ord(character))
    return None if glyph is None else float(font.get_glyph_h_advance(glyph)) / hb_face.upem


def cut(face: Face, characters: set[str]) -> bytes | None:
    """The face with only ``characters`` (glyphs renumbered), or None when it cannot be cut."""
    hb = _uharfbuzz()
    hb_face = _harfbuzz_face(face)
    if hb is None or hb_face is None:
        return None
    plan = hb.SubsetInput()
    plan.unicode_set.update(ord(c) for c in characters)
    plan.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NOTDEF_OUTLINE
    for tag in _DROP_TABLES:
        plan.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    try:
        subset = hb.subset(hb_face, plan)
    except Exception:  # HarfBuzz refused this face: leave it to WeasyPrint
        return None
    data = subset.blob.data if subset is not None else b""
    return bytes(data) or None


def font_faces_css(html: str) -> str:
    """``@font-face`` rules for ``Document Sans`` and ``Document Sans KR`` holding the document's
    characters; empty when the fast path is unavailable. Hangul is looked up only for a document that
    has some, so an English document never touches the CJK font."""
    if _uharfbuzz() is None:
        return ""
    characters = document_characters(html)
    families = [(LATIN_FAMILY, LATIN_FAMILIES)]
    if any("\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f" for c in characters):
        families.append((HANGUL_FAMILY, HANGUL_FAMILIES))
    rules = []
    for name, installed in families:
        for weight in (400, 700):
            face = find_face(installed, weight)
            data = cut(face, characters) if face is not None else None
            if data is None:
                continue
            encoded = base64.b64encode(data).decode("ascii")
            rules.append(
                f'@font-face {{ font-family: "{name}"; font-weight: {weight}; font-style: normal; '
                f"src: url(data:font/sfnt;base64,{encoded}); }}"
            )
    return "\n".join(rules)


def skip_second_subsetting() -> None:
    """Make WeasyPrint embed the faces cut here as they are instead of subsetting them again.

    WeasyPrint has no option for this, so its ``Font.subset`` is wrapped (once) to return at once
    for the two document families; every other font is subset as before. If a WeasyPrint version
    has no such method, nothing is wrapped and PDFs are only slower.
    """
    try:
        from weasyprint.pdf import fonts as weasyprint_fonts
    except ImportError:
        return
    font_class = getattr(weasyprint_fonts, "Font", None)
    original = getattr(font_class, "subset", None)
    if font_class is None or original is None or getattr(original, "cut_faces_kept", False):
        return

    @functools.wraps(original)
    def subset(self: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "family", None) in (LATIN_FAMILY, HANGUL_FAMILY):
            return None  # already the document's characters only (cut())
        return original(self, *args, **kwargs)

    subset.cut_faces_kept = True  # type: ignore[attr-defined]
    font_class.subset = subset
