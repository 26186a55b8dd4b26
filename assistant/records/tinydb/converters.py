"""The one place where stored documents become models and models become documents.

Nothing else in the store builds or reads a document's fields, and no document leaves the store.
Every document carries ``format`` so that a later layout can tell old files from new ones. A
document that does not validate is a damaged file: the error names the file it came from.

Format 2 keeps a consult as its versions (table ``versions``, one document per version); a format 1
file (table ``consult``, one document) is read as version 1 and written as format 2 when it next
changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.core.lifecycle.audit import AuditEntry
from assistant.core.lifecycle.ids import name_tokens
from assistant.core.lifecycle.listing import ConsultSummary, Draft, PatientMatch
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records.errors import DamagedDataFile

FORMAT = 1
"""Of index documents (patients, names, summaries) and drafts."""
RECORD_FORMAT = 2
"""Of consult record versions, staff accounts and audit entries."""
READABLE_RECORD_FORMATS = (1, 2)

Model = TypeVar("Model", bound=BaseModel)


def _load(model: type[Model], document: Mapping[str, Any], path: Path, what: str) -> Model:
    try:
        return model.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise DamagedDataFile(path, f"not a valid {what}: {where}: {first['msg']}") from None


def _check_format(document: Mapping[str, Any], path: Path, formats: tuple[int, ...] = (FORMAT,)) -> None:
    found = document.get("format")
    if found not in formats:
        readable = " or ".join(str(f) for f in formats)
        raise DamagedDataFile(path, f"unknown format {found!r} (this version reads format {readable})")


def record_document(record: ConsultRecord) -> dict[str, Any]:
    return {"format": RECORD_FORMAT, "record": record.model_dump(mode="json")}


def record_from_document(document: Mapping[str, Any], path: Path) -> ConsultRecord:
    _check_format(document, path, READABLE_RECORD_FORMATS)
    body = document.get("record")
    if not isinstance(body, Mapping):
        raise DamagedDataFile(path, "no consult record in the file")
    return _load(ConsultRecord, body, path, "consult record")


def staff_document(account: StaffAccount) -> dict[str, Any]:
    return {"format": RECORD_FORMAT, "key": account.key, "account": account.model_dump(mode="json")}


def staff_from_document(document: Mapping[str, Any], path: Path) -> StaffAccount:
    _check_format(document, path, (RECORD_FORMAT,))
    body = document.get("account")
    if not isinstance(body, Mapping):
        raise DamagedDataFile(path, "no staff account in the document")
    return _load(StaffAccount, body, path, "staff account")


def audit_document(entry: AuditEntry) -> dict[str, Any]:
    return {"format": RECORD_FORMAT, **entry.model_dump(mode="json")}


def audit_from_document(document: Mapping[str, Any], path: Path) -> AuditEntry:
    _check_format(document, path, (RECORD_FORMAT,))
    return _load(AuditEntry, {k: v for k, v in document.items() if k != "format"}, path, "audit entry")


def summary_document(summary: ConsultSummary) -> dict[str, Any]:
    return summary.model_dump(mode="json")


def summary_from_document(document: Mapping[str, Any], path: Path) -> ConsultSummary:
    """A patient index's line for one consult (format 1 lines lack state and version: planned, 1)."""
    return _load(ConsultSummary, document, path, "consult summary")


def patient_document(record: ConsultRecord) -> dict[str, Any]:
    """Who a patient index (or a name index entry) is about: key, name and id as last recorded."""
    return {
        "format": FORMAT,
        "patient_key": record.patient_key,
        "patient_name": record.patient_name,
        "patient_id": record.patient_id,
    }


def patient_from_document(
    document: Mapping[str, Any], path: Path, *, consults: list[ConsultSummary] | None = None
) -> PatientMatch:
    _check_format(document, path)
    fields = {k: document.get(k) for k in ("patient_key", "patient_name", "patient_id")}
    if consults:
        fields["consults"] = len(consults)
        fields["last_date"] = max(summary.date for summary in consults)
    return _load(PatientMatch, fields, path, "patient entry")


