"""A data folder's derived indexes read as logical entries, and written again from the records.

The index files (``layout.py``: ``patients/``, ``names/``, ``lots/``, ``treatments/``, the "to
sign" and "to give" tables of ``signing/waiting.json``, ``vials/open.json``, ``register/``'s
buckets) are read as ``IndexEntry`` (``core.lifecycle.indexes``), each where it is filed: an entry
in a file where the look-ups would not look for it is read as filed there, so the comparison names
it. A file that cannot be read stands for itself (``UNREADABLE``).

``rebuild`` writes every index file from the latest version of each consult and every vial, under
the lock of every patient folder (a save takes its patient's first, so none runs meanwhile) and the
vials lock, changing only the files that differ and removing those no record calls for.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from assistant.core.lifecycle.audit import AuditEvent, canonical
from assistant.core.lifecycle.ids import name_tokens
from assistant.core.lifecycle.index_check import UNREADABLE
from assistant.core.lifecycle.indexes import (
    HEADER,
    IndexEntry,
    giving_entry,
    lot_units,
    patient_value,
    recall_value,
    summary_value,
    treatment_entries,
    vial_entry,
)
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import Treatment, treatment_of
from assistant.core.lifecycle.vials import Vial, lot_key
from assistant.files.private import UnsafePath
from assistant.records.errors import DamagedDataFile
from assistant.records.tinydb import register_index
from assistant.records.tinydb.atomic import dump, locked, read_tables, write_atomic
from assistant.records.tinydb.converters import FORMAT, TO_GIVE, WAITING, summary_document
from assistant.records.tinydb.layout import Layout
from assistant.records.tinydb.patients import CONSULTS, NAMES, PATIENT
from assistant.records.tinydb.register_files import RegisterFiles
from assistant.records.tinydb.tracing_files import GIVEN, TREATMENTS
from assistant.records.tinydb.vial_files import OPEN

if TYPE_CHECKING:
    from assistant.records.tinydb.folder import DataFolder

Tables = dict[str, list[dict[str, Any]]]


def _trees(layout: Layout) -> dict[str, Path]:
    return {"patients": layout.patients, "names": layout.names, "lots": layout.lots, "treatments": layout.treatments}


def _files(tree: Path) -> Iterator[Path]:
    """Every ``*.json`` index file below ``tree`` (not lock or temporary files; no link followed)."""
    for folder, dirs, names in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".json") and not name.startswith("."):
                yield Path(folder) / name


def _documents(path: Path, table: str) -> list[dict[str, Any]]:
    return list(((read_tables(path) or {}).get(table) or {}).values())


def _where(layout: Layout, path: Path) -> str:
    return str(path.relative_to(layout.data_dir))


def _patient_entries(layout: Layout, path: Path) -> list[IndexEntry]:
    header = _documents(path, PATIENT)
    key = str(header[0].get("patient_key")) if header else f"(no patient, in {_where(layout, path)})"
    if layout.patient_path(key) != path:
        key = f"{key} (filed in {_where(layout, path)})"
    found = [
        IndexEntry(index="patients", key=key, item=HEADER, value=patient_value(d["patient_name"], d.get("patient_id")))
        for d in header
    ]
    for document in _documents(path, CONSULTS):
        summary = ConsultSummary.model_validate(document)
        found.append(IndexEntry(index="patients", key=key, item=summary.consult_id, value=summary_value(summary)))
    return found


def _name_entries(layout: Layout, path: Path) -> list[IndexEntry]:
    found = []
    for document in _documents(path, NAMES):
        key, value = str(document["patient_key"]), patient_value(document["patient_name"], document.get("patient_id"))
        words = list(dict.fromkeys(str(document["words"]).split()))
        filed = [word for word in words if layout.name_path(word, key) == path]
        for item in filed or [f"{' '.join(words)} (filed in {_where(layout, path)})"]:
            found.append(IndexEntry(index="names", key=key, item=item, value=value))
    return found


def _lot_entries(layout: Layout, path: Path) -> list[IndexEntry]:
    found = []
    for document in _documents(path, GIVEN):
        treatment = Treatment.model_validate(document)
        keys = [k for k in sorted({lot_key(lot) for lot in treatment.lots if lot}) if layout.lot_path(k) == path]
        for key in keys or [f"(another lot, in {_where(layout, path)})"]:
            value = recall_value(treatment, lot_units(treatment, key))
            found.append(IndexEntry(index="lots", key=key, item=treatment.consult_id, value=value))
    return found


def _treatment_entries(layout: Layout, path: Path) -> list[IndexEntry]:
    day = f"{path.parent.name}-{path.stem}"
    found = []
    for document in _documents(path, TREATMENTS):
        entry = treatment_entries(Treatment.model_validate(document))[0]
        found.append(entry.model_copy(update={"key": day}))
    return found


def _signing_entries(layout: Layout, path: Path) -> list[IndexEntry]:
    summaries = [ConsultSummary.model_validate(d) for d in _documents(path, WAITING)]
    return [IndexEntry(index="signing", key="", item=s.consult_id, value=summary_value(s)) for s in summaries]


def _giving_entries(layout: Layout, path: Path) -> list[IndexEntry]:
    return [giving_entry(ConsultSummary.model_validate(d)) for d in _documents(path, TO_GIVE)]


def _vial_entries(layout: Layout, path: Path) -> list[IndexEntry]:
    return [vial_entry(str(d.get("vial_id"))) for d in _documents(path, OPEN)]


_READERS: dict[str, Callable[[Layout, Path], list[IndexEntry]]] = {
    "patients": _patient_entries,
    "names": _name_entries,
    "lots": _lot_entries,
    "treatments": _treatment_entries,
    "signing": _signing_entries,
    "giving": _giving_entries,
    "vials": _vial_entries,
}


def entries(layout: Layout, register: RegisterFiles) -> list[IndexEntry]:
    """Every entry of every index file, as filed (see the module docstring)."""
    places = [(index, path) for index, tree in _trees(layout).items() for path in _files(tree)]
    places += [("signing", layout.to_sign_file), ("giving", layout.to_sign_file), ("vials", layout.open_vials_file)]
    places += [(f"register {table}", path) for table, path in register_index.bucket_files(register)]
    found: list[IndexEntry] = []
    for index, path in places:
        try:
            if index.startswith("register "):
                found += register_index.entries_in(register, index.split()[1], path)
                index = "register"
            else:
                found += _READERS[index](layout, path)
        except (DamagedDataFile, UnsafePath, ValidationError, KeyError, TypeError, AttributeError) as error:
            index = index.split()[0]
            why = error.reason if isinstance(error, DamagedDataFile) else str(error).splitlines()[0]
            found.append(IndexEntry(index=index, key=_where(layout, path), item=UNREADABLE, value=why))  # type: ignore[arg-type]
    return found


def wanted_files(
    layout: Layout, latest: Iterable[ConsultRecord], vials: Iterable[Vial], names: dict[str, tuple[str, str | None]]
) -> dict[Path, Tables]:
    """The index files the records call for, each as its tables of documents."""
    files: dict[Path, Tables] = {layout.to_sign_file: {WAITING: [], TO_GIVE: []}, layout.open_vials_file: {OPEN: []}}

    def add(path: Path, table: str, document: dict[str, Any]) -> None:
        files.setdefault(path, {}).setdefault(table, []).append(document)

    for key, (name, number) in sorted(names.items()):
        header = {"format": FORMAT, "patient_key": key, "patient_name": name, "patient_id": number}
        add(layout.patient_path(key), PATIENT, header)
        for path in sorted({layout.name_path(word, key) for word in name_tokens(name)}):
            add(path, NAMES, {**header, "words": " ".join(name_tokens(name))})
    for record in sorted(latest, key=lambda r: r.consult_id):
        summary = summary_document(ConsultSummary.of(record))
        add(layout.patient_path(record.patient_key), CONSULTS, summary)
        if record.to_sign:
            add(layout.to_sign_file, WAITING, summary)
        if record.to_give:
            add(layout.to_sign_file, TO_GIVE, summary)
        treatment = treatment_of(record)
        if treatment is not None:
            document = treatment.model_dump(mode="json")
            add(layout.treatments_path(treatment.date), TREATMENTS, document)
            for key in sorted({lot_key(lot) for lot in treatment.lots if lot}):
                add(layout.lot_path(key), GIVEN, document)
    for vial in sorted(vials, key=lambda v: v.vial_id):
        if vial.state == "open":
            add(layout.open_vials_file, OPEN, {"vial_id": vial.vial_id})
    return files


def _same(path: Path, tables: Tables | None) -> bool:
    try:
        held = read_tables(path)
    except (DamagedDataFile, UnsafePath):
        return False
    if held is None or tables is None:
        return held is None and tables is None

    def shape(data: dict[str, Any]) -> dict[str, list[bytes]]:
        return {name: sorted(canonical(d) for d in documents) for name, documents in data.items()}

    return shape({name: list(table.values()) for name, table in held.items()}) == shape(tables)


def _write(path: Path, tables: Tables | None, durable: bool) -> None:
    if tables is None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return
    numbered = {name: {str(i): d for i, d in enumerate(documents, 1)} for name, documents in tables.items()}
    write_atomic(path, dump(numbered), durable=durable)


def rebuild(store: DataFolder, event: Callable[[list[str]], AuditEvent]) -> list[str]:
    """Write every index file again from the records; returns what was wrong (see the module docstring)."""
    from assistant.core.lifecycle.index_check import mismatches
    from assistant.core.lifecycle.indexes import expected_entries, kept_names, patient_names

    layout, register = store.layout, store.register.files
    with contextlib.ExitStack() as stack:
        for folder in [f"{n:02x}" for n in range(256)]:
            stack.enter_context(locked(layout.patients / folder, store.lock_timeout))
        stack.enter_context(locked(layout.vials, store.lock_timeout))
        stack.enter_context(locked(register.root, store.lock_timeout))
        latest = list(store.latest_records())
        vials = store.vial_files.all()
        registered = register.all()
        actual = entries(layout, register)
        kept = kept_names(actual)
        fixed = mismatches(expected_entries(latest, vials, kept, registered), actual)
        wanted = wanted_files(layout, latest, vials, patient_names(latest, kept))
        wanted.update(register_index.wanted_buckets(register, registered))
        held = {path for tree in _trees(layout).values() for path in _files(tree)}
        held |= {path for _, path in register_index.bucket_files(register)}
        for path in sorted(held | set(wanted)):
            tables = wanted.get(path)
            if not _same(path, tables):
                if path.parent.parent in {layout.patients, register.root} or path.parent == layout.vials:
                    _write(path, tables, store.durable)  # already under its folder's lock
                else:
                    with locked(path.parent, store.lock_timeout):
                        _write(path, tables, store.durable)
        store.audit.append(event(fixed))
    return fixed
