"""`ask` finds the clinical facts of issue 11 as the knowledge files give them."""

from __future__ import annotations

import re

import pytest

from assistant.core.knowledge import KnowledgeBase
from assistant.core.search import KnowledgeSearch


@pytest.mark.parametrize(
    ("question", "entry", "words"),
    [
        ("forehead without glabella", "zone_combinations/forehead_without_glabella", "brow ptosis"),
        ("syringe marks", "product/syringes", "U-100 insulin syringe, 0.3 mL, half-unit marks"),
        ("masseter error mm", "zones/masseter/volume_error", "2 mm"),
        ("brow asymmetry", "zones/forehead/split_sides", "18 vs 22 U"),
        ("masseter age 40", "safety/contraindications/masseter_from_40", "sagging"),
    ],
)
def test_the_clinical_facts_can_be_asked(kb: KnowledgeBase, question: str, entry: str, words: str) -> None:
    [hit] = KnowledgeSearch.for_knowledge(kb).ask(question, limit=1)
    assert hit.entry.id == entry
    assert words in hit.entry.text


def test_a_zone_answer_says_each_figure_and_muscle_once(kb: KnowledgeBase) -> None:
    """Tryouts read "Typical 6-12 U per side: 6-12 U per side (reference-article)" (the entry said a
    figure, then the knowledge note that opens with it), "Forehead (frontalis) (frontalis)", and the
    title "Crow's feet (lateral canthal lines): dose and injection points" said again as the text began."""
    for zone in kb.zones():
        hits = KnowledgeSearch.for_knowledge(kb).ask(zone.id.replace("_", " "), limit=5)
        [hit] = [h for h in hits if h.entry.id == f"zones/{zone.id}"]
        text, per = hit.entry.text, zone.per_side
        typical = f"{zone.typical_units.min:g}-{zone.typical_units.max:g} U{per}"
        default = f"{zone.default_units.value:g} U{per}"
        notes = " ".join(n or "" for n in (zone.typical_units.note, zone.default_units.note, zone.points.note))
        for figure, note in ((typical, zone.typical_units.note), (default, zone.default_units.note)):
            said_by_the_entry = 0 if (note or "").startswith(figure) else 1
            times = re.compile(rf"(?<![\d.-]){re.escape(figure)}")  # "12 U", not the end of "9-12 U"
            assert len(times.findall(text)) == len(times.findall(notes)) + said_by_the_entry, (zone.id, figure)
        assert not text.startswith(zone.label), "the title names the zone; the text goes on from it"
        assert text.casefold().startswith(zone.muscles.casefold() + ":")
        assert str(zone.points.default) in text


def test_a_question_that_only_names_a_subject_is_answered_with_its_entry_first(kb: KnowledgeBase) -> None:
    """A tryout asked "? forehead" and read the forehead-without-glabella combination and the
    forehead's maximum before its dose; "? glabella" and "? masseter" put a caution first too, and
    "? touch up" two timing bands before the touch-ups' own entry."""
    search = KnowledgeSearch.for_knowledge(kb)
    for zone in kb.zones():
        for question in (zone.label, zone.id.replace("_", " "), zone.label.split(" (")[0].lower()):
            assert search.ask(question)[0].entry.id == f"zones/{zone.id}", (zone.id, question)
        assert search.ask(f"max {zone.id.replace('_', ' ')}")[0].entry.id == f"zones/{zone.id}/caution_above"
    assert search.ask("forehead without glabella")[0].entry.id == "zone_combinations/forehead_without_glabella"
    for question in ("touch up", "touch-ups", "top up"):
        assert search.ask(question)[0].entry.id == "timing/touch_up", question
    assert search.ask("masseter age 40")[0].entry.id == "safety/contraindications/masseter_from_40"


def test_a_timing_band_reads_as_a_sentence_and_says_when_it_is_the_products_choice(kb: KnowledgeBase) -> None:
    """The 14-17 day band was quoted as "after the peak; a small touch-up ..." under the reference's
    citation, while the knowledge file says the reference's window is 18-21 and day 14 is ours."""
    search = KnowledgeSearch.for_knowledge(kb)
    bands = [entry for entry in search.entries if entry.id.startswith("timing/bands/")]
    assert bands and all(not entry.text[:1].islower() and entry.text.rstrip().endswith(".") for entry in bands)
    [early] = [entry for entry in bands if entry.id == "timing/bands/14-17"]
    assert "is the product's choice" in early.text and "18-21" in early.text


def test_no_answer_sends_staff_to_a_file(kb: KnowledgeBase) -> None:
    """'? masseter' said "a caution rule in safety.yaml" and touch-ups "(prompts/review.yaml)": files
    of the knowledge base, which staff at the consult neither see nor open."""
    for entry in KnowledgeSearch.for_knowledge(kb).entries:
        assert ".yaml" not in entry.text and ".yml" not in entry.text, (entry.id, entry.text)


def test_every_answer_reads_as_a_sentence(kb: KnowledgeBase) -> None:
    """A tryout's "? masseter" began "masseter from age 40: take extra care": the rules' messages
    are fragments made to follow "Caution: ", quoted alone they start with a capital."""
    from assistant.core.search_entries import build_entries

    lower = [entry.id for entry in build_entries(kb) if entry.text[:1].islower()]
    assert lower == []


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_with_no_question_says_what_to_type(question: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A tryout's ``ask ""`` answered "Nothing found in the knowledge base for ''": a question is needed."""
    from assistant.cli import main

    assert main(["ask", question]) == 2
    assert "ask needs a question, e.g. botulax-consult ask" in capsys.readouterr().err
