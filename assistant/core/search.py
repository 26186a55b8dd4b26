"""Asking the knowledge base in plain words: ranked, offline, deterministic retrieval.

Each fact of the knowledge base becomes an ``Entry`` whose text quotes the knowledge files' own
figures and notes; a question is answered with the best-matching entries, never with invented text.
Ranking is BM25 (rank_bm25) over Snowball stems cut to six letters, so "pregnant" finds
"pregnancy" and "touch-ups" finds "touch-up". Ties keep the knowledge base's order.

A question that only names a subject ("? forehead", "? frown lines", "? touch up") is answered with
the entry on that subject first (``Entry.topic``: a zone's dose and injection points, touch-ups):
BM25 alone put the short entries that say the name most often first (the forehead-without-glabella
combination for "glabella", a masseter caution for "masseter", a timing band for "touch up"), and
the answer a junior asked for came third or not at all.
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

    _topics: list[tuple[int, frozenset[str]]] = field(init=False, repr=False)
    """(place of a topic entry, the words of its title and keywords: what names its subject)."""

    def __post_init__(self) -> None:
        from rank_bm25 import BM25Okapi

        self._index = BM25Okapi([terms(e.searchable()) for e in self.entries])
        self._topics = [
            (place, frozenset(terms(" ".join((entry.title, *entry.keywords)))))
            for place, entry in enumerate(self.entries)
            if entry.topic
        ]

    @classmethod
    def for_knowledge(cls, kb: KnowledgeBase) -> KnowledgeSearch:
        return cls(build_entries(kb))

    def ask(self, question: str, limit: int = 3) -> list[Hit]:
        """The best entries for a question, best first; empty when nothing matches at all."""
        query = terms(question)
        if not query:
            return []
        scores = self._index.get_scores(query)  # type: ignore[attr-defined]
        named = self._topic_named(query)
        ranked = sorted(range(len(self.entries)), key=lambda i: (i != named, -scores[i], i))
        return [Hit(self.entries[i], float(scores[i])) for i in ranked[:limit] if scores[i] > 0]

    def _topic_named(self, query: list[str]) -> int | None:
        """The place of the one topic entry whose names hold every word of the question (None when
        the question says more than a subject's name, or names several: "lines")."""
        places = [place for place, names in self._topics if names.issuperset(query)]
        return places[0] if len(places) == 1 else None
