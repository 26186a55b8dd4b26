"""The consult record in TinyDB files: many small files, so that 100,000 consults cost what ten do.

One TinyDB JSON file is read and rewritten whole on every operation, so nothing here lets a file
grow with the number of consults. Layout under the data directory (directories 0700, files 0600)::

    consults/<YYYY-MM>/<consult_id>.json  one record per file (table "consult"). The month comes
                                          from the id, so get() opens exactly one file.
    patients/<hh>/<hash>.json             one file per patient: table "patient" (key, name and id
                                          as last recorded) and table "consults" (one summary per
                                          consult). <hash> is sha256(patient_key)[:32] and <hh>
                                          its first two hex digits; history() reads this one file.
    names/<c1>/<c2>/<b>.json              the name index: table "patients" holds (key, name, id,
                                          name words) of every patient with a name word starting
                                          with the letters c1 c2 ("_" for c2 when the word has one
                                          letter), spread over 16 files by <b>, the first hex digit
                                          of sha256(patient_key), so that adding a patient rewrites
                                          a sixteenth of a common prefix. A name search reads the
                                          one folder of the query word with the fewest entries (a
                                          one-letter search, the c1 folder). a-z and 0-9 stand for
                                          themselves, any other letter is "u" + its hex code point
                                          (김 -> uae40).
    drafts/<draft_id>.json                an unfinished consult (table "draft").
    <dir>/.lock                           the lock held across read-modify-write of <dir>'s files.
    <dir>/.<file>.<random>.tmp            a write in progress; a kill may leave one (harmless).

Every write goes through ``atomic.AtomicJSONStorage`` (temp file, fsync, ``os.replace``), so a kill
leaves each file old or new, never truncated. ``save`` takes the patient's index lock, reads the
index, the name index files it will change and any existing record (a damaged file stops the save
before anything is written), writes the record file, then (for a new patient or a new name, each
under its folder's lock) the name index, then the patient's index. A kill between those steps
leaves at worst a record file that no index lists yet (``get`` still returns it) or name entries
for a patient index not written yet (searches skip them; the patient's next save writes both). No
index ever lists a record that is not there, and a patient index never lacks its name entries.

Two processes saving at once lose nothing: every index file is changed only under its folder's
lock. Locks are taken patient folder first, name folder second, never the other way, so two
terminals cannot deadlock; readers take no lock.

Writes go through TinyDB. The name search reads the same files through the storage's validating
reader instead, without building a TinyDB document for each of thousands of entries.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import heapq
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from tinydb import where
from tinydb.table import Document

from assistant import locations
from assistant.records.errors import DamagedDataFile, DataFolderUnusable, RecordsError
from assistant.records.models import (
    ConsultRecord,
    ConsultSummary,
    Draft,
    PatientMatch,
    is_patient_key,
    is_record_id,
    name_tokens,
    patient_key,
)
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import (
    dump,
    locked,
    read_tables,
    table_file,
    write_atomic,
)

CONSULT = "consult"
PATIENT = "patient"
CONSULTS = "consults"
NAMES = "patients"
DRAFT = "draft"

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _letter(char: str) -> str:
    return char if char in _PLAIN else f"u{ord(char):04x}"


def _data_files(directory: Path) -> Iterator[Path]:
    """The ``*.json`` files of a folder (not temp or lock files); nothing when it does not exist."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    for name in names:
        if name.endswith(".json") and not name.startswith("."):
            yield directory / name


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
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


P = ParamSpec("P")
R = TypeVar("R")


