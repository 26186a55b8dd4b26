"""The derived indexes compared with what the records say they should hold, each mismatch named.

A sentence says which index, which entry, and what goes wrong for the clinic because of it (recall
forgets a patient, ``due`` lists a ghost, a consult waiting for a signature is not on the list), so
that whoever reads ``audit verify`` knows what to look at; ``reindex`` rebuilds them. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from assistant.core.lifecycle.indexes import HEADER, INDEXES, IndexEntry
from assistant.core.text_safety import printable

UNREADABLE = "(unreadable)"
"""The item of an entry standing for an index file or row that cannot be read (key: where; value: why)."""

_CONSEQUENCE = {
    "patients": "her history would not show it",
    "names": "a search for that name would not find her",
    "lots": "recall would forget her",
    "treatments": "`due` and the usage report would forget it",
    "signing": "the to-sign list would not show it",
    "giving": "the to-give list (Waiting, `waiting`) would not show it",
    "vials": "it would not be offered to draw from",
    "register": "a consult naming her would not be matched to her, and a second entry could be made for her",
}


_REGISTER_KINDS = {"number": "clinic number", "birth": "date of birth"}
_BIRTH_CONSEQUENCE = "a search by her date of birth would not find her"


def _what(entry: IndexEntry) -> str:
    """The entry in words, as the index files it."""
    if entry.index == "patients":
        return f"patient {entry.key}" if entry.item == HEADER else f"consult {entry.item} under patient {entry.key}"
    if entry.index == "names":
        return f"patient {entry.key} under the name word '{entry.item}'"
    if entry.index == "lots":
        return f"consult {entry.item} under lot {entry.key}"
    if entry.index == "treatments":
        return f"consult {entry.item} as treated on {entry.key}"
    if entry.index in ("signing", "giving"):
        return f"consult {entry.item}"
    if entry.index == "register":
        kind, _, text = entry.key.partition(" ")
        return f"patient {entry.item} under the {_REGISTER_KINDS.get(kind, kind)} '{text}'"
    return f"vial {entry.item} as open"


def _missing(entry: IndexEntry) -> str:
    if entry.index == "signing":
        waits = f"consult {entry.item}, which waits for a signature"
        return f"the signing index does not list {waits}: {_CONSEQUENCE['signing']}."
    if entry.index == "giving":
        waits = f"consult {entry.item}, which waits to be given"
        return f"the giving index does not list {waits}: {_CONSEQUENCE['giving']}."
    if entry.index == "patients" and entry.item == HEADER:
        return f"the patients index misses patient {entry.key}: her consults could not be found by her name or number."
    consequence = _CONSEQUENCE[entry.index]
    if entry.index == "register" and entry.key.startswith("birth "):
        consequence = _BIRTH_CONSEQUENCE
    return f"the {entry.index} index misses {_what(entry)}: {consequence}."


def _ghost(entry: IndexEntry) -> str:
    if entry.item == UNREADABLE:
        return f"the {entry.index} index's {entry.key} cannot be read ({entry.value})."
    if entry.index == "signing":
        return f"the signing index lists consult {entry.item} as waiting for a signature, which no record states."
    if entry.index == "giving":
        return f"the giving index lists consult {entry.item} as waiting to be given, which no record states."
    return f"the {entry.index} index lists {_what(entry)}, which no record states."


def _changed(entry: IndexEntry, held: IndexEntry) -> str:
    return f"the {entry.index} index holds {_what(entry)} other than its record states{_differences(entry, held)}."


def _differences(entry: IndexEntry, held: IndexEntry) -> str:
    """Which of the entry's fields differ, held against stated (a row's units changed in the server's
    index read as a patient problem with nothing said of units): "": none can be named."""
    try:
        stated, found = json.loads(entry.value), json.loads(held.value)
    except ValueError:
        return ""
    if not isinstance(stated, dict) or not isinstance(found, dict):
        return ""
    fields = [name for name in dict.fromkeys([*stated, *found]) if stated.get(name) != found.get(name)]
    said = [f"{name} {_shown(found.get(name))} where the record says {_shown(stated.get(name))}" for name in fields]
    return (": " + "; ".join(said[:6]) + ("; ..." if len(said) > 6 else "")) if said else ""


def _shown(value: object) -> str:
    """A field's value on one line, short, whatever was written into the index."""
    text = printable(json.dumps(value, ensure_ascii=False), multiline=False)
    return text if len(text) <= 60 else text[:59] + "…"


def mismatches(expected: Iterable[IndexEntry], actual: Iterable[IndexEntry]) -> list[str]:
    """Every difference between the entries the records call for and those the store holds, in
    index order (``INDEXES``), then by key and item."""
    wanted = {(e.index, e.key, e.item): e for e in expected}
    held: dict[tuple[str, str, str], list[IndexEntry]] = {}
    for entry in actual:
        held.setdefault((entry.index, entry.key, entry.item), []).append(entry)
    found: list[tuple[tuple[int, str, str], str]] = []

    def note(entry: IndexEntry, sentence: str) -> None:
        found.append(((INDEXES.index(entry.index), entry.key, entry.item), sentence))

    for place, entry in wanted.items():
        entries = held.get(place, [])
        if not entries:
            note(entry, _missing(entry))
        elif (other := next((e for e in entries if e.value != entry.value), None)) is not None:
            note(entry, _changed(entry, other))
    for place, entries in held.items():
        if place not in wanted:
            for entry in dict.fromkeys(entries):
                note(entry, _ghost(entry))
    return [sentence for _, sentence in sorted(found)]