class NameEntry(NamedTuple):
    """A name index entry, read without building a model (a common prefix holds thousands)."""

    patient_key: str
    patient_name: str
    patient_id: str | None
    words: str
    """The normalised name words, space-separated (one string: thousands of entries stay light)."""


def name_entry_document(record: ConsultRecord) -> dict[str, Any]:
    """The patient document plus the name's normalised words, which a search compares against."""
    return {**patient_document(record), "words": " ".join(name_tokens(record.patient_name))}


def matching_name_entries(
    tables: Mapping[str, Any] | None, table: str, path: Path, words: list[str]
) -> list[NameEntry]:
    """The entries of a name index file whose name words are started by every one of ``words``.

    Called on thousands of entries for a common prefix, so only the entries that match are built.
    """
    needles = [" " + word for word in words]
    found = []
    for document in (tables or {}).get(table, {}).values():
        try:
            joined = " " + document["words"]
        except (KeyError, TypeError):
            raise DamagedDataFile(path, f"not a valid name index entry: {document!r:.80}") from None
        if all(needle in joined for needle in needles):
            found.append(_name_entry(document, path))
    return found


def check_name_entry(document: Any, path: Path) -> NameEntry:
    """Any name index document, checked (a save reads every entry of a file before changing it)."""
    if not isinstance(document, Mapping):
        raise DamagedDataFile(path, f"not a valid name index entry: {document!r:.80}")
    return _name_entry(document, path)


def _name_entry(document: Mapping[str, Any], path: Path) -> NameEntry:
    key = document.get("patient_key")
    name = document.get("patient_name")
    patient_id = document.get("patient_id")
    words = document.get("words")
    if (
        document.get("format") != FORMAT
        or type(key) is not str
        or type(name) is not str
        or (patient_id is not None and type(patient_id) is not str)
        or type(words) is not str
    ):
        raise DamagedDataFile(path, f"not a valid name index entry: {document!r:.80}")
    return NameEntry(key, name, patient_id, words)


def draft_document(draft: Draft) -> dict[str, Any]:
    return {"format": FORMAT, "draft": draft.model_dump(mode="json")}


def draft_from_document(document: Mapping[str, Any], path: Path) -> Draft:
    _check_format(document, path)
    body = document.get("draft")
    if not isinstance(body, Mapping):
        raise DamagedDataFile(path, "no draft in the file")
    return _load(Draft, body, path, "draft")


# -- a consult's versions file ------------------------------------------------------------------------

VERSIONS = "versions"
OLD_CONSULT = "consult"  # format 1: one document, the only version
WAITING = "waiting"
"""The table of the "to sign" list."""
TO_GIVE = "to_give"
"""The table of the "to give" list (planned, nothing given yet), in the "to sign" list's file."""


def versions_in(tables: dict[str, Any] | None, path: Path) -> list[ConsultRecord]:
    """The versions of a consult file, oldest first (a format 1 file holds version 1 only)."""
    if tables is None:
        return []
    if VERSIONS in tables:
        documents = tables[VERSIONS]
        records = [record_from_document(documents[k], path) for k in sorted(documents, key=int)]
    elif tables.get(OLD_CONSULT):
        records = [record_from_document(next(iter(tables[OLD_CONSULT].values())), path)]
    else:
        records = []
    if not records:
        raise DamagedDataFile(path, "no consult record in the file")
    for number, record in enumerate(records, 1):
        if record.version != number or record.consult_id != path.stem:
            raise DamagedDataFile(path, f"version {number} is not where it belongs")
    return records


def versions_tables(records: list[ConsultRecord]) -> dict[str, Any]:
    return {VERSIONS: {str(r.version): record_document(r) for r in records}}
