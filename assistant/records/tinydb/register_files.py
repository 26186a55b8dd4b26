"""The patient register in TinyDB files (the rules are in ``assistant.core.lifecycle.register``)::

    register/patients/<hh>/<hash>.json   one registered patient (table "patient")
    register/numbers/<hh>.json           clinic numbers, folded, to the patients holding them
    register/names/<hh>.json             names, folded, to the patients bearing them
    register/births/<hh>.json            dates of birth (ISO) to the patients born that day

Each look-up reads one bucket file (by the hash of the folded number or name), so a register of
100,000 patients costs what one of ten does. Every change is made under ``register/.lock``, after
reading what it changes: a revision that does not follow the stored one, a number another patient
holds, or a second entry for one name and date of birth is refused (``RegisterConflict``) before
anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import normalise_name, patient_key
from assistant.core.lifecycle.listing import PatientMatch
from assistant.core.lifecycle.register import Patient, clash, folded_number, is_legacy_key
from assistant.records.errors import DamagedDataFile, RecordsError, RegisterConflict
from assistant.records.tinydb.atomic import dump, locked, read_tables, write_atomic
from assistant.records.tinydb.audit_log import AuditLog
from assistant.records.tinydb.layout import data_files
from assistant.records.tinydb.patients import Patients
from assistant.records.tinydb.rollback import Rollback

PATIENT = "patient"
NUMBERS = "numbers"
NAMES = "names"
BIRTHS = "births"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RegisterFiles:
    def __init__(self, root: Path, *, durable: bool) -> None:
        self.root = root
        self.durable = durable

    def patient_path(self, key: str) -> Path:
        digest = _digest(key)[:32]
        return self.root / "patients" / digest[:2] / f"{digest}.json"

    def number_path(self, folded: str) -> Path:
        return self.root / "numbers" / f"{_digest(folded)[:2]}.json"

    def name_path(self, folded: str) -> Path:
        return self.root / "names" / f"{_digest(folded)[:2]}.json"

    def birth_path(self, born: str) -> Path:
        return self.root / "births" / f"{_digest(born)[:2]}.json"

    def look_ups(self, patient: Patient) -> list[tuple[Path, str, str]]:
        """(bucket file, table, folded text) of each look-up that finds this entry."""
        name, number = normalise_name(patient.name), folded_number(patient.clinic_number)
        found = [(self.name_path(name), NAMES, name)]
        if number:
            found.append((self.number_path(number), NUMBERS, number))
        if patient.date_of_birth is not None:
            born = patient.date_of_birth.isoformat()
            found.append((self.birth_path(born), BIRTHS, born))
        return found

    # -- reading ----------------------------------------------------------------------------------

    def get(self, key: str) -> Patient | None:
        path = self.patient_path(key)
        document = ((read_tables(path) or {}).get(PATIENT) or {}).get("1")
        if document is None:
            return None
        try:
            patient = Patient.model_validate(document)
        except ValidationError as error:
            raise DamagedDataFile(path, f"not a valid patient: {error.errors()[0]['msg']}") from None
        if patient.patient_key != key:
            raise DamagedDataFile(path, f"holds patient {patient.patient_key}, not {key}")
        return patient

    @staticmethod
    def _pairs(path: Path, table: str) -> list[tuple[str, str]]:
        """(folded text, patient key) of every document of a bucket file, checked."""
        pairs = []
        for document in ((read_tables(path) or {}).get(table) or {}).values():
            folded, key = document.get("folded"), document.get("key")
            if not isinstance(folded, str) or not isinstance(key, str):
                raise DamagedDataFile(path, "an entry without its folded text and patient key")
            pairs.append((folded, key))
        return pairs

    def _keys_in(self, path: Path, table: str, folded: str) -> list[str]:
        return [key for text, key in self._pairs(path, table) if text == folded]

    def keys_by_number(self, number: str | None) -> list[str]:
        folded = folded_number(number)
        return self._keys_in(self.number_path(folded), NUMBERS, folded) if folded else []

    def keys_by_name(self, name: str) -> list[str]:
        folded = normalise_name(name)
        return self._keys_in(self.name_path(folded), NAMES, folded) if folded else []

    def keys_by_birth(self, born: dt.date) -> list[str]:
        text = born.isoformat()
        return self._keys_in(self.birth_path(text), BIRTHS, text)

    def born_on(self, born: dt.date) -> list[Patient]:
        """Registered patients born that day (merged ones too), by key."""
        found = [self.get(key) for key in sorted(set(self.keys_by_birth(born)))]
        return [p for p in found if p is not None and p.date_of_birth == born]

    def candidates(self, name: str, number: str | None) -> list[Patient]:
        keys = dict.fromkeys([*self.keys_by_number(number), *self.keys_by_name(name)])
        found = [self.get(key) for key in keys]
        return [p for p in found if p is not None]

    def all(self) -> list[Patient]:
        """Every registered patient, by key (``db import``)."""
        folders = sorted((self.root / "patients").iterdir()) if (self.root / "patients").is_dir() else []
        found = [self.get_at(path) for folder in folders for path in sorted(data_files(folder))]
        return sorted((p for p in found if p is not None), key=lambda p: p.patient_key)

    def get_at(self, path: Path) -> Patient | None:
        document = ((read_tables(path) or {}).get(PATIENT) or {}).get("1")
        if document is None:
            return None
        try:
            return Patient.model_validate(document)
        except ValidationError as error:
            raise DamagedDataFile(path, f"not a valid patient: {error.errors()[0]['msg']}") from None

    # -- writing (the caller holds register/.lock) --------------------------------------------------

    def put(self, patients: Sequence[Patient], rollback: Rollback) -> None:
        """Keep these register entries, all or none (see the module docstring)."""
        for patient in patients:
            stored = self.get(patient.patient_key)
            expected = stored.revision + 1 if stored else 1
            if patient.revision != expected:
                raise RegisterConflict(
                    f"patient {patient.patient_key} changed meanwhile (revision {expected - 1} is kept)"
                    if stored
                    else f"patient {patient.patient_key} is not registered"
                )
            batch = {q.patient_key: q for q in patients}
            stored_others = self.candidates(patient.name, patient.clinic_number)
            others = [p for p in stored_others if p.patient_key not in batch] + list(batch.values())
            why = clash(patient, others)
            if why:
                raise RegisterConflict(why)
        for patient in patients:
            stored = self.get(patient.patient_key)
            if stored is not None:
                self._unindex(stored, rollback)
            self._write(
                self.patient_path(patient.patient_key), {PATIENT: {"1": patient.model_dump(mode="json")}}, rollback
            )
            self._index(patient, rollback)

    def _write(self, path: Path, tables: dict, rollback: Rollback) -> None:
        with rollback.writing(path):
            write_atomic(path, dump(tables), durable=self.durable)

    def _change_bucket(self, path: Path, table: str, folded: str, key: str, add: bool, rollback: Rollback) -> None:
        pairs = [pair for pair in self._pairs(path, table) if pair != (folded, key)]
        if add:
            pairs.append((folded, key))
        documents = {str(i): {"folded": text, "key": k} for i, (text, k) in enumerate(sorted(pairs), start=1)}
        tables = read_tables(path) or {}
        self._write(path, {**tables, table: documents}, rollback)

    def _index(self, patient: Patient, rollback: Rollback) -> None:
        for path, table, folded in self.look_ups(patient):
            self._change_bucket(path, table, folded, patient.patient_key, True, rollback)

    def _unindex(self, patient: Patient, rollback: Rollback) -> None:
        for path, table, folded in self.look_ups(patient):
            self._change_bucket(path, table, folded, patient.patient_key, False, rollback)


def legacy_patient(match: PatientMatch) -> Patient:
    """A patient of consults kept before the register, as the register shows one: no date of birth,
    never an exact match, only a suggestion a person confirms."""
    return Patient(
        patient_key=match.patient_key,
        name=match.patient_name,
        clinic_number=match.patient_id,
        registered_at=None,
        legacy=True,
    )


def legacy_candidates(index: Patients, name: str, number: str | None) -> list[PatientMatch]:
    """Patients of the consult index kept before the register whose name or number folds to these."""
    folded = normalise_name(name)
    found = [
        m for m in index.find(name, 50) if is_legacy_key(m.patient_key) and normalise_name(m.patient_name) == folded
    ]
    if number:
        by_number = index.patient(patient_key("", number))
        if by_number is not None and by_number.patient_key not in {m.patient_key for m in found}:
            found.append(by_number)
    return found


class Register:
    """The register as the store offers it: registered patients, and patients of consults kept
    before the register (from the consult index), every change under ``register/.lock`` with its
    audit entry, all or nothing."""

    def __init__(self, root: Path, index: Patients, audit: AuditLog, durable: bool, lock_timeout: float) -> None:
        self.files = RegisterFiles(root, durable=durable)
        self.index = index
        self.audit = audit
        self.durable = durable
        self.lock_timeout = lock_timeout

    def registered(self, key: str) -> Patient | None:
        found = self.files.get(key)
        if found is None and is_legacy_key(key):
            match = self.index.patient(key)
            return legacy_patient(match) if match is not None else None
        return found

    def all_candidates(self, name: str, number: str | None) -> list[Patient]:
        kept = self.files.candidates(name, number)
        known = {p.patient_key for p in kept}
        legacy = [self.registered(m.patient_key) for m in legacy_candidates(self.index, name, number)]
        return kept + [p for p in legacy if p is not None and p.patient_key not in known]

    def save(self, patients: Sequence[Patient], event: AuditEvent | None) -> None:
        with locked(self.files.root, self.lock_timeout):
            rollback = Rollback(self.durable)
            try:
                self.files.put(patients, rollback)
                if event is not None:
                    self.audit.append(event)
            except (OSError, RecordsError) as error:
                rollback.undo(error)
                raise
