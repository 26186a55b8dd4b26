"""Load a million consults into a PostgreSQL database fast (COPY), for the records bench only.

It writes the rows ``PostgresStore.save`` would (consults, versions, patients and their name
prefixes, treatments and their lots, the chained audit trail, its head), so the bench's look-ups
meet what a clinic's server would hold; the program itself never loads this way. Fast because:
each consult's rows are formatted from a template (``pg_rows.py``, no pydantic per consult); the
records (most of the bytes) stream in on one COPY while the next are made, so the server parses
while Python writes, and the other tables follow by COPY; all into tables stripped of their indexes and constraints,
which are built again afterwards from their own definitions (one sort each instead of a million
index insertions); and the load's transaction does not wait for its commit to be flushed
(``synchronous_commit=off``, this session only). The records' JSON is compressed with lz4 (this
session's ``default_toast_compression``, a setting a server may have too), the rows being the same:
pglz, the default, doubled the server's part of the load. All in one transaction: a load cut off
leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterable

import psycopg
from pg_rows import Rows
from records_data import Clinic, Visit

from assistant.core.progress import Progress, quiet

CHUNK = 500
"""Records written to the server at a time, on one COPY that lasts the whole load."""
BATCH = 10_000
"""Consults between two reports of progress."""
TABLES = ("consults", "consult_versions", "audit", "treatments", "treatment_lots")
"""The tables a batch of visits is copied into, in the order of ``Rows.add``'s lines."""
COLUMNS = {
    "consults": "consult_id, version, patient_key, patient_name, patient_id, date, status, state, total_units,"
    " zones, staff, given_units, given_on, to_sign",
    "consult_versions": "consult_id, version, record, record_sha",
    "audit": "seq, at, actor, action, consult_id, version, record_sha, detail, prev_hash, hash",
    "treatments": "consult_id, patient_key, patient_name, patient_id, date, kind, zones, units, given_by, lots",
    "treatment_lots": "lot_key, consult_id, units, date",
    "patients": "patient_key, patient_name, patient_id, words",
    "name_prefixes": "patient_key, prefix, words, id_order, patient_name, patient_id",
}
LOADED = (*TABLES, "patients", "name_prefixes")


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


def _strip(cursor: psycopg.Cursor) -> list[str]:
    """Drop the loaded tables' constraints and indexes; the statements that make them again, in order."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint"
        " WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('p', 'u', 'f')",
        (list(LOADED),),
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = ANY(%s::regclass[])"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))",
        (list(LOADED),),
    )
    indexes = cursor.fetchall()
    keys = [c for c in constraints if c[3] != "f"]
    foreign = [c for c in constraints if c[3] == "f"]
    for table, name, _, _ in [*foreign, *keys]:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [
        *(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition, _ in keys),
        *(definition for _, definition in indexes),
        *(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition, _ in foreign),
    ]


def _copy(cursor: psycopg.Cursor, table: str, lines: list[str]) -> None:
    if lines:
        with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
            copy.write("".join(lines))


def bulk_load(url: str, clinic: Clinic, visits: Iterable[Visit], progress: Progress = quiet) -> int:
    """COPY the visits' consults into an empty, migrated database, telling ``progress`` of each batch."""
    count = 0
    with psycopg.connect(_dsn(url)) as connection, connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("SET default_toast_compression = 'lz4'")
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SELECT count(*) FROM consults")
        if cursor.fetchone()[0]:  # type: ignore[index]
            raise SystemExit("the bench's database already holds consults: give --keep a new folder")
        cursor.execute("SELECT seq, hash FROM audit_head WHERE id = 1")
        found = cursor.fetchone()
        rows = Rows(clinic, (found[0], found[1]) if found else None)
        again = _strip(cursor)
        # The live-update triggers (migration 0006) would queue a notification per loaded row, deferred
        # to the commit, and a table with pending trigger events cannot be altered: quiet for the load.
        cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE '%%\\_notify'")
        notifying = cursor.fetchall()
        for table, name in notifying:
            cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
        rest: tuple[list[str], ...] = tuple([] for _ in TABLES)
        with cursor.copy(f"COPY consult_versions ({COLUMNS['consult_versions']}) FROM STDIN") as versions:
            for visit in visits:  # the records stream in while the next are made (the server works meanwhile)
                rows.add(visit, rest)  # type: ignore[arg-type]
                count += 1
                if count % CHUNK == 0:
                    versions.write("".join(rest[1]))
                    rest[1].clear()
                    if count % BATCH == 0:
                        progress(count)
            versions.write("".join(rest[1]))
        for table, lines in zip(TABLES, rest, strict=True):
            if table != "consult_versions":
                _copy(cursor, table, lines)
                lines.clear()
        people, prefixes = rows.patients()
        _copy(cursor, "patients", people)
        _copy(cursor, "name_prefixes", prefixes)
        if rows.head is not None:
            cursor.execute("UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1", rows.head)
        progress(count)
        for statement in again:
            cursor.execute(statement)
        for table, name in notifying:
            cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
        connection.commit()
    # As autovacuum would soon after: statistics for the planner, and the visibility map that lets
    # the look-ups read their indexes alone (VACUUM runs outside a transaction).
    with psycopg.connect(_dsn(url), autocommit=True) as tidy:
        tidy.execute("VACUUM (ANALYZE)")
    return count
