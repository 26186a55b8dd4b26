"""Issue 19, section 3, the last item: figures the clinical reference does not give are marked as it
gives them, the asymmetry's most lives in knowledge/ (not in the script), and ``check`` holds both."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import locations
from assistant.core.knowledge import KnowledgeBase
from assistant.core.script import RepeatGroup, Script
from assistant.services.lint import lint
from tests.conftest import BreakKnowledge
from tests.helpers import copy_sources, edit


def test_carruthers_2005s_grade_is_marked_unverified(kb: KnowledgeBase) -> None:
    """An RCT: the reference's order of authority (label > consensus > reference article > practice)
    does not name it, so its grade is not the reference's."""
    source = kb.source("carruthers-2005")
    assert source is not None
    assert source.unverified and "order of authority" in (source.note or "")


def test_the_under_18_caution_is_the_products_choice_on_not_established(kb: KnowledgeBase) -> None:
    rule = next(c for c in kb.contraindications() if c.id == "age_under_18")
    assert (rule.effect, rule.sources) == ("caution", ("letybo-pi",))
    assert "not established" in rule.message
    assert rule.product_choice and "not established" in (rule.note or "")


def test_the_asymmetrys_most_and_the_weaker_side_minimum_are_sourced_and_marked(kb: KnowledgeBase) -> None:
    symmetry = kb.safety.symmetry
    most = symmetry.extra_units_max
    assert (most.value, most.sources) == (4, ("reference-article",))
    assert most.product_choice and most.unverified, "no source gives a maximum: the 4 U case, taken as the most"
    minimum = symmetry.weaker_side_minimum
    assert minimum.product_choice and minimum.sources == ("reference-article",)
    assert "typical minimum" in (minimum.note or "")


def test_no_half_unit_rounding_is_left_unmarked_in_knowledge() -> None:
    """The 0.5 U rounding lived only in a comment of modifiers.yaml; a dose now rounds once, onto the
    syringe's marks, and the rounding rule is marked as the product's choice where the syringes are."""
    modifiers = (locations.KNOWLEDGE_DIR / "modifiers.yaml").read_text(encoding="utf-8")
    assert "rounded\n# to the nearest 0.5 U" not in modifiers and "no 0.5 U rounding" in modifiers
    product = (locations.KNOWLEDGE_DIR / "product.yaml").read_text(encoding="utf-8")
    assert "gives no rounding step" in product


def test_the_labels_saline_for_each_vial_size_is_sourced(kb: KnowledgeBase) -> None:
    label = kb.product.reconstitution
    assert {(v.vial_units, v.saline_ml) for v in label.per_vial} == {(50, 1.25), (100, 2.5)}
    assert set(kb.product.vial_sizes) == {int(v.vial_units) for v in label.per_vial}
    assert label.sources == ("letybo-pi",)


def test_the_script_carries_no_figure_for_the_asymmetry(script: Script) -> None:
    group = script.question("asymmetries")
    assert isinstance(group, RepeatGroup)
    extra = group.question("extra_units")
    assert (extra.min, extra.max, extra.step) == (None, None, None)  # type: ignore[union-attr]
    assert not any(ch.isdigit() for ch in extra.prompt), "the hint under it says the clinic's own figures"


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


def test_check_warns_of_bounds_written_into_the_script(tmp_path: Path) -> None:
    script, knowledge = copy_sources(tmp_path)
    line = edit(script, "        unit: U\n", "        max: 4\n        unit: U\n")
    [problem] = [p for p in lint(script, knowledge) if p.code == "planner-bounds"]
    assert (problem.line, problem.severity) == (line, "warning")
    assert "asymmetries.extra_units" in problem.message and "knowledge base" in problem.message


def test_check_holds_a_sources_note_to_its_flags(broken_kb: BreakKnowledge) -> None:
    directory, path, line = broken_kb("sources.yaml", "    unverified: true\n    note: >-\n", "    note: >-\n")
    [problem] = [p for p in lint(None, directory) if p.code == "note-unverified"]
    assert (problem.file, problem.line) == (str(path), line) and "sources[5]" in problem.message
