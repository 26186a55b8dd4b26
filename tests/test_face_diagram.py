"""The face diagram: points placed from knowledge/face.yaml, drawn on the dose summary (units per point,
side totals) and on the patient's sheet (areas shaded), and `check` of the positions.

The geometry is checked over every zone and point count the knowledge base allows (hypothesis); the
PDFs are read back with poppler (pdftotext), the diagram's labels by where they stand on the page.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import locations
from assistant.cli import main
from assistant.core.face_geometry import inside_face, place_points, side_totals
from assistant.core.knowledge import KnowledgeBase
from assistant.core.plan import Plan, PlanLine
from assistant.core.text import number
from assistant.documents import render_patient, render_summary
from assistant.files.resources import Resources, load_resources
from assistant.settings import ClinicSettings
from tests.helpers import copy_sources, edit
from tests.pdf_pages import page_count, page_texts
from tests.test_document_layout import plan_of

KB = load_resources().value.kb  # type: ignore[union-attr]


def _line(zone: str, side: str, points: int, units_per_point: float = 2.0) -> PlanLine:
    return PlanLine(
        zone=zone,
        zone_label=zone,
        side=side,  # type: ignore[arg-type]
        kind="full",
        points=points,
        units_per_point=units_per_point,
        units=points * units_per_point,
        ml_per_point=0.05,
        off_label=False,
        sources=("practice",),
        knowledge=(),
    )


def _cases(kb: KnowledgeBase) -> list[tuple[str, int]]:
    return [(zone.id, count) for zone in kb.zones() for count in range(zone.points.min, zone.points.max + 1)]


# --- the geometry: every point inside the face, on its side -------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(case=st.sampled_from(_cases(KB)), stronger=st.sampled_from(["left", "right"]))
def test_every_point_lands_inside_the_face_on_its_side(case: tuple[str, int], stronger: str) -> None:
    zone_id, count = case
    zone = KB.zone(zone_id)
    face = KB.knowledge.face_points
    assert face is not None
    layouts: list[list[PlanLine]] = []
    if zone.paired:
        layouts.append([_line(zone_id, "left", count), _line(zone_id, "right", count)])
    else:
        layouts.append([_line(zone_id, "center", count)])
        if zone.split_sides is not None:  # halves, the odd point to the stronger side (asymmetry.split_halves)
            weaker = "left" if stronger == "right" else "right"
            layouts.append([_line(zone_id, stronger, count - count // 2), _line(zone_id, weaker, count // 2)])
    for lines in layouts:
        placed = place_points(lines, face, KB.paired_zone_ids())
        assert len(placed) == sum(line.points for line in lines), "every point is drawn"
        for point in placed:
            assert inside_face(point.x, point.y), point
            if point.side == "left":
                assert point.x > 0, f"the patient's left is on the reader's right: {point}"
            elif point.side == "right":
                assert point.x < 0, f"the patient's right is on the reader's left: {point}"
        if zone.paired:
            left = sorted((p.x, p.y) for p in placed if p.side == "left")
            right = sorted((-p.x, p.y) for p in placed if p.side == "right")
            assert left == right, "the right side mirrors the left"


@settings(max_examples=100, deadline=None)
@given(zone_id=st.sampled_from(KB.zone_ids), count=st.integers(min_value=1, max_value=12))
def test_a_count_without_positions_is_still_drawn_inside_the_zone(zone_id: str, count: int) -> None:
    """A touch-up's single point or a count recorded as given: spread along the nearest count listed."""
    face = KB.knowledge.face_points
    assert face is not None
    side = "left" if KB.zone(zone_id).paired else "center"
    placed = place_points([_line(zone_id, side, count)], face, KB.paired_zone_ids())
    assert len(placed) == count
    assert all(inside_face(p.x, p.y) for p in placed)
    assert side == "center" or all(p.x > 0 for p in placed)


def test_the_side_totals_add_the_halves_to_their_side() -> None:
    lines = [_line("crows_feet", "left", 4, 2.5), _line("crows_feet", "right", 4), _line("glabella", "center", 5, 4)]
    totals = side_totals(lines)
    assert (totals.right, totals.left, totals.center) == (8, 10, 20)


# --- the dose summary: one page, its labels read back --------------------------------------------------------


