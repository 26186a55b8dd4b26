"""PDFs reuse what stays the same between them (font configuration, cut faces, parsed CSS), and a trainer's
edit to a template's CSS still shows in the very next PDF; WeasyPrint's defaults for footnotes and notes are
left out and the page looks the same."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from assistant import locations
from assistant.core.plan import Plan
from assistant.documents import pdf as pdf_module
from assistant.documents import pdf_reuse, render_patient, render_summary, ua_styles
from assistant.files.resources import Resources
from tests.pdf_pages import font_names, page_texts
from tests.test_documents import PRICED, make

weasyprint = pytest.importorskip("weasyprint")


@pytest.fixture(scope="module")
def plan(resources: Resources) -> Plan:
    return make(resources, PRICED, patient_name="Ji-woo Kim", zones=["glabella", "crows_feet"])


def _text(pdf: str | bytes, tmp_path: Path) -> str:
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    return " ".join(page_texts(pdf, tmp_path))


def _count_setups(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many font configurations and stylesheets WeasyPrint is asked to make from now on."""
    from weasyprint.text import fonts as weasyprint_fonts

    made = {"font configurations": 0, "stylesheets": 0}

    def counted(cls: Any, key: str) -> None:
        original = cls.__init__

        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            made[key] += 1
            original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", init)

    counted(weasyprint_fonts.FontConfiguration, "font configurations")
    counted(weasyprint.CSS, "stylesheets")
    return made


