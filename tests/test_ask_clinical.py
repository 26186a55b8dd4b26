"""`ask` finds the clinical facts of issue 11 as the knowledge files give them."""

from __future__ import annotations

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