@pytest.fixture(scope="module")
def four_zones(resources: Resources) -> tuple[Plan, dict[str, object]]:
    """Four zones, an asymmetry on the masseter (its sides differ), a returning patient."""
    plan, answers = plan_of(
        resources,
        "full_face",
        zones=["glabella", "forehead", "crows_feet", "masseter"],
        asymmetries=[{"zone": "masseter", "stronger_side": "left", "extra_units": 3}],
        prior_treatment_date="2026-07-01",
        prior_zones=["glabella", "forehead", "chin"],
    )
    previous, _ = plan_of(resources, "full_face", today=date(2026, 7, 1), zones=["glabella", "forehead", "chin"])
    return plan, {"answers": answers, "previous": previous, "staff": "Dr Hana Cho", "script": resources.script}


def _words(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, str]]:
    """Every word of page 1 with its left edge and middle height (pt), from ``pdftotext -bbox``."""
    source = tmp_path / "summary.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(float(x), (float(top) + float(bottom)) / 2, word.replace("&apos;", "'")) for x, top, bottom, word in found]


def test_the_summary_with_the_face_diagram_is_one_page_and_its_labels_read_back(
    resources: Resources, four_zones: tuple[Plan, dict[str, object]], tmp_path: Path
) -> None:
    plan, details = four_zones
    pdf = render_summary(plan, resources.kb, resources.clinic, "pdf", **details)  # type: ignore[arg-type]
    assert isinstance(pdf, bytes)
    assert page_count(pdf) == 1, "four zones and the diagram on one A4 page"
    words = _words(pdf, tmp_path)
    # The diagram's box: from its top-left total ("Right", the patient's) to its bottom-right words ("Front view").
    left, top = next(
        (x, y)
        for x, y, word in words
        if word == "Right" and any(other == "Left" and abs(y - y2) < 1 and x2 > x for x2, y2, other in words)
    )
    bottom = max(y for x, y, word in words if word == "view" and x > left)
    inside = [(x, y, word) for x, y, word in words if x >= left - 1 and top - 1 <= y <= bottom + 1]
    labels = Counter(word for _, _, word in inside if re.fullmatch(r"\d+(\.\d+)?", word))
    placed = place_points(plan.lines, resources.kb.knowledge.face_points, resources.kb.paired_zone_ids())  # type: ignore[arg-type]
    totals = side_totals(plan.lines)
    assert totals.left != totals.right, "the asymmetry shows in the totals"
    expected = Counter(number(point.units) for point in placed)
    expected.update(number(total) for total in (totals.right, totals.left, totals.center))
    assert labels == expected, "each point's units, and the totals of the right, the left and the centre"
    assert len(placed) == sum(line.points for line in plan.lines) == 5 + 6 + 8 + 6
    # The right's total under "Right" on the reader's left, the left's under "Left" on the reader's right.
    right_total = min((x, word) for x, y, word in inside if word == number(totals.right) and y < top + 14)
    left_total = max((x, word) for x, y, word in inside if word == number(totals.left) and y < top + 14)
    assert right_total[0] < left_total[0]


def test_nothing_injected_draws_no_diagram(resources: Resources) -> None:
    plan, answers = plan_of(resources, "contraindicated_pregnant")
    assert "<svg" not in str(render_summary(plan, resources.kb, resources.clinic, "html", answers=answers))
    assert "<svg" not in str(render_patient(plan, resources.kb, resources.clinic, "html", answers=answers))


# --- the patient's sheet: the areas shaded, one page ---------------------------------------------------------


def priced(resources: Resources, currency: str) -> Resources:
    return dataclasses.replace(
        resources, clinic=ClinicSettings(name="Seoul Glow Clinic", price_per_unit=13.57, currency=currency)
    )


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_sheet_of_three_zones_with_its_cost_is_one_page(
    resources: Resources, language: str, tmp_path: Path
) -> None:
    """It used to spill "Cost: ₩706" alone onto a second page."""
    from assistant.documents import pdf as pdf_module

    if language == "ko" and pdf_module.korean_font_available() is not True:
        pytest.skip("no font covering Hangul is installed (fonts-noto-cjk)")
    shop = priced(resources, "KRW")
    plan, answers = plan_of(shop, "full_face")
    html = str(render_patient(plan, shop.kb, shop.clinic, "html", language=language, answers=answers))
    patches = html.count('fill-opacity="0.75"')
    assert patches == len({(line.zone, line.side) for line in plan.lines}), "one patch per zone and side"
    assert html.count("<ellipse") == patches + 1, "and the face's outline"
    assert not re.search(r"<svg[^>]*>.*<text", html, re.S), "no units, no words in the patient's picture"
    pdf = render_patient(plan, shop.kb, shop.clinic, "pdf", language=language, answers=answers)
    assert isinstance(pdf, bytes)
    assert page_count(pdf) == 1
    (text,) = page_texts(pdf, tmp_path)
    assert f"₩{round(plan.cost or 0):,}" in text