def _in_words(
    method: Callable[Concatenate[TinyDBConsultStore, P], R],
) -> Callable[Concatenate[TinyDBConsultStore, P], R]:
    """The interface promises only ``RecordsError``: an operating-system error (the data folder is
    a file, is not writable, the disk is full) becomes ``DataFolderUnusable``, a plain sentence."""

    @functools.wraps(method)
    def wrapper(self: TinyDBConsultStore, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error

    return wrapper


class TinyDBConsultStore:
    """``ConsultRepository`` over small TinyDB files in ``data_dir`` (see the module docstring)."""

    def __init__(self, data_dir: Path | str | None = None, *, durable: bool = True, lock_timeout: float = 30.0):
        """``durable=False`` skips fsync (tests, bulk loads): still atomic, but not power-cut proof."""
        self.data_dir = Path(data_dir) if data_dir is not None else locations.user_data_dir()
        self.durable = durable
        self.lock_timeout = lock_timeout
        self._consults = self.data_dir / "consults"
        self._patients = self.data_dir / "patients"
        self._names = self.data_dir / "names"
        self._drafts = self.data_dir / "drafts"

    # -- where things are ---------------------------------------------------------------------------

    def consult_path(self, consult_id: str) -> Path:
        return self._consults / f"{consult_id[:4]}-{consult_id[4:6]}" / f"{consult_id}.json"

    def patient_path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self._patients / digest[:2] / f"{digest}.json"

    def name_dir(self, token: str) -> Path:
        """The name index folder for a (normalised) name word."""
        second = _letter(token[1]) if len(token) > 1 else "_"
        return self._names / _letter(token[0]) / second

    def name_path(self, token: str, key: str) -> Path:
        """The name index file listing patient ``key`` under a word of their name."""
        return self.name_dir(token) / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[0]}.json"

    def draft_path(self, draft_id: str) -> Path:
        return self._drafts / f"{draft_id}.json"

    def _name_paths(self, patient_name: str, key: str) -> set[Path]:
        return {self.name_path(token, key) for token in name_tokens(patient_name)}

    # -- consults -----------------------------------------------------------------------------------

    @_in_words
    def save(self, record: ConsultRecord) -> str:
        key = record.patient_key
        record_path = self.consult_path(record.consult_id)
        index_path = self.patient_path(key)
        with (
            locked(index_path.parent, self.lock_timeout),
            table_file(index_path, durable=self.durable, write=True) as index,
        ):
            old_patient = self._patient_document(index, index_path)
            renamed = old_patient is None or (old_patient["patient_name"], old_patient["patient_id"]) != (
                record.patient_name,
                record.patient_id,
            )
            old_names = self._name_paths(old_patient["patient_name"], key) if old_patient else set()
            new_names = self._name_paths(record.patient_name, key) if renamed else set()
            for path in old_names | new_names:
                read_tables(path)  # a damaged name index stops the save before anything is written
            with table_file(record_path, durable=self.durable, write=True) as stored:
                previous = self._record_in(stored, record_path)
                table = stored.table(CONSULT)
                table.truncate()
                table.insert(Document(converters.record_document(record), doc_id=1))
            # the record file is written (on leaving the block above); then the name index, so
            # that a patient index never exists without its name entries
            if renamed:
                entry = converters.name_entry_document(record)
                for path in old_names - new_names:
                    self._name_index_remove(path, key)
                for path in new_names:
                    self._name_index_put(path, entry)
            # and last the patient's index, written on leaving this block
            patient = index.table(PATIENT)
            patient.truncate()
            patient.insert(Document(converters.patient_document(record), doc_id=1))
            index.table(CONSULTS).upsert(
                converters.summary_document(record.summary()), where("consult_id") == record.consult_id
            )
        if previous is not None and previous.patient_key != key:
            self._forget(previous.patient_key, record.consult_id)
        return record.consult_id

    @_in_words
    def get(self, consult_id: str) -> ConsultRecord | None:
        if not is_record_id(consult_id):
            return None
        path = self.consult_path(consult_id)
        with table_file(path, durable=self.durable) as stored:
            return self._record_in(stored, path)

    @_in_words
    def history(self, patient: str) -> list[ConsultSummary]:
        summaries = [summary for key in self._resolve(patient) for summary in self._summaries(key)]
        return sorted(summaries, key=ConsultSummary.sort_key, reverse=True)

    @_in_words
    def last_for_patient(self, patient_key: str) -> ConsultRecord | None:
        summaries = self._summaries(patient_key)
        if not summaries:
            return None
        newest = max(summaries, key=ConsultSummary.sort_key)
        return self.get(newest.consult_id)

    @_in_words
    def list_recent(self, limit: int = 20) -> list[ConsultSummary]:
        found: list[ConsultSummary] = []
        try:
            months = sorted((m for m in os.listdir(self._consults) if _MONTH.match(m)), reverse=True)
        except FileNotFoundError:
            return found
        for month in months:
            names = sorted((n[:-5] for n in os.listdir(self._consults / month) if n.endswith(".json")), reverse=True)
            for consult_id in names:
                if len(found) >= limit:
                    return found
                record = self.get(consult_id)
                if record is not None:
                    found.append(record.summary())
        return found

    # -- patients -----------------------------------------------------------------------------------

    @_in_words
    def find_patients(self, query: str, limit: int = 20) -> list[PatientMatch]:
        text = query.strip()
        if not text:
            return []
        keys: list[str] = []
        by_id = patient_key("", text)
        if self.patient_path(by_id).is_file():
            keys.append(by_id)
        keys += [e.patient_key for e in self._name_matches(text, limit + 1) if e.patient_key != by_id]
        matches = []
        for key in keys[:limit]:
            match = self._patient(key)
            if match is not None:
                matches.append(match)
        return matches

    @_in_words
    def patient(self, patient_key: str) -> PatientMatch | None:
        """A patient by key, with the number of consults and the latest date."""
        return self._patient(patient_key)

    def _resolve(self, patient: str) -> list[str]:
        if is_patient_key(patient):
            return [patient]
        text = patient.strip()
        if not text:
            return []
        by_id = patient_key("", text)
        if self.patient_path(by_id).is_file():
            return [by_id]
        matches = self._name_matches(text)
        wanted = " ".join(name_tokens(text))
        exact = [e.patient_key for e in matches if e.words == wanted]
        return exact or [e.patient_key for e in matches]

    def _name_matches(self, text: str, limit: int | None = None) -> list[converters.NameEntry]:
        """Name index entries whose name words are started by every word of ``text``.

        Exact names (the same words) come first, then by name; ``limit`` keeps only the first ones.
        """
        words = name_tokens(text)
        if not words:
            return []
        long_words = [w for w in words if len(w) > 1]
        if long_words:
            # every word must match, so the folder with the fewest entries is enough to look in
            size, folder = min((self._folder_size(self.name_dir(w)), self.name_dir(w)) for w in long_words)
            if size == 0:
                return []
            paths = sorted(_data_files(folder))
        else:
            first = self._names / _letter(words[0])
            folders = sorted(first.iterdir()) if first.is_dir() else []
            paths = [path for folder in folders for path in sorted(_data_files(folder))]
        found: dict[str, converters.NameEntry] = {}
        with _collector_paused():
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
        return sum(path.stat().st_size for path in _data_files(folder))

    def _patient(self, key: str) -> PatientMatch | None:
        path = self.patient_path(key)
        with table_file(path, durable=self.durable) as index:
            document = self._patient_document(index, path)
            if document is None or document.get("patient_key") != key:
                return None
            consults = self._summaries_in(index, path)
        return converters.patient_from_document(document, path, consults=consults)

    def _summaries(self, key: str) -> list[ConsultSummary]:
        path = self.patient_path(key)
        with table_file(path, durable=self.durable) as index:
            document = self._patient_document(index, path)
            if document is None or document.get("patient_key") != key:
                return []
            return self._summaries_in(index, path)

    # -- drafts -------------------------------------------------------------------------------------

    @_in_words
    def save_draft(self, draft: Draft) -> str:
        path = self.draft_path(draft.draft_id)
        with table_file(path, durable=self.durable, write=True) as stored:
            table = stored.table(DRAFT)
            table.truncate()
            table.insert(Document(converters.draft_document(draft), doc_id=1))
        return draft.draft_id

    @_in_words
    def get_draft(self, draft_id: str) -> Draft | None:
        if not is_record_id(draft_id):
            return None
        path = self.draft_path(draft_id)
        with table_file(path, durable=self.durable) as stored:
            documents = stored.table(DRAFT).all()
        if not documents:
            if path.exists():
                raise DamagedDataFile(path, "no draft in the file")
            return None
        return converters.draft_from_document(documents[0], path)

    @_in_words
    def drafts(self) -> list[Draft]:
        found = [self.get_draft(path.stem) for path in _data_files(self._drafts) if is_record_id(path.stem)]
        return sorted((d for d in found if d is not None), key=lambda d: d.updated_at.timestamp(), reverse=True)

    @_in_words
    def draft_ids(self) -> list[str]:
        return sorted((path.stem for path in _data_files(self._drafts) if is_record_id(path.stem)), reverse=True)

    @_in_words
    def delete_draft(self, draft_id: str) -> bool:
        if not is_record_id(draft_id):
            return False
        try:
            os.unlink(self.draft_path(draft_id))
        except FileNotFoundError:
            return False
        return True

    # -- bulk ---------------------------------------------------------------------------------------

    @_in_words
    def bulk_load(self, records: Iterable[ConsultRecord]) -> int:
        """Write many records into an empty data directory at once (imports, benchmarks).

        Writes the same files ``save`` would, without locks or fsync, each index file once. Not for a
        data directory in use: it refuses one that already holds patients.
        """
        if any(self._patients.glob("*/*.json")):
            raise RecordsError(f"bulk_load needs an empty data directory; {self.data_dir} already holds consults.")
        patients: dict[str, tuple[tuple[Any, ...], ConsultRecord, list[dict[str, Any]]]] = {}
        count = 0
        for record in records:
            tables = {CONSULT: {"1": converters.record_document(record)}}
            write_atomic(self.consult_path(record.consult_id), dump(tables), durable=False)
            order = (record.date, record.consult_id)
            newest, latest, summaries = patients.get(record.patient_key, (order, record, []))
            if order >= newest:
                newest, latest = order, record
            summaries.append(converters.summary_document(record.summary()))
            patients[record.patient_key] = (newest, latest, summaries)
            count += 1
        names: dict[Path, list[dict[str, Any]]] = {}
        for key, (_, latest, summaries) in patients.items():
            document = converters.patient_document(latest)
            tables = {PATIENT: {"1": document}, CONSULTS: {str(i): s for i, s in enumerate(summaries, 1)}}
            write_atomic(self.patient_path(key), dump(tables), durable=False)
            for path in self._name_paths(latest.patient_name, key):
                names.setdefault(path, []).append(converters.name_entry_document(latest))
        for path, entries in names.items():
            write_atomic(path, dump({NAMES: {str(i): e for i, e in enumerate(entries, 1)}}), durable=False)
        return count

    # -- inside ---------------------------------------------------------------------------------------

    def _record_in(self, stored: Any, path: Path) -> ConsultRecord | None:
        documents = stored.table(CONSULT).all()
        if not documents:
            if path.exists():
                raise DamagedDataFile(path, "no consult record in the file")
            return None
        return converters.record_from_document(documents[0], path)

    @staticmethod
    def _patient_document(index: Any, path: Path) -> dict[str, Any] | None:
        documents = index.table(PATIENT).all()
        if not documents:
            if index.table(CONSULTS).all():
                raise DamagedDataFile(path, "consults without a patient")
            return None
        document = dict(documents[0])
        converters.patient_from_document(document, path)  # checks the format and fields
        return document

    @staticmethod
    def _summaries_in(index: Any, path: Path) -> list[ConsultSummary]:
        return [converters.summary_from_document(document, path) for document in index.table(CONSULTS).all()]

    def _forget(self, key: str, consult_id: str) -> None:
        """Take a consult off a patient's index (it was saved again under another patient)."""
        path = self.patient_path(key)
        with locked(path.parent, self.lock_timeout):
            with table_file(path, durable=self.durable, write=True) as index:
                document = self._patient_document(index, path)
                consults = index.table(CONSULTS)
                consults.remove(where("consult_id") == consult_id)
                left = len(consults)
            if left == 0 and document is not None:
                os.unlink(path)
                for name_path in self._name_paths(document["patient_name"], key):
                    self._name_index_remove(name_path, key)

    def _name_index_put(self, path: Path, entry: dict[str, Any]) -> None:
        with locked(path.parent, self.lock_timeout), table_file(path, durable=self.durable, write=True) as names:
            names.table(NAMES).upsert(entry, where("patient_key") == entry["patient_key"])

    def _name_index_remove(self, path: Path, key: str) -> None:
        with locked(path.parent, self.lock_timeout), table_file(path, durable=self.durable, write=True) as names:
            names.table(NAMES).remove(where("patient_key") == key)
