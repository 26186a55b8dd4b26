"""Provenance as the clinical reference gives it: what the shipped knowledge base marks and cites, and
what `check` reports when a figure's sources and its note disagree."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.knowledge_model import AUTHORITY_ORDER
from assistant.files.loaders import load_knowledge
from assistant.services.lint import lint
from tests.conftest import BreakKnowledge

# --- the shipped knowledge base -----------------------------------------------------------------------


def test_the_products_choices_are_marked(kb: KnowledgeBase) -> None:
    forehead, glabella = kb.zone("forehead"), kb.zone("glabella")
    assert forehead.typical_units.product_choice, "9-12 U: the 9 is derived from 9 points x 1 U"
    assert "derived" in (forehead.typical_units.note or "")
    assert glabella.default_units.product_choice, "starting from the label dose is the product's choice"
    for zone_id in ("crows_feet", "bunny_lines", "chin", "forehead"):
        points = kb.zone(zone_id).points
        assert points.min < points.max and points.product_choice, zone_id
    early = next(band for band in kb.timing.bands if (band.from_day, band.to_day) == (14, 17))
    assert early.product_choice, "the reference's window is days 18-21"
    assert kb.product.syringes.product_choice
    assert all(s.device_fact for s in kb.product.syringes.choices), "no syringe figure is in the reference"


def test_figures_cite_as_the_reference_does(kb: KnowledgeBase) -> None:
    assert kb.zone("forehead").caution_above.sources == ("botox-cosmetic-pi",)
    assert "carruthers-2005" in kb.zone("glabella").typical_units.sources
    masseter = kb.zone("masseter")
    assert masseter.volume_error is not None
    assert (masseter.volume_error.volume_ml, masseter.volume_error.shift_mm) == (0.1, 2)
    assert masseter.volume_error.sources == ("reference-article",)
    assert "2 mm" not in (masseter.typical_units.note or ""), "a figure, not a note"
    rule = next(c for c in kb.contraindications() if c.id == "masseter_from_40")
    assert (rule.effect, rule.sources, rule.when) == (
        "caution",
        ("kaminer-2020",),
        "age >= 40 and selected(zones, 'masseter')",
    )


def test_sources_are_graded_in_the_references_order(kb: KnowledgeBase) -> None:
    assert AUTHORITY_ORDER == ("label", "consensus", "reference-article", "practice")
    botox, letybo = kb.source("botox-cosmetic-pi"), kb.source("letybo-pi")
    assert botox is not None and letybo is not None
    assert botox.other_product == "onabotulinumtoxinA", "another product's label"
    assert letybo.rank < botox.rank < kb.source("korean-consensus-2013").rank  # type: ignore[union-attr]
    ranks = [source.rank for source in kb.knowledge.sources]
    assert ranks == sorted(ranks), "sources.yaml lists them strongest first"
    assert kb.source("lupo-2016") is None, "cited by nothing: not listed"


def test_the_shipped_knowledge_base_has_no_provenance_finding() -> None:
    codes = {p.code for p in lint()}
    assert not codes & {"note-source", "note-choice", "note-unverified", "unmarked-choice", "unused-source"}, codes


# --- what check reports ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


def only(problems: list, code: str):
    matching = [p for p in problems if p.code == code]
    assert len(matching) == 1, problems
    return matching[0]


def test_a_note_citing_a_source_the_figure_does_not_list(broken_kb: BreakKnowledge) -> None:
    """The glabella's note named carruthers-2005 while its sources did not: reported at the note."""
    directory, path, line = broken_kb(
        "zones.yaml",
        "      sources: [letybo-pi, reference-article, carruthers-2005]\n",
        "      sources: [letybo-pi, reference-article]\n",
    )
    problem = only(lint(None, directory), "note-source")
    assert (problem.file, problem.line, problem.severity) == (str(path), line + 1, "warning")
    assert "'carruthers-2005'" in problem.message and "zones[0].typical_units" in problem.message
    assert load_knowledge(directory).value is not None, "a warning: the consult still runs"


def test_a_default_point_count_chosen_within_a_range_must_be_marked(broken_kb: BreakKnowledge) -> None:
    directory, _, _ = broken_kb(
        "zones.yaml",
        '{min: 1, max: 2, default: 2, sources: [practice], product_choice: true, note: "1-2 points; 2',
        '{min: 1, max: 2, default: 2, sources: [practice], note: "1-2 points; 2',
    )
    problems = lint(None, directory)
    assert "chin" in only(problems, "unmarked-choice").message
    assert "product_choice is not set" in only(problems, "note-choice").message, "its note says product's"


def test_a_source_cited_by_nothing(broken_kb: BreakKnowledge) -> None:
    directory, path, _ = broken_kb(
        "sources.yaml",
        "  - id: carruthers-2005\n",
        "  - id: lupo-2016\n    title: Lupo, off-label aesthetic uses of botulinum toxin, J Drugs Dermatol 2016\n"
        "    authority: reference-article\n  - id: carruthers-2005\n",
    )
    problem = only(lint(None, directory), "unused-source")
    assert problem.file == str(path) and "'lupo-2016'" in problem.message


def test_an_unknown_source_anywhere_is_reported(broken_kb: BreakKnowledge) -> None:
    """Every sourced block is checked, the new ones too (split_sides, combinations, ...)."""
    directory, path, line = broken_kb(
        "combinations.yaml", "    sources: [botox-cosmetic-pi]\n", "    sources: [botox-pi]\n"
    )
    problem = only(load_knowledge(directory).problems, "unknown-source")
    assert (problem.file, problem.line) == (str(path), line)
    assert "Did you mean 'botox-cosmetic-pi'?" in problem.message
