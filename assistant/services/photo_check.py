"""``audit verify`` of the photos: every photo a record names is still in the store, as it was added.

A record version that adds photos names each with its SHA-256 (``PhotoRef``), and the version's own
hash, in the trail, covers those names. Here each photo and thumbnail the store holds is hashed
again and compared: a photo edited in the data folder or in its row (the workstations' role, the
tables' owner) or removed is named, with its consult and kind.
"""

from __future__ import annotations

import hashlib

from assistant.core.lifecycle.audit import AuditEntry
from assistant.core.lifecycle.photo_refs import PhotoRef
from assistant.records.repository import ConsultRepository


def _named(ref: PhotoRef, consult_id: str) -> str:
    shown = f" ({ref.name})" if ref.name else ""
    return f"the {ref.kind} photo {ref.sha256[:12]}{shown} of consult {consult_id}"


def _problem(repository: ConsultRepository, ref: PhotoRef, consult_id: str) -> str | None:
    kept = repository.photo(ref.sha256)
    if kept is None:
        return f"{_named(ref, consult_id)} is missing from the store: it was removed outside the program."
    now = hashlib.sha256(kept.data).hexdigest()
    if now != ref.sha256:
        return f"{_named(ref, consult_id)} was changed outside the program: its SHA-256 is now {now[:12]}."
    if ref.thumbnail_sha256 and hashlib.sha256(kept.thumbnail).hexdigest() != ref.thumbnail_sha256:
        return f"the thumbnail of {_named(ref, consult_id)} was changed or removed outside the program."
    return None


def photo_problems(repository: ConsultRepository, trail: list[AuditEntry]) -> list[str]:
    """One sentence per photo (or thumbnail) missing or changed, for each record version the trail
    says added photos (or brought them over from a data folder: ``db import``); each checked once."""
    problems: list[str] = []
    checked: set[str] = set()
    for entry in trail:
        if entry.action not in ("photo added", "imported") or not entry.consult_id or not entry.version:
            continue
        record = repository.get(entry.consult_id, entry.version)
        for ref in record.photos if record is not None else ():
            if ref.sha256 in checked:
                continue
            checked.add(ref.sha256)
            if problem := _problem(repository, ref, entry.consult_id):
                problems.append(problem)
    return problems