def test_a_second_pdf_of_the_same_characters_sets_nothing_up_again(
    resources: Resources, plan: Plan, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The bench's figure, as a count: the old code made a font configuration and parsed two stylesheets
    (the cut faces and the document's inline CSS) for every PDF."""
    pdf_reuse.forget()
    render_summary(plan, resources.kb, PRICED, "pdf", staff="Dr Lee")
    made = _count_setups(monkeypatch)
    again = render_summary(plan, resources.kb, PRICED, "pdf", staff="Dr Kang")  # another name, same characters
    assert made == {"font configurations": 0, "stylesheets": 0}
    assert "Dr Kang" in _text(again, tmp_path)
    assert font_names(again) == {"Document-Sans", "Document-Sans-Bold"}, "still the cut faces"


def test_a_setup_older_than_an_hour_is_made_afresh(
    resources: Resources, plan: Plan, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Its fonts are in a temporary folder that a system may clean under a UI left running for days."""
    render_summary(plan, resources.kb, PRICED, "pdf")
    for setup in pdf_reuse._setups.values():
        setup.made -= pdf_reuse.FRESH_FOR + 1
    made = _count_setups(monkeypatch)
    again = render_summary(plan, resources.kb, PRICED, "pdf")
    assert made["font configurations"] == 1
    assert "Ji-woo Kim" in _text(again, tmp_path)


def test_a_kept_setup_makes_the_same_pdf_as_a_fresh_one(resources: Resources, plan: Plan, tmp_path: Path) -> None:
    render_summary(plan, resources.kb, PRICED, "pdf")
    kept = render_summary(plan, resources.kb, PRICED, "pdf", paper="letter")
    pdf_reuse.forget()
    fresh = render_summary(plan, resources.kb, PRICED, "pdf", paper="letter")
    assert _text(kept, tmp_path) == _text(fresh, tmp_path)
    assert font_names(kept) == font_names(fresh)


def _touch(path: Path) -> None:
    """A later modification time, as a trainer's save gives (Jinja reloads a template whose time changed)."""
    stamp = path.stat().st_mtime + 2
    os.utime(path, (stamp, stamp))


def test_a_trainers_edit_to_the_css_shows_in_the_next_pdf(resources: Resources, plan: Plan, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(locations.TEMPLATES_DIR, templates)
    before = _text(render_summary(plan, resources.kb, PRICED, "pdf", templates_dir=templates), tmp_path)
    assert "Seoul Glow Clinic" in before and "Dose summary" in before

    shared = templates / "_print.css.j2"
    original = shared.read_text(encoding="utf-8")
    shared.write_text(original + "\n.masthead { display: none; }\n", encoding="utf-8")
    _touch(shared)
    edited = _text(render_summary(plan, resources.kb, PRICED, "pdf", templates_dir=templates), tmp_path)
    assert "Seoul Glow Clinic" not in edited, "the masthead (and the footer it names the clinic in) is hidden"
    assert "Dose summary" in edited

    summary = templates / "dose_summary.html.j2"
    summary.write_text(
        summary.read_text(encoding="utf-8").replace("{% endblock %}", "h1 { display: none; }\n{% endblock %}", 2),
        encoding="utf-8",
    )
    _touch(summary)
    hidden = _text(render_summary(plan, resources.kb, PRICED, "pdf", templates_dir=templates), tmp_path)
    assert "Dose summary" not in hidden and "Ji-woo Kim" in hidden

    shared.write_text(original, encoding="utf-8")
    _touch(shared)
    shutil.copy(locations.TEMPLATES_DIR / "dose_summary.html.j2", summary)
    _touch(summary)
    back = _text(render_summary(plan, resources.kb, PRICED, "pdf", templates_dir=templates), tmp_path)
    assert back == before


def test_a_korean_document_after_an_english_one_gets_its_own_faces(
    resources: Resources, plan: Plan, tmp_path: Path
) -> None:
    if pdf_module.korean_font_available() is not True:
        pytest.skip("no font covering Hangul is installed (fonts-noto-cjk)")
    english = render_patient(plan, resources.kb, PRICED, "pdf")
    korean = render_patient(plan, resources.kb, PRICED, "pdf", answers={"patient_language": "ko"})
    assert isinstance(english, bytes) and isinstance(korean, bytes)
    assert "Document-Sans-KR" in font_names(korean) and "Document-Sans-KR" not in font_names(english)
    assert "Ji-woo Kim 님" in _text(korean, tmp_path)


def test_only_plain_style_elements_are_taken_out() -> None:
    html = '<html><head><style>p { color: red; }</style><style media="screen">p { color: blue; }</style></head></html>'
    css, rest = pdf_reuse.split_styles(html)
    assert css == "p { color: red; }"
    assert rest == '<html><head><style media="screen">p { color: blue; }</style></head></html>'
    assert pdf_reuse.split_styles("<p>no style</p>") == ("", "<p>no style</p>")


# --- WeasyPrint's defaults without footnotes and notes (assistant/documents/ua_styles.py) ----------------


def _raster(pdf: bytes, tmp_path: Path, name: str) -> bytes:
    """The first page as a PNG at 100 dpi (poppler's pdftoppm)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the PDF's page cannot be drawn")
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [tool, "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", f"{name}.pdf", name], cwd=tmp_path, check=True
    )
    return (tmp_path / f"{name}.png").read_bytes()


@pytest.mark.parametrize("document", ["summary", "patient"])
def test_the_trimmed_defaults_draw_the_same_page(
    resources: Resources, plan: Plan, document: str, tmp_path: Path
) -> None:
    """The same HTML, once with the trimmed defaults and once with WeasyPrint's whole stylesheet (a CSS
    comment naming footnotes asks for it): the same pixels, list bullets included."""
    if document == "summary":
        html = render_summary(plan, resources.kb, PRICED, "html", staff="Dr Lee")
    else:
        html = render_patient(plan, resources.kb, PRICED, "html")
    assert isinstance(html, str) and "<li" in html
    css, _ = pdf_reuse.split_styles(html)
    assert ua_styles.document_class(weasyprint, css) is not weasyprint.HTML, "the templates get the trimmed defaults"
    whole = html.replace("</style>", "/* footnote */</style>", 1)
    trimmed = _raster(pdf_module.html_to_pdf(html), tmp_path, "trimmed")
    assert trimmed == _raster(pdf_module.html_to_pdf(whole), tmp_path, "whole")


def test_no_footnote_or_note_styles_are_computed(
    resources: Resources, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cost this saves: six styles per element, for footnotes and notes no document has."""
    from weasyprint import css as weasyprint_css

    computed: list[str | None] = []
    original = weasyprint_css.StyleFor.set_computed_styles

    def counted(self: Any, element: Any, *args: Any, pseudo_type: str | None = None, **kwargs: Any) -> Any:
        computed.append(pseudo_type)
        return original(self, element, *args, pseudo_type=pseudo_type, **kwargs)

    monkeypatch.setattr(weasyprint_css.StyleFor, "set_computed_styles", counted)
    render_summary(plan, resources.kb, PRICED, "pdf")
    assert computed and not {"footnote-call", "footnote-marker", "note-call", "note-marker"} & set(computed)


def test_a_document_asking_for_footnotes_gets_the_whole_defaults() -> None:
    assert ua_styles.document_class(weasyprint, ".aside { float: footnote; }") is weasyprint.HTML
    assert ua_styles.document_class(weasyprint, "p { display: list-item; }") is weasyprint.HTML
    assert ua_styles.document_class(weasyprint, "P { DISPLAY: LIST-ITEM; }") is weasyprint.HTML, "in any case"
    assert ua_styles.document_class(weasyprint, "p { color: red; }") is not weasyprint.HTML
    assert ua_styles.trimmed("p { color: red; }\n") is None, "another WeasyPrint's defaults: left whole"


def test_one_offline_fetcher_serves_every_pdf_and_reads_data_urls_only(resources: Resources, plan: Plan) -> None:
    """Building a URL fetcher took 0.4 ms of every PDF: it is made once, and still refuses the network."""
    render_summary(plan, resources.kb, PRICED, "pdf")
    made = pdf_module._offline_fetcher.cache_info().misses
    render_summary(plan, resources.kb, PRICED, "pdf")
    assert pdf_module._offline_fetcher.cache_info().misses == made, "the fetcher of the first PDF is kept"
    fetcher = pdf_module._offline_fetcher(weasyprint)
    assert fetcher is pdf_module._offline_fetcher(weasyprint)
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("https://example.com/logo.png")
    assert fetcher("data:text/plain,ok") is not None
