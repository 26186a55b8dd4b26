"""The patient register's look-up buckets (``register/names/``, ``register/numbers/``) read as index
entries, and written again from the register's own entries (``register/patients/``).

A bucket is found by the hash of the folded name or number (``register_files.py``), so a pair filed
in another bucket is never found: it is read as filed there, for the comparison to name it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.indexes import IndexEntry
from assistant.core.lifecycle.register import Patient, folded_number
from assistant.records.tinydb.register_files import NAMES, NUMBERS, RegisterFiles

KINDS = {NAMES: "name", NUMBERS: "number"}


def bucket_files(files: RegisterFiles) -> list[tuple[str, Path]]:
    """(table, path) of every bucket file there is."""
    found = []
    for table, folder in ((NAMES, files.root / "names"), (NUMBERS, files.root / "numbers")):
        if folder.is_dir():
            found += [(table, p) for p in sorted(folder.glob("*.json")) if not p.name.startswith(".")]
    return found


def _bucket_path(files: RegisterFiles, table: str, folded: str) -> Path:
    return files.name_path(folded) if table == NAMES else files.number_path(folded)


def entries_in(files: RegisterFiles, table: str, path: Path) -> list[IndexEntry]:
    found = []
    for folded, key in RegisterFiles._pairs(path, table):
        where = "" if _bucket_path(files, table, folded) == path else f" (filed in {path.relative_to(files.root)})"
        found.append(IndexEntry(index="register", key=f"{KINDS[table]} {folded}{where}", item=key))
    return found


def wanted_buckets(files: RegisterFiles, patients: Iterable[Patient]) -> dict[Path, dict[str, list[dict[str, Any]]]]:
    """The bucket files the register's entries call for, each document as ``_change_bucket`` writes it."""
    pairs: dict[Path, tuple[str, set[tuple[str, str]]]] = {}
    for patient in patients:
        texts = [(NAMES, normalise_name(patient.name)), (NUMBERS, folded_number(patient.clinic_number))]
        for table, folded in texts:
            if folded:
                path = _bucket_path(files, table, folded)
                pairs.setdefault(path, (table, set()))[1].add((folded, patient.patient_key))
    return {
        path: {table: [{"folded": text, "key": key} for text, key in sorted(found)]}
        for path, (table, found) in pairs.items()
    }
