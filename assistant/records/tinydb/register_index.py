"""The patient register's look-up buckets (``register/names/``, ``register/numbers/``,
``register/births/``) read as index entries, and written again from the register's own entries (``register/patients/``).

A bucket is found by the hash of the folded name or number (``register_files.py``), so a pair filed
in another bucket is never found: it is read as filed there, for the comparison to name it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.core.lifecycle.indexes import IndexEntry
from assistant.core.lifecycle.register import Patient
from assistant.records.tinydb.register_files import BIRTHS, NAMES, NUMBERS, RegisterFiles

KINDS = {NAMES: "name", NUMBERS: "number", BIRTHS: "birth"}
"""Each bucket table (also its folder's name) and the kind of its index entries."""


def bucket_files(files: RegisterFiles) -> list[tuple[str, Path]]:
    """(table, path) of every bucket file there is."""
    found = []
    for table, folder in ((table, files.root / table) for table in KINDS):
        if folder.is_dir():
            found += [(table, p) for p in sorted(folder.glob("*.json")) if not p.name.startswith(".")]
    return found


def _bucket_path(files: RegisterFiles, table: str, folded: str) -> Path:
    paths = {NAMES: files.name_path, NUMBERS: files.number_path, BIRTHS: files.birth_path}
    return paths[table](folded)


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
        for path, table, folded in files.look_ups(patient):
            pairs.setdefault(path, (table, set()))[1].add((folded, patient.patient_key))
    return {
        path: {table: [{"folded": text, "key": key} for text, key in sorted(found)]}
        for path, (table, found) in pairs.items()
    }
