"""Load a million consults into a PostgreSQL database fast (COPY), for the records bench only.

It writes the rows ``PostgresStore.save`` would (consults, versions, patients and their name words,
treatments and their lots, the chained audit trail), so the bench's look-ups meet what a clinic's
server would hold; the program itself never loads this way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import psycopg

from assistant.core.lifecycle.audit import AuditEvent, canonical, chain_after, sha256
from assistant.core.lifecycle.ids import name_tokens
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import lot_key
from assistant.core.progress import Progress, quiet
from assistant.records.postgres.schema import PREFIX_LETTERS


def _dsn(url: str) -> str:
    from assistant.records.postgres.url import parse_database_url

    address = parse_database_url(url)
    parts = [f"dbname={address.database}"]
    if address.user:
        parts.append(f"user={address.user}")
    if address.host:
        parts.append(f"host={address.host}")
    if address.port:
        parts.append(f"port={address.port}")
    return " ".join(parts)


def bulk_load(url: str, records: Iterable[ConsultRecord], progress: Progress = quiet) -> int:
    """COPY the records in, telling ``progress`` of each 1,000 (``assistant/cli/progress.py`` shows it)."""
    count = 0
    patients: dict[str, tuple[str, str | None, str]] = {}
    head: tuple[int, str] | None = None
    with psycopg.connect(_dsn(url)) as connection, connection.cursor() as cursor:
        rows: list[ConsultRecord] = []
        for record in records:
            rows.append(record)
            patients[record.patient_key] = (
                record.patient_name, record.patient_id, " ".join(name_tokens(record.patient_name)),
            )  # fmt: skip
            count += 1
            if len(rows) >= 20_000:
                head = _write_batch(cursor, rows, head)
                rows = []
            if count % 1000 == 0:
                progress(count)
        head = _write_batch(cursor, rows, head)
        with cursor.copy("COPY patients (patient_key, patient_name, patient_id, words) FROM STDIN") as copy:
            for key, (name, patient_id, words) in patients.items():
                copy.write_row((key, name, patient_id, words))
        with cursor.copy(
            "COPY name_prefixes (patient_key, prefix, words, id_order, patient_name, patient_id) FROM STDIN"
        ) as copy:
            for key, (name, patient_id, words) in patients.items():
                prefixes = {w[:n] for w in words.split() for n in range(1, min(PREFIX_LETTERS, len(w)) + 1)}
                for prefix in sorted(prefixes):
                    copy.write_row((key, prefix, words, patient_id or "", name, patient_id))
        if head is not None:
            cursor.execute("UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1", head)
        connection.commit()
    # As autovacuum would soon after: statistics for the planner, and the visibility map that lets
    # the look-ups read their indexes alone (VACUUM runs outside a transaction).
    with psycopg.connect(_dsn(url), autocommit=True) as tidy:
        tidy.execute("VACUUM (ANALYZE)")
    return count


def _write_batch(cursor: psycopg.Cursor, records: list[ConsultRecord], head: tuple[int, str] | None):  # type: ignore[no-untyped-def]
    if not records:
        return head
    with cursor.copy(
        "COPY consults (consult_id, version, patient_key, patient_name, patient_id, date, status, state,"
        " total_units, zones, staff, given_units, to_sign) FROM STDIN"
    ) as consults:
        for record in records:
            s = ConsultSummary.of(record)
            consults.write_row(
                (s.consult_id, s.version, s.patient_key, s.patient_name, s.patient_id, s.date, s.status, s.state,
                 s.total_units, list(s.zones), s.staff, s.given_units, s.to_sign)
            )  # fmt: skip
    entries = []
    with cursor.copy("COPY consult_versions (consult_id, version, record, record_sha) FROM STDIN") as copy:
        for record in records:
            document = record.model_dump(mode="json")
            content = sha256(canonical(document))
            copy.write_row((record.consult_id, record.version, json.dumps(document), content))
            at: datetime = record.revision.at if record.revision else record.finished_at
            event = AuditEvent(
                at=at, actor=record.staff, action="consult saved", consult_id=record.consult_id,
                version=record.version, record_sha=content,
            )  # fmt: skip
            entry = chain_after(head, event)
            head = (entry.seq, entry.hash)
            entries.append(entry)
    with cursor.copy(
        "COPY audit (seq, at, actor, action, consult_id, version, record_sha, detail, prev_hash, hash) FROM STDIN"
    ) as copy:
        for e in entries:
            copy.write_row(
                (e.seq, e.at, e.actor, e.action, e.consult_id, e.version, e.record_sha, e.detail, e.prev_hash, e.hash)
            )
    treatments = [t for t in (treatment_of(r) for r in records) if t is not None]
    with cursor.copy(
        "COPY treatments (consult_id, patient_key, patient_name, patient_id, date, kind, zones, units, given_by, lots)"
        " FROM STDIN"
    ) as copy:
        for t in treatments:
            copy.write_row(
                (t.consult_id, t.patient_key, t.patient_name, t.patient_id, t.date, t.kind, list(t.zones), t.units,
                 t.given_by, json.dumps(t.lots))
            )  # fmt: skip
    with cursor.copy("COPY treatment_lots (lot_key, consult_id, units, date) FROM STDIN") as copy:
        for t in treatments:
            units: dict[str, float] = {}
            for lot, amount in t.lots.items():
                if lot:
                    units[lot_key(lot)] = units.get(lot_key(lot), 0.0) + amount
            for key, amount in sorted(units.items()):
                copy.write_row((key, t.consult_id, amount, t.date))
    return head
