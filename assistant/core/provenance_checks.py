"""Where the knowledge base's figures come from, checked as far as a program can tell.

- every source a figure names is listed in ``sources`` (``unknown-source``), and every listed source
  is cited by some figure (``unused-source``);
- a figure's note (and a source's, on its grade) agrees with its flags and sources: a note naming a
  source id the figure does not list (``note-source``), a note calling the figure the product's own
  while ``product_choice`` is not set (``note-choice``), a note calling it unverified while
  ``unverified`` is not set (``note-unverified``);
- a default point count chosen within a range is marked as the product's choice (``unmarked-choice``).

A note is free text, so only what it says in these plain ways can be checked; the rest is a
reviewer's job against the clinical reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from assistant.core.findings import Finding, Loc, hint
from assistant.core.knowledge_model import Knowledge, Source, Sourced
from assistant.core.syringe_model import Syringe

_PRODUCT_CHOICE = re.compile(r"\bproduct's\b", re.IGNORECASE)
_UNVERIFIED = re.compile(r"\bunverified\b", re.IGNORECASE)

Block = Sourced | Syringe | Source


def _blocks(value: object, loc: Loc) -> Iterable[tuple[Loc, Block]]:
    """Every sourced figure inside a knowledge model, with its location."""
    if isinstance(value, Sourced | Syringe):
        yield loc, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _blocks(getattr(value, name), (*loc, name))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _blocks(item, (*loc, index))


def _where(loc: Loc) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def _named_sources(note: str, known: Iterable[str]) -> list[str]:
    return [s for s in known if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", note)]


def check_provenance(knowledge: Knowledge) -> list[Finding]:
    known = [s.id for s in knowledge.sources]
    findings: list[Finding] = []
    cited: set[str] = set()

    def listed(loc: Loc, sources: Iterable[str]) -> None:
        for source in sources:
            cited.add(source)
            if source not in known:
                findings.append(Finding(loc, "unknown-source", f"unknown source '{source}'.{hint(source, known)}"))

    for loc, block in _blocks(knowledge, ()):
        listed((*loc, "sources"), block.sources)
        findings += _note_findings(loc, block, known)
    listed(("product", "vial_sizes_sources"), knowledge.product.vial_sizes_sources)
    listed(("safety", "spread_warning_sources"), knowledge.safety.spread_warning_sources)
    for index, zone in enumerate(knowledge.zones):
        points = zone.points
        if points.min < points.max and not points.product_choice:
            findings.append(
                Finding(
                    ("zones", index, "points", "default"),
                    "unmarked-choice",
                    f"zones[{index}] ('{zone.id}'): the default of {points.default} points is chosen within "
                    f"{points.min}-{points.max}; mark it product_choice: true (the reference gives the range).",
                    "warning",
                )
            )
    for index, source in enumerate(knowledge.sources):
        findings += _note_findings(("sources", index), source, known)
        if source.id not in cited:
            findings.append(
                Finding(
                    ("sources", index, "id"),
                    "unused-source",
                    f"source '{source.id}' is cited by no figure; cite it where a figure comes from it, or remove it.",
                    "warning",
                )
            )
    return findings


def _note_findings(loc: Loc, block: Block, known: list[str]) -> list[Finding]:
    note = block.note or ""
    if not note:
        return []
    found = []
    where = _where(loc)
    listed = getattr(block, "sources", None)  # a source's own note is about its grade
    for source in _named_sources(note, known) if listed is not None else ():
        if source not in listed:
            found.append(
                Finding(
                    (*loc, "note"),
                    "note-source",
                    f"{where}: the note cites '{source}', which is not among its sources "
                    f"({', '.join(listed or ()) or 'none'}).",
                    "warning",
                )
            )
    if _PRODUCT_CHOICE.search(note) and not getattr(block, "product_choice", True):
        found.append(
            Finding(
                (*loc, "note"),
                "note-choice",
                f"{where}: the note calls this the product's own, but product_choice is not set.",
                "warning",
            )
        )
    if _UNVERIFIED.search(note) and not getattr(block, "unverified", True):
        found.append(
            Finding(
                (*loc, "note"),
                "note-unverified",
                f"{where}: the note calls this unverified, but unverified is not set.",
                "warning",
            )
        )
    return found
