"""``db import DIR``: a workstation's TinyDB data folder copied into the clinic's server.

Everything the folder holds comes over: staff accounts, vials, every version of every consult,
drafts, and the audit trail. The server keeps its own audit chain: each record version arrives
with an "imported" entry carrying its content hash (so ``audit verify`` checks it) and naming the
folder's original entry; the folder's other entries arrive as "imported" entries too. What was
imported is remembered (table ``imports``), so a second run imports nothing twice, and a consult
changed in the folder since only brings its new versions. A damaged file is named and skipped;
each consult comes over in one transaction, whole or not at all. The folder is looked over first
(``tinydb/scan.py``): a link, or a file that cannot or may not be read, is named and skipped before
anything is written, never met half-way. Who may import (a medical director) and whether the
folder's own trail verifies are decided before this runs (``services/import_check``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, record_sha
from assistant.core.lifecycle.register_trail import stated
from assistant.core.progress import Progress, counted, quiet
from assistant.records.errors import DamagedDataFile, RecordsError
from assistant.records.postgres import audit as audit_rows
from assistant.records.postgres import consults as consult_rows
from assistant.records.postgres import register_rows
from assistant.records.postgres import vials as vial_rows
from assistant.records.postgres.connection import in_words
from assistant.records.postgres.import_report import ImportReport, held_back
from assistant.records.postgres.photo_rows import put_rows
from assistant.records.postgres.schema import consult_versions, drafts, imports, staff
from assistant.records.postgres.store import PostgresStore
from assistant.records.tinydb.scan import unusable
from assistant.records.tinydb.store import TinyDBStore


def _seen(connection: Connection, source: str) -> bool:
    return connection.execute(select(imports.c.source).where(imports.c.source == source)).first() is not None


def _remember(connection: Connection, source: str, at: dt.datetime) -> None:
    connection.execute(insert(imports).values(source=source, at=at).on_conflict_do_nothing())


def _event(entry_text: str, at: dt.datetime, actor: str | None, **fields: object) -> AuditEvent:
    return AuditEvent(at=at, actor=actor, action="imported", detail=entry_text, **fields)  # type: ignore[arg-type]


def _original(entry: AuditEntry | None, folder: Path) -> str:
    if entry is None:
        return f"from {folder} (no entry there)"
    who = f" by {entry.actor}" if entry.actor else ""
    detail = f": {entry.detail}" if entry.detail else ""
    return f"from {folder}, entry {entry.seq}: {entry.action}{who} at {entry.at.isoformat()}{detail}"


def import_folder(
    folder: Path,
    server: PostgresStore,
    actor: str | None,
    now: dt.datetime | None = None,
    progress: Progress = quiet,
) -> ImportReport:
    """Copy the folder in; ``progress`` hears of each consult file copied (the bulk of the work)."""
    report = ImportReport(folder, unusable=unusable(folder))
    report.skipped += [str(problem) for problem in report.unusable]
    source = TinyDBStore(folder)
    at = now or dt.datetime.now(dt.UTC)
    entries: list[AuditEntry] = []
    try:
        if not held_back(report, source.layout.audit, "the audit trail"):
            entries = list(source.audit_entries())
    except (RecordsError, OSError) as damaged:
        report.skipped.append(f"the audit trail: {damaged}")
    by_version = {(e.consult_id, e.version): e for e in entries if e.record_sha and e.consult_id and e.version}
    engine = server.engine
    try:
        _staff(engine, source, report, at)
        _vials(engine, source, report, at)
        _patients(engine, source, report, at, actor)
        paths = list(source.consult_paths())
        for path in counted(paths, progress, len(paths)):
            if held_back(report, path, ""):
                continue
            _consult(engine, source, path, by_version, report, at, actor)
        _drafts(engine, source, report, at)
        with engine.begin() as connection:
            for entry in entries:
                key = f"audit:{entry.hash}"
                if (entry.consult_id, entry.version) in by_version and entry.record_sha:
                    continue  # came with its record version
                if _seen(connection, key):
                    continue
                audit_rows.append(
                    connection,
                    _event(_original(entry, folder), at, actor, consult_id=entry.consult_id, version=entry.version),
                )
                _remember(connection, key, at)
                report.counts["audit entries"] += 1
    except SQLAlchemyError as error:
        raise in_words(server.address, error) from None
    return report


def _staff(engine, source: TinyDBStore, report: ImportReport, at: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    if held_back(report, source.layout.staff_file, "staff accounts"):
        return
    try:
        accounts = source.staff()
    except (RecordsError, OSError) as damaged:
        report.skipped.append(f"staff accounts: {damaged}")
        return
    with engine.begin() as connection:
        for account in accounts:
            key = f"staff:{account.key}:{account.revision}"
            if _seen(connection, key):
                report.already += 1
                continue
            exists = connection.execute(select(staff.c.revision).where(staff.c.key == account.key)).first()
            if exists is not None:
                report.skipped.append(f"the staff account {account.name}: the server has its own account of that name")
                continue
            connection.execute(
                insert(staff).values(
                    key=account.key, revision=account.revision, account=account.model_dump(mode="json")
                )
            )
            stated = {"name": account.name, "role": account.role, "public_key": account.public_key}
            detail = f"from {report.folder}: the staff account {account.name} ({account.role_words})"
            audit_rows.append(
                connection, AuditEvent(at=at, actor=None, action="staff added", detail=detail, data=stated)
            )
            _remember(connection, key, at)
            report.counts["staff"] += 1


def _patients(engine, source: TinyDBStore, report: ImportReport, at: dt.datetime, actor: str | None) -> None:  # type: ignore[no-untyped-def]
    """The folder's register: a patient the server does not know comes over as she is; one the
    server knows by the same name, date of birth and number is joined to the server's (a merge,
    in the trail); one whose number is another person's on the server is named and left for a
    medical director (her consults still come over, under her own key)."""
    from assistant.core.lifecycle.register import clash, merge

    if held_back(report, source.layout.register, "the patient register"):
        return
    try:
        folder_patients = source.register.files.all()
    except (RecordsError, OSError) as damaged:
        report.skipped.append(f"the patient register: {damaged}")
        return
    for patient in folder_patients:
        key = f"patient:{patient.patient_key}:{patient.revision}"
        with engine.begin() as connection:
            if _seen(connection, key) or register_rows.get(connection, patient.patient_key) is not None:
                report.already += 1
                continue
            arriving = patient.model_copy(update={"revision": 1, "joined": (), "merged_into": None})
            others = register_rows.candidates(connection, patient.name, patient.clinic_number)
            same = [o for o in others if o.identifiers == patient.identifiers and o.merged_into is None]
            why = clash(arriving, others)
            if same:
                kept, absorbed = merge(same[0], arriving.model_copy(update={"revision": 0}))
                register_rows.put(connection, [kept, absorbed])
                detail = f"from {report.folder}: {patient.words()} is {kept.patient_key} on the server (joined)"
                merged = AuditEvent(
                    at=at, actor=actor, action="patients merged", detail=detail, data=stated([kept, absorbed])
                )
                audit_rows.append(connection, merged)
            elif why:
                report.skipped.append(
                    f"the patient {patient.words()} ({patient.patient_key}): {why} on the server; her consults "
                    "come over under her own key: a medical director decides who she is"
                )
                continue
            else:
                register_rows.put(connection, [arriving])
                words = f"from {report.folder}: the patient {patient.words()}"
                audit_rows.append(connection, _event(words, at, actor, data=stated([arriving])))
            _remember(connection, key, at)
            report.counts["patients"] += 1


def _vials(engine, source: TinyDBStore, report: ImportReport, at: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    if held_back(report, source.layout.vials, "vials"):
        return
    try:
        found = source.vials()
    except (RecordsError, OSError) as damaged:
        report.skipped.append(f"vials: {damaged}")
        return
    with engine.begin() as connection:
        for vial in found:
            key = f"vial:{vial.vial_id}"
            if _seen(connection, key) or vial_rows.get(connection, vial.vial_id) is not None:
                report.already += 1
                continue
            connection.execute(insert(vial_rows.vials).values(**vial_rows.values(vial)))
            audit_rows.append(
                connection, _event(f"from {report.folder}: vial {vial.vial_id}, lot {vial.lot}", at, None)
            )
            _remember(connection, key, at)
            report.counts["vials"] += 1


def _consult(
    engine, source: TinyDBStore, path: Path, by_version: dict, report: ImportReport, at: dt.datetime, actor: str | None
) -> None:  # type: ignore[no-untyped-def]
    try:
        versions = source.versions_at(path)
    except (DamagedDataFile, OSError) as damaged:
        report.skipped.append(str(damaged))
        return
    consult_id = versions[0].consult_id
    try:
        with engine.begin() as connection:
            kept = {
                row.version: row.record_sha
                for row in connection.execute(
                    select(consult_versions.c.version, consult_versions.c.record_sha).where(
                        consult_versions.c.consult_id == consult_id
                    )
                )
            }
            added = 0
            for record in versions:
                content = record_sha(record)
                if record.version in kept:
                    if kept[record.version] != content:
                        raise RecordsError(
                            f"consult {consult_id} version {record.version} differs on the server; it was not imported"
                        )
                    continue
                event = _event(
                    _original(by_version.get((consult_id, record.version)), report.folder),
                    at,
                    actor,
                    consult_id=consult_id,
                    version=record.version,
                    record_sha=content,
                )
                photos = [source.photo(ref.sha256) for ref in record.photos]  # their bytes go with them
                put_rows(connection, consult_id, [photo for photo in photos if photo is not None])
                consult_rows.save(connection, record, event, ())
                _remember(connection, f"consult:{consult_id}:{record.version}", at)
                added += 1
    except RecordsError as error:
        report.skipped.append(str(error))
        return
    if added:
        report.counts["versions"] += added
        report.counts["consults"] += 1 if not kept else 0
    else:
        report.already += 1


def _drafts(engine, source: TinyDBStore, report: ImportReport, at: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    if held_back(report, source.layout.drafts, "drafts"):
        return
    found, damaged = source.draft_listing()
    report.skipped += [str(d) for d in damaged]
    with engine.begin() as connection:
        for draft in found:
            key = f"draft:{draft.draft_id}:{draft.updated_at.isoformat()}"
            if _seen(connection, key):
                report.already += 1
                continue
            document = draft.model_dump(mode="json", exclude={"claim"})  # claimed afresh on the server
            connection.execute(
                insert(drafts)
                .values(draft_id=draft.draft_id, updated_at=draft.updated_at, draft=document)
                .on_conflict_do_update(
                    index_elements=["draft_id"], set_={"updated_at": draft.updated_at, "draft": document}
                )
            )
            _remember(connection, key, at)
            report.counts["drafts"] += 1
