"""The printed documents as paper: the dose summary on one A4 page with its signature block, the patient
sheet without holes, sizes a reader can read, the clinic's own name and phone, small and fast-made PDFs."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant import locations
from assistant.core.plan import Plan
from assistant.documents import fonts, render_patient, render_summary, summary_context
from assistant.documents import pdf as pdf_module
from assistant.files.loaders import load_answers
from assistant.files.resources import Resources
from assistant.services.headless import consult_date, run_answer_file
from assistant.settings import ClinicSettings
from tests.helpers import TODAY
from tests.pdf_pages import font_names, page_count, page_fill, page_sizes, page_texts, right_margin_left

EXAMPLES = sorted(  # the refused examples (status: invalid) have no documents
    p.stem for p in locations.EXAMPLES_DIR.glob("*.yaml") if "status: invalid" not in p.read_text(encoding="utf-8")
)
CLINIC = ClinicSettings(name="Seoul Glow Clinic", phone="+82 2 555 0134", price_per_unit=9.5)
SIGNED = [
    {"name": "Dr Hana Cho", "role": "practitioner", "meaning": "planned and given as printed",
     "at": dt.datetime(2026, 11, 24, 10, 42, tzinfo=dt.UTC)},
    {"name": "Min-ji Lee", "role": "nurse", "meaning": "witnessed",
     "at": dt.datetime(2026, 11, 24, 10, 44, tzinfo=dt.UTC)},
]  # fmt: skip
AMENDED = [
    {"version": 2, "at": dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), "by": "Dr Hana Cho",
     "reason": "lot number corrected (was BTX-24A171)"},
]  # fmt: skip
#: The patient sheet's top and bottom page margins (its templates' @page, A4): a full page is measured between.
PATIENT_MARGINS_MM = (13, 15)


def plan_of(resources: Resources, example: str, today: date | None = None, **answers: object) -> tuple[Plan, Any]:
    loaded = load_answers(locations.EXAMPLES_DIR / f"{example}.yaml")
    assert loaded.value is not None, loaded.problems
    loaded.value.answers.update(answers)
    when = today or consult_date(loaded.value, None, TODAY)
    assert isinstance(when, date)
    outcome = run_answer_file(resources, loaded.value, when)
    assert outcome.plan is not None and outcome.consult is not None, outcome.problems
    return outcome.plan, outcome.consult.answers


@pytest.fixture(scope="module")
def patient_pdf(resources: Resources) -> Callable[[str, str], bytes]:
    """The patient sheet of a shipped example as a PDF, made once per module for each example and
    language: three kinds of test read the same sheets (no holes, the urgent sentence once, the cut
    fonts); a test that changes how PDFs are made renders its own."""
    made: dict[tuple[str, str], bytes] = {}

    def pdf(example: str, language: str) -> bytes:
        if (example, language) not in made:
            plan, answers = plan_of(resources, example)
            document = render_patient(plan, resources.kb, CLINIC, "pdf", language=language, answers=answers)
            assert isinstance(document, bytes)
            made[(example, language)] = document
        return made[(example, language)]

    return pdf


@pytest.fixture(scope="module")
def four_zones(resources: Resources) -> tuple[Plan, dict[str, Any]]:
    """The fullest four-zone summary: a returning patient (one zone last time only), a caution and an
    asymmetry warning, a split dose on both sides of the masseter, goals, lot, a price."""
    plan, answers = plan_of(
        resources,
        "full_face",
        zones=["glabella", "forehead", "crows_feet", "masseter"],
        aminoglycosides=True,
        asymmetries=[{"zone": "masseter", "stronger_side": "left", "extra_units": 3}],
        prior_treatment_date="2026-07-01",
        prior_zones=["glabella", "forehead", "chin"],
        goals="Softer jaw line and fewer frown lines; she found last time's forehead a little heavy.",
    )
    previous, _ = plan_of(resources, "full_face", today=date(2026, 7, 1), zones=["glabella", "forehead", "chin"])
    assert len({line.zone for line in plan.lines}) == 4 and {w.code for w in plan.warnings} >= {"caution", "asymmetry"}
    details = {
        "answers": answers,
        "previous": previous,
        "staff": "Dr Hana Cho",
        "lot_number": "BTX-24A117",
        "lot_expiry": date(2027, 6, 30),
        "script": resources.script,
    }
    return plan, details


# --- the dose summary: one page ----------------------------------------------------------------------------


def test_the_full_face_dose_summary_is_one_a4_page(resources: Resources) -> None:
    plan, answers = plan_of(resources, "full_face")
    pdf = render_summary(plan, resources.kb, resources.clinic, "pdf", answers=answers, script=resources.script)
    assert isinstance(pdf, bytes)
    assert page_count(pdf) == 1
    assert page_sizes(pdf) == {(595, 842)}, "A4"


@pytest.mark.parametrize("signed", [False, True], ids=["not signed", "signed and amended"])
def test_four_zones_with_every_part_of_the_summary_are_one_page(
    resources: Resources, four_zones: tuple[Plan, dict[str, Any]], signed: bool, tmp_path: Path
) -> None:
    plan, details = four_zones
    extra = {"signatures": SIGNED, "amendments": AMENDED} if signed else {}
    pdf = render_summary(plan, resources.kb, CLINIC, "pdf", **details, **extra)
    assert isinstance(pdf, bytes)
    assert page_count(pdf) == 1
    (text,) = page_texts(pdf, tmp_path)
    split = next(
        row["dose"] for row in summary_context(plan, resources.kb, CLINIC)["rows"] if row["zone"] == "masseter"
    )
    assert " + " in split
    for expected in ("Warnings", split, "Last time", "Signature", "Sources", "Why these numbers"):
        assert expected in text, expected
    assert ("Amended on 2026-11-25 09:00 UTC by Dr Hana Cho" in text) == signed
    assert right_margin_left(pdf, tmp_path) >= 13, "nothing runs into the right margin (14 mm)"
    assert ("NOT SIGNED" in text) != signed


def test_the_signature_block_is_on_the_page_of_the_doses_with_eight_zones(resources: Resources, tmp_path: Path) -> None:
    plan, answers = plan_of(resources, "all_zones")
    assert len({line.zone for line in plan.lines}) == 8
    pdf = render_summary(plan, resources.kb, resources.clinic, "pdf", answers=answers, script=resources.script)
    pages = page_texts(pdf, tmp_path)  # type: ignore[arg-type]
    doses = next(i for i, page in enumerate(pages) if "Dose per point" in page)
    assert "NOT SIGNED" in pages[doses] and "Printed name" in pages[doses]


def test_warnings_come_before_the_doses(resources: Resources, four_zones: tuple[Plan, dict[str, Any]]) -> None:
    plan, details = four_zones
    for fmt in ("text", "html"):
        text = str(render_summary(plan, resources.kb, CLINIC, fmt, **details))  # type: ignore[arg-type]
        assert text.index("[caution]") < text.index("Dose per point"), fmt
        assert text.index("[caution]") < text.index("[asymmetry]"), "most severe first"


# --- sizes a reader can read --------------------------------------------------------------------------------

FONT_SIZE = re.compile(r"font-size:\s*([^;}\"']+)")  # in a stylesheet or a style attribute


@pytest.mark.parametrize("document", ["summary", "patient-en", "patient-ko"])
def test_no_text_is_smaller_than_8_pt(
    resources: Resources, four_zones: tuple[Plan, dict[str, Any]], document: str
) -> None:
    plan, details = four_zones
    if document == "summary":
        page = str(render_summary(plan, resources.kb, CLINIC, "html", **details))
    else:
        language = document.split("-")[1]
        page = str(render_patient(plan, resources.kb, CLINIC, "html", language=language))
    sizes = FONT_SIZE.findall(page)
    assert sizes
    for size in sizes:
        found = re.fullmatch(r"([\d.]+)pt", size.strip())
        assert found is not None, f"font-size: {size} (write sizes in pt, so this test can read them)"
        assert float(found.group(1)) >= 8, f"font-size: {size}"


# --- the patient sheet: no holes ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_the_patient_sheet_leaves_no_page_part_empty(
    patient_pdf: Callable[[str, str], bytes], example: str, language: str, tmp_path: Path
) -> None:
    if language == "ko" and pdf_module.korean_font_available() is not True:
        pytest.skip("no font covering Hangul is installed (fonts-noto-cjk)")
    fills = page_fill(patient_pdf(example, language), tmp_path, *PATIENT_MARGINS_MM)
    assert all(fill >= 0.85 for fill in fills[:-1]), f"pages filled to {fills} of their height"


@pytest.mark.parametrize("fmt", ["text", "html", "pdf"])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_urgent_help_sentence_is_printed_once(
    resources: Resources, patient_pdf: Callable[[str, str], bytes], fmt: str, language: str, tmp_path: Path
) -> None:
    if fmt == "pdf" and language == "ko" and pdf_module.korean_font_available() is not True:
        pytest.skip("no font covering Hangul is installed (fonts-noto-cjk)")
    plan, answers = plan_of(resources, "full_face")
    document = (
        patient_pdf("full_face", language)
        if fmt == "pdf"
        else render_patient(plan, resources.kb, CLINIC, fmt, language=language, answers=answers)  # type: ignore[arg-type]
    )
    text = " ".join(page_texts(document, tmp_path)) if isinstance(document, bytes) else str(document)
    word = "swallowing" if language == "en" else "삼키기"
    assert text.count(word) == 1, text


def test_the_clinics_name_and_phone_come_from_its_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    clinic = tmp_path / "clinic.toml"
    clinic.write_text('name = "Hanbit Skin Clinic"\nphone = "02-3456-7890"\n', encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["run", str(locations.EXAMPLES_DIR / "full_face.yaml"), "--format", "json", *data]) == 0
    consult_id = re.search(r'"consult_id": "([^"]+)"', capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    out = tmp_path / "out"
    out.mkdir()
    assert main(["print", consult_id, "--what", "patient", "--output", str(out), "--clinic", str(clinic), *data]) == 0
    pdf = (out / f"{consult_id}-patient.pdf").read_bytes()
    pages = page_texts(pdf, tmp_path)
    for page in pages:  # the masthead, and the footer of every page
        assert page.count("Hanbit Skin Clinic · 02-3456-7890") == (2 if page is pages[0] else 1)
    assert "Call us on 02-3456-7890 if anything about your treatment worries you" in pages[0]
    assert "Our clinic" not in " ".join(pages)


# --- small, quickly made PDFs ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ko"])
def test_pdfs_embed_the_cut_fonts_and_stay_small(
    resources: Resources, patient_pdf: Callable[[str, str], bytes], language: str
) -> None:
    if language == "ko" and pdf_module.korean_font_available() is not True:
        pytest.skip("no font covering Hangul is installed (fonts-noto-cjk)")
    plan, answers = plan_of(resources, "all_zones")
    patient = patient_pdf("all_zones", language)
    summary = render_summary(plan, resources.kb, CLINIC, "pdf", answers=answers, script=resources.script)
    assert isinstance(patient, bytes) and isinstance(summary, bytes)
    family = "Document-Sans-KR" if language == "ko" else "Document-Sans"
    assert family in font_names(patient), "the fonts were cut by assistant/documents/fonts.py"
    assert font_names(summary) == {"Document-Sans", "Document-Sans-Bold"}, "two faces only"
    assert len(patient) < (2_000_000 if language == "ko" else 300_000)
    assert len(summary) < 300_000


def test_without_uharfbuzz_the_pdf_is_made_from_the_installed_fonts(
    resources: Resources, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "_uharfbuzz", lambda: None)
    plan, answers = plan_of(resources, "full_face")
    pdf = render_patient(plan, resources.kb, CLINIC, "pdf", answers=answers)
    assert isinstance(pdf, bytes) and "Document-Sans" not in font_names(pdf)
    assert "Dear Mina Park" in " ".join(page_texts(pdf, tmp_path))


def test_the_cut_fonts_hold_every_character_of_the_document() -> None:
    characters = fonts.document_characters("<p title='x'>Kim &amp; 김지우 · 12 %</p>")
    assert {"K", "k", "김", "지", "우", "&", "·", "1", "%", "\u2022"} <= characters
    assert "\n" not in characters


def test_the_cut_fonts_hold_both_cases_as_the_whole_text_cased_would() -> None:
    """Each character is cased once, not the whole text (for speed): the same set, with both of Greek
    sigma's lower cases (a whole-text lower case picks one by the letter's neighbours)."""
    text = "ΟΔΟΣ Σ straße ǅ İstanbul ﬁ Ǆ &amp; 김"
    whole = html.unescape(text)
    cased = set(whole) | set(whole.upper()) | set(whole.lower()) | fonts._ALWAYS
    printable = {c for c in cased if c.isprintable() or c == "\u00a0"}
    assert fonts.document_characters(text) == printable | {"σ", "ς"}


def test_the_syringe_marks_are_beside_the_volumes(resources: Resources) -> None:
    """Each line's volume also in the marks of the clinic's syringe (issue 11, item 6); records made
    before syringes (no marks) print the volumes alone."""
    plan, answers = plan_of(resources, "full_face")
    assert all(line.syringe_marks is not None for line in plan.lines)
    glabella = plan.lines_for("glabella")[0]
    volume = f"{glabella.ml_per_point:.3f} ({glabella.syringe_marks:g})"
    for fmt in ("text", "html"):
        text = str(render_summary(plan, resources.kb, resources.clinic, fmt, answers=answers))  # type: ignore[arg-type]
        assert "syringe scale" in text and volume in text, fmt
    unmarked = plan.model_copy(
        update={"lines": tuple(line.model_copy(update={"syringe_marks": None}) for line in plan.lines)}
    )
    plain = str(render_summary(unmarked, resources.kb, resources.clinic, "html", answers=answers))
    assert "syringe scale" not in plain and f"{glabella.ml_per_point:.3f}</td>" in plain
