"""Patients in TinyDB files: one index file per patient, and a name index to find them by prefix.

A patient index (``patients/<hh>/<hash>.json``) holds table "patient" (key, name and id as last
recorded) and table "consults" (one summary per consult, at its latest version); ``history`` reads
that one file. The name index (``names/<c1>/<c2>/<b>.json``, table "patients") holds (key, name,
id, name words) of every patient with a name word starting with the letters c1 c2; a name search
reads the one folder of the query word with the fewest entries (a one-letter search, the c1 folder).

Reads take no lock. Writes happen inside ``TinyDBStore.save``, under the patient folder's lock and
then each name folder's, never the other way round.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb import where

from assistant.core.lifecycle.ids import is_patient_key, name_tokens, patient_key
from assistant.core.lifecycle.listing import ConsultSummary, PatientMatch
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records.errors import DamagedDataFile
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import locked, read_tables, table_file
from assistant.records.tinydb.layout import Layout, data_files, letter

PATIENT = "patient"
CONSULTS = "consults"
NAMES = "patients"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a scan of thousands of small acyclic documents.

    A common prefix ("kim") parses tens of thousands of short-lived dicts and strings; left on, the
    collector walks them again and again mid-scan, which doubles the slowest searches.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def patient_document_in(index: Any, path: Path) -> dict[str, Any] | None:
    """The patient of an open index file, checked, with every consult line checked too (a file
    with one bad line is damaged as a whole: it is named and never written over)."""
    documents = index.table(PATIENT).all()
    consults = index.table(CONSULTS).all()
    if not documents:
        if consults:
            raise DamagedDataFile(path, "consults without a patient")
        return None
    document = dict(documents[0])
    converters.patient_from_document(document, path)
    for line in consults:
        converters.summary_from_document(line, path)
    return document


def summaries_in(index: Any, path: Path) -> list[ConsultSummary]:
    return [converters.summary_from_document(document, path) for document in index.table(CONSULTS).all()]


class Patients:
    def __init__(self, layout: Layout, *, durable: bool, lock_timeout: float) -> None:
        self.layout = layout
        self.durable = durable
        self.lock_timeout = lock_timeout

    # -- reading --------------------------------------------------------------------------------------

    def summaries(self, key: str) -> list[ConsultSummary]:
        path = self.layout.patient_path(key)
        with table_file(path, durable=self.durable) as index:
            document = patient_document_in(index, path)
            if document is None or document.get("patient_key") != key:
                return []
            return summaries_in(index, path)

    def patient(self, key: str) -> PatientMatch | None:
        path = self.layout.patient_path(key)
        with table_file(path, durable=self.durable) as index:
            document = patient_document_in(index, path)
            if document is None or document.get("patient_key") != key:
                return None
            consults = summaries_in(index, path)
        return converters.patient_from_document(document, path, consults=consults)

    def find(self, query: str, limit: int) -> list[PatientMatch]:
        text = query.strip()
        if not text:
            return []
        keys: list[str] = []
        by_id = patient_key("", text)
        if self.layout.patient_path(by_id).is_file():
            keys.append(by_id)
        keys += [e.patient_key for e in self.name_matches(text, limit + 1) if e.patient_key != by_id]
        matches = []
        for key in keys[:limit]:
            match = self.patient(key)
            if match is not None:
                matches.append(match)
        return matches

    def resolve(self, patient: str) -> list[str]:
        """The keys a ``history`` query means (see ``ConsultRepository.history``)."""
        if is_patient_key(patient):
            return [patient]
        text = patient.strip()
        if not text:
            return []
        by_id = patient_key("", text)
        if self.layout.patient_path(by_id).is_file():
            return [by_id]
        matches = self.name_matches(text)
        wanted = " ".join(name_tokens(text))
        exact = [e.patient_key for e in matches if e.words == wanted]
        return exact or [e.patient_key for e in matches]

    def name_matches(self, text: str, limit: int | None = None) -> list[converters.NameEntry]:
        """Name index entries whose name words are started by every word of ``text``.

        Exact names (the same words) come first, then by name; ``limit`` keeps only the first ones.
        """
        words = name_tokens(text)
        if not words:
            return []
        long_words = [w for w in words if len(w) > 1]
        if long_words:
            # every word must match, so the folder with the fewest entries is enough to look in
            size, folder = min(
                (self._folder_size(self.layout.name_dir(w)), self.layout.name_dir(w)) for w in long_words
            )
            if size == 0:
                return []
            paths = sorted(data_files(folder))
        else:
            first = self.layout.names / letter(words[0])
            folders = sorted(first.iterdir()) if first.is_dir() else []
            paths = [path for folder in folders for path in sorted(data_files(folder))]
        found: dict[str, converters.NameEntry] = {}
        with collector_paused():
            for path in paths:
                for entry in converters.matching_name_entries(read_tables(path), NAMES, path, words):
                    found[entry.patient_key] = entry
        wanted = " ".join(words)

        def order(entry: converters.NameEntry) -> tuple[bool, str, str]:
            return (entry.words != wanted, entry.words, entry.patient_id or "")

        if limit is not None:
            return heapq.nsmallest(limit, found.values(), key=order)
        return sorted(found.values(), key=order)

    @staticmethod
    def _folder_size(folder: Path) -> int:
        return sum(path.stat().st_size for path in data_files(folder))

    # -- writing (under the patient folder's lock) ----------------------------------------------------

    def name_paths(self, patient_name: str, key: str) -> set[Path]:
        return {self.layout.name_path(token, key) for token in name_tokens(patient_name)}

    def check_name_files(self, paths: set[Path]) -> None:
        """Read every name index file a save will change, each entry checked: a damaged one stops
        the save before anything is written."""
        for path in paths:
            for document in ((read_tables(path) or {}).get(NAMES) or {}).values():
                converters.check_name_entry(document, path)

    def put_name(self, path: Path, record: ConsultRecord) -> None:
        entry = converters.name_entry_document(record)
        with locked(path.parent, self.lock_timeout), table_file(path, durable=self.durable, write=True) as names:
            names.table(NAMES).upsert(entry, where("patient_key") == entry["patient_key"])

    def remove_name(self, path: Path, key: str) -> None:
        with locked(path.parent, self.lock_timeout), table_file(path, durable=self.durable, write=True) as names:
            names.table(NAMES).remove(where("patient_key") == key)
