"""Asking the knowledge base in plain words: ranked, offline, deterministic retrieval.

Each fact of the knowledge base becomes an ``Entry`` whose text quotes the knowledge files' own
figures and notes; a question is answered with the best-matching entries, never with invented text.
Ranking is BM25 (rank_bm25) over Snowball stems cut to six letters, so "pregnant" finds
"pregnancy" and "touch-ups" finds "touch-up". Ties keep the knowledge base's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.core.knowledge import KnowledgeBase
from assistant.core.search_entries import build_entries
from assistant.core.search_entry import Entry

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "before",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "much",
        "of",
        "on",
        "or",
        "should",
        "the",
        "their",
        "there",
        "this",
        "to",
        "up",
        "we",
        "what",
        "when",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def terms(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
    return [stem[:6] for stem in _stemmer().stemWords(words)]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float


@dataclass
class KnowledgeSearch:
    """BM25 over the entries; build once per knowledge base."""

    entries: list[Entry]
    _index: object = field(init=False, repr=False)

    def __post_init__(self) -> None:
        from rank_bm25 import BM25Okapi

        self._index = BM25Okapi([terms(e.searchable()) for e in self.entries])

    @classmethod
    def for_knowledge(cls, kb: KnowledgeBase) -> KnowledgeSearch:
        return cls(build_entries(kb))

    def ask(self, question: str, limit: int = 3) -> list[Hit]:
        """The best entries for a question, best first; empty when nothing matches at all."""
        query = terms(question)
        if not query:
            return []
        scores = self._index.get_scores(query)  # type: ignore[attr-defined]
        ranked = sorted(range(len(self.entries)), key=lambda i: (-scores[i], i))
        return [Hit(self.entries[i], float(scores[i])) for i in ranked[:limit] if scores[i] > 0]
