"""The PostgreSQL tables (SQLAlchemy Core), each with the indexes its look-ups need.

A consult's versions are whole records (``consult_versions.record``, JSON), never updated; the
other tables are what the UI and the CLI look things up by, kept in step with the newest version
in the same transaction: ``consults`` (one row per consult: history, recent, the "to sign" list),
``patients`` and ``name_prefixes`` (id and name-prefix search: a one-word search reads the group of
its prefix, every prefix of 1 to 4 letters of every name word, already in name order; a search of
several words intersects their prefixes in the ``search`` text-search index), ``treatments`` (due, usage)
and ``treatment_lots`` (recall by lot, with what a recall lists); ``photos`` holds photos' bytes.
Names sort in the C collation, as the TinyDB store sorts them. ``audit`` rows cannot be updated or deleted (a
trigger); ``audit_head`` holds the last entry, and locking it is what keeps the chain one line.

Migrations are in ``migrations/versions`` (Alembic); ``SCHEMA_VERSION`` is the newest revision.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

from assistant.core.lifecycle.audit import SCRIPT_APPROVED

SCHEMA_VERSION = "0011"

metadata = MetaData()

consults = Table(
    "consults",
    metadata,
    Column("consult_id", String(32), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("patient_key", Text, nullable=False),
    Column("patient_name", Text, nullable=False),
    Column("patient_id", Text),
    Column("date", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("state", String(10), nullable=False),
    Column("total_units", Float, nullable=False),
    Column("zones", ARRAY(Text), nullable=False),
    Column("staff", Text),
    Column("given_units", Float),
    Column("given_on", Date),
    Column("to_sign", Boolean, nullable=False),
    Index("consults_patient_order", "patient_key", "date", "consult_id"),
    Index("consults_date", "date"),
    Index("consults_state", "state"),
    Index("consults_to_sign_order", "date", "consult_id", postgresql_where="to_sign"),
    Index(
        "consults_to_give_order",
        "date",
        "consult_id",
        postgresql_where="state = 'planned' AND status = 'planned' AND total_units > 0",
    ),
)

consult_versions = Table(
    "consult_versions",
    metadata,
    Column("consult_id", String(32), ForeignKey("consults.consult_id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("record", JSONB, nullable=False),
    Column("record_sha", String(64), nullable=False),
)

patients = Table(
    "patients",
    metadata,
    Column("patient_key", Text, primary_key=True),
    Column("patient_name", Text, nullable=False),
    Column("patient_id", Text),
    Column("words", Text(collation="C"), nullable=False),  # the normalised name words, space-separated
    Column("search", TSVECTOR, Computed("to_tsvector('simple', words)", persisted=True)),
    Index("patients_words", "words"),
    Index("patients_search", "search", postgresql_using="gin"),
)

PREFIX_LETTERS = 4
"""Name-word prefixes of 1 to this many letters are indexed (a longer query word filters its group)."""

name_prefixes = Table(
    "name_prefixes",
    metadata,
    Column("patient_key", Text, ForeignKey("patients.patient_key", ondelete="CASCADE"), primary_key=True),
    Column("prefix", Text, primary_key=True),
    Column("words", Text(collation="C"), nullable=False),
    Column("id_order", Text(collation="C"), nullable=False),  # the clinic number, "" without one
    Column("patient_name", Text, nullable=False),
    Column("patient_id", Text),
    Index(
        "name_prefixes_scan",
        "prefix",
        "words",
        "id_order",
        "patient_key",
        unique=True,
        postgresql_include=["patient_name", "patient_id"],
    ),
)

register = Table(
    "register",
    metadata,
    Column("patient_key", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("folded_name", Text, nullable=False),
    Column("folded_number", Text),
    Column("clinic_number", Text),
    Column("merged_into", Text),
    Column("patient", JSONB, nullable=False),
    Index("register_folded_name", "folded_name"),
    Index("register_folded_number", "folded_number"),
    Index("register_one_number", "clinic_number", unique=True, postgresql_where="merged_into IS NULL"),
)
"""The patient register (``assistant.core.lifecycle.register``): one row per registered patient, the
folded name and number to find candidates by, and one clinic number per patient kept unique."""

REGISTER_BORN = register.c.patient["date_of_birth"].astext
"""A register entry's date of birth (ISO) as its JSON states it; indexed as such (the chart's
search by date of birth), so the server keeps the look-up with the entry and nobody can edit it apart."""
Index("register_date_of_birth", REGISTER_BORN)

drafts = Table(
    "drafts",
    metadata,
    Column("draft_id", String(32), primary_key=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("draft", JSONB, nullable=False),
    Column("claim", JSONB, nullable=True),  # who continues it (core.lifecycle.claims)
)

staff = Table(
    "staff",
    metadata,
    Column("key", Text, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("account", JSONB, nullable=False),
)

vials = Table(
    "vials",
    metadata,
    Column("vial_id", String(32), primary_key=True),
    Column("lot_key", Text, nullable=False),
    Column("state", String(10), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("units_left", Float, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("vial", JSONB, nullable=False),
    Index("vials_open", "opened_at", postgresql_where="state = 'open'"),
    Index("vials_lot", "lot_key"),
)

treatments = Table(
    "treatments",
    metadata,
    Column("consult_id", String(32), ForeignKey("consults.consult_id"), primary_key=True),
    Column("patient_key", Text, nullable=False),
    Column("patient_name", Text, nullable=False),
    Column("patient_id", Text),
    Column("date", Date, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("zones", ARRAY(Text), nullable=False),
    Column("units", Float, nullable=False),
    Column("given_by", Text, nullable=False),
    Column("lots", JSONB, nullable=False),
    Column("review_only", Boolean, nullable=False, server_default=false()),
    Index("treatments_order", "date", "consult_id"),
    Index("treatments_patient", "patient_key", "date"),
)

treatment_lots = Table(
    "treatment_lots",
    metadata,
    Column("lot_key", Text, primary_key=True),
    Column("consult_id", String(32), ForeignKey("treatments.consult_id", ondelete="CASCADE"), primary_key=True),
    Column("units", Float, nullable=False),  # of this lot
    Column("date", Date, nullable=False),  # the treatment's, so that a lot's recall pages read one index range
    Index("treatment_lots_order", "lot_key", "date", "consult_id"),
)

audit = Table(
    "audit",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text),
    Column("action", Text, nullable=False),
    Column("consult_id", String(32)),
    Column("version", Integer),
    Column("record_sha", String(64)),
    Column("detail", Text),
    Column("data", JSONB),
    Column("signature", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("audit_consult", "consult_id", postgresql_where="consult_id IS NOT NULL"),
)
Index(
    "audit_script_approved",
    audit.c.data["sha256"].astext,
    postgresql_where=audit.c.action == SCRIPT_APPROVED,
)  # a consult's save asks whether its script was approved: one probe (migration 0010)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

imports = Table(
    "imports",
    metadata,
    Column("source", Text, primary_key=True),  # what was imported: consult:<id>:<version>, draft:<id>, ...
    Column("at", DateTime(timezone=True), nullable=False),
)

photos = Table(
    "photos",
    metadata,
    Column("sha256", String(64), primary_key=True),  # of ``data`` as it was added (the record's PhotoRef)
    Column("consult_id", String(32), nullable=False),  # the consult that first added it
    Column("media_type", String(20), nullable=False),
    Column("data", LargeBinary, nullable=False),  # bytea: the photo as kept (location stripped)
    Column("thumbnail", LargeBinary, nullable=False),  # bytea: its thumbnail (a JPEG)
)