# --- one money format ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("currency", "written"), [("KRW", "₩706"), ("USD", "$705.64"), ("EUR", "€705.64")])
def test_the_summary_and_the_sheet_write_the_cost_alike(resources: Resources, currency: str, written: str) -> None:
    shop = priced(resources, currency)
    plan, answers = plan_of(shop, "full_face")
    assert plan.cost == pytest.approx(705.64)
    for fmt in ("text", "html"):
        summary = str(render_summary(plan, shop.kb, shop.clinic, fmt, answers=answers))  # type: ignore[arg-type]
        sheet = str(render_patient(plan, shop.kb, shop.clinic, fmt, language="en", answers=answers))  # type: ignore[arg-type]
        assert f"cost {written}" in summary or f"cost: {written}" in summary, fmt
        assert f"Today's treatment: {written}" in sheet.replace("<strong>", "").replace("</strong>", ""), fmt
        assert "705.6" not in summary.replace(written, ""), "no other way of writing it"


# --- check: the positions against the zones ------------------------------------------------------------------


def test_check_names_an_unknown_zone_and_a_count_without_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script, knowledge = copy_sources(tmp_path)
    face = knowledge / "face.yaml"
    edit(face, "        3: [[0.51, -0.25], [0.55, -0.13], [0.51, -0.01]]\n", "")
    unknown = edit(face, "    - zone: chin\n", "    - zone: chinn\n")
    code = main(["check", "--script", str(script), "--knowledge", str(knowledge), "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        f"face.yaml:{unknown}: [unknown-zone] face_points: no zone 'chinn' in the knowledge base. Did you mean 'chin'?"
        in out
    )
    assert "[missing-positions] face_points: crows_feet allows 3-4 points but lists no positions for 3" in out
    assert "zone 'chin' has no positions: the face diagram leaves it out." in out


def test_check_names_a_paired_point_on_the_wrong_side_or_off_the_face(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script, knowledge = copy_sources(tmp_path)
    edit(knowledge / "face.yaml", "1: [[0.27, 0.64]]", "1: [[-0.27, 0.64]]")
    edit(knowledge / "face.yaml", "1: [[0.17, 0.2]]", "1: [[0.74, 0.9]]")
    assert main(["check", "--script", str(script), "--knowledge", str(knowledge), "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "marionette [-0.27, 0.64] is not on the patient's left" in out
    assert "gummy_smile [0.74, 0.9] is outside the face" in out


def test_the_shipped_positions_pass_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", "--data-dir", str(tmp_path)]) == 0, capsys.readouterr().out
    assert (locations.KNOWLEDGE_DIR / "face.yaml").is_file()


# --- the labels: clear of each other and of the points -------------------------------------------------------

EXAMPLES = sorted(
    p.stem for p in locations.EXAMPLES_DIR.glob("*.yaml") if "status: invalid" not in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("example", EXAMPLES)
def test_no_label_covers_a_point_or_another_label(resources: Resources, example: str) -> None:
    from assistant.documents.face_diagram import CX, _xy
    from assistant.documents.face_labels import POINT_RADIUS, place_labels

    plan, _ = plan_of(resources, example)
    placed = place_points(plan.lines, resources.kb.knowledge.face_points, resources.kb.paired_zone_ids())  # type: ignore[arg-type]
    spots = [(*_xy(p.x, p.y), number(p.units)) for p in placed]
    labels = place_labels(spots, CX)
    boxes = [label.box for label in labels]
    dots = [(x - POINT_RADIUS, y - POINT_RADIUS, x + POINT_RADIUS, y + POINT_RADIUS) for x, y, _ in spots]
    for i, box in enumerate(boxes):
        others = boxes[:i] + boxes[i + 1 :] + dots
        assert not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in others), (
            f"{spots[i][2]} at {box}"
        )


def test_the_diagram_spells_the_centre_as_the_rows_and_the_screen_do(
    resources: Resources, four_zones: tuple[Plan, dict[str, object]]
) -> None:
    """One label, one spelling: the rows' side and the plan on screen say "center" (the side's code),
    so the diagram's corner total says "Center", not "Centre"."""
    plan, details = four_zones
    html = str(render_summary(plan, resources.kb, resources.clinic, "html", **details))  # type: ignore[arg-type]
    assert "<td>center</td>" in html
    assert "Center" in re.findall(r"<text[^>]*>([^<]*)</text>", html)
    assert "centre" not in html.lower()
