"""One quotable fact of the knowledge base, as "ask" finds and quotes it.

A module of its own because the entries are built in several modules (``search_entries``,
``search_more``) and searched in another (``search``); each imports this one only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One quotable fact: a title, its text and figures as the knowledge files give them, and sources."""

    id: str
    title: str
    text: str
    sources: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    topic: bool = False
    """The entry that answers a question naming only its subject (a zone's dose, touch-ups): ``ask``
    puts it first when the question's words are all in its title and keywords (``search``)."""

    def searchable(self) -> str:
        return " ".join((self.title, self.title, self.text, *self.keywords, *self.keywords))
