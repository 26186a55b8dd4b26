"""The guard of the fast PDF route (issue 25): every PDF embeds its fonts cut to the document's own
characters, never whole.

Why: a PDF takes a fraction of a second and weighs tens of KB only because assistant/documents/fonts.py
cuts each face with the uharfbuzz wheel before WeasyPrint sees it (WeasyPrint's own subsetting without the
system library libharfbuzz-subset0 takes seconds for a Korean face). A new release of WeasyPrint or
uharfbuzz that silently stopped the cut would ship documents of megabytes made in seconds; these tests
fail instead. Three ways of seeing it: the PDF's size against the full faces it came from, every
embedded font program against the installed font files, and the subset tags (poppler's ``pdffonts``
"sub" column too, where installed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from assistant.core.plan import Plan
from assistant.documents import fonts, render_patient, render_summary
from assistant.documents import pdf as pdf_module
from assistant.files.resources import Resources
from tests.pdf_pages import page_count
from tests.test_document_layout import CLINIC, plan_of

KOREAN_NAME = "박민아"
#: A one-page document with its fonts cut weighs 20-60 KB; one whole face of DejaVu Sans adds about
#: 400 KB compressed, one of Noto Sans CJK KR several MB. The bounds sit well between.
MAX_BYTES = {"summary en": 100_000, "summary ko": 150_000, "patient ko": 250_000}
#: A cut face holds a few hundred glyphs: far under a tenth of the smallest whole face installed.
CUT_SHARE = 0.1

_FONT_STREAM = re.compile(rb"<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([\w+-]+)")


def font_programs(pdf: bytes) -> list[bytes]:
    """The embedded font programs, decompressed: the streams of a TrueType face (``/Length1``, FontFile2)
    or an OpenType one (``/Subtype /OpenType``, FontFile3)."""
    programs = []
    for found in _FONT_STREAM.finditer(pdf):
        header = found.group(1)
        if b"/Length1" not in header and b"/Subtype /OpenType" not in header:
            continue
        length = re.search(rb"/Length (\d+)", header)
        assert length is not None, f"a font stream without its length: {header[:80]!r}"
        data = pdf[found.end() : found.end() + int(length.group(1))]
        programs.append(zlib.decompress(data) if b"/FlateDecode" in header else data)
    return programs


def base_fonts(pdf: bytes) -> set[str]:
    """Every /BaseFont name of the PDF, with its subset tag if it has one ("ABCDEF+Document-Sans")."""
    chunks = [pdf]
    for found in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(found.group(1)))
        except zlib.error:
            continue
    return {name.decode() for chunk in chunks for name in _BASE_FONT.findall(chunk)}


def whole_face_sizes(hangul: bool) -> list[int]:
    """The sizes of the installed font files the document's faces are cut from."""
    families = [fonts.LATIN_FAMILIES] + ([fonts.HANGUL_FAMILIES] if hangul else [])
    faces = [fonts.find_face(family, weight) for family in families for weight in (400, 700)]
    return [os.path.getsize(face.path) for face in faces if face is not None]


@pytest.fixture(scope="module")
def full_face(resources: Resources) -> tuple[Plan, dict[str, Any]]:
    return plan_of(resources, "full_face")


def make_pdf(resources: Resources, full_face: tuple[Plan, dict[str, Any]], which: str) -> bytes:
    plan, answers = full_face
    if which == "summary en":
        made = render_summary(plan, resources.kb, CLINIC, "pdf", answers=answers, script=resources.script)
    else:
        if pdf_module.korean_font_available() is not True:
            pytest.skip("no font covering Hangul is installed (fonts-noto-cjk)")
        korean = {**answers, "patient_language": "ko", "patient_name": KOREAN_NAME}
        plan = plan.model_copy(update={"patient_name": KOREAN_NAME})
        if which == "summary ko":  # the summary stays English, with the patient's name in Hangul
            made = render_summary(plan, resources.kb, CLINIC, "pdf", answers=korean, script=resources.script)
        else:
            made = render_patient(plan, resources.kb, CLINIC, "pdf", language="ko", answers=korean)
    assert isinstance(made, bytes)
    return made


@pytest.mark.slow
@pytest.mark.parametrize("which", list(MAX_BYTES))
def test_the_pdf_embeds_its_fonts_cut(
    resources: Resources, full_face: tuple[Plan, dict[str, Any]], which: str, tmp_path: Path
) -> None:
    assert fonts.can_cut(), "uharfbuzz is a dependency: without it no face is cut here"
    pdf = make_pdf(resources, full_face, which)
    if which.startswith("summary"):
        assert page_count(pdf) == 1, "the guard's sizes are those of a one-page summary"

    names = base_fonts(pdf)
    families = {name.split("+")[-1] for name in names}
    expected = {"Document-Sans-KR"} if which == "patient ko" else {"Document-Sans", "Document-Sans-Bold"}
    assert expected <= families, f"the faces cut by assistant/documents/fonts.py are missing: {sorted(names)}"
    untagged = sorted(name for name in names if not re.fullmatch(r"[A-Z]{6}\+[\w-]+", name))
    assert not untagged, f"fonts embedded whole (no subset tag): {untagged}"

    whole = whole_face_sizes(hangul="ko" in which)
    assert whole, "no installed face found to compare with"
    programs = font_programs(pdf)
    assert len(programs) == len(names), "one embedded program per font"
    for program in programs:
        assert len(program) < CUT_SHARE * min(whole), (
            f"an embedded font program of {len(program):,} bytes, more than a tenth of the smallest whole "
            f"face installed ({min(whole):,} bytes): the fonts were not cut"
        )
    assert len(pdf) < MAX_BYTES[which], f"{which}: {len(pdf):,} bytes, the size of a PDF with whole fonts"

    pdffonts = shutil.which("pdffonts")
    if pdffonts is not None:  # poppler's own reading of the same PDF: every font embedded and subset
        path = tmp_path / "fonts.pdf"
        path.write_bytes(pdf)
        listing = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
        assert len(rows) == len(names)
        for row in rows:  # ... emb sub uni object ID: the last five columns
            assert row[-5:-2] == ["yes", "yes", "yes"], f"pdffonts: not embedded, subset and mapped: {row}"
