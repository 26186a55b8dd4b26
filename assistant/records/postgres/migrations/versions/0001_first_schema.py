"""The first schema: consults and their versions, patients, drafts, staff, vials, treatments, audit.

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-01

Also the trigger that keeps the audit trail append-only, and the head row of the chain.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

AUDIT_GUARD = """
CREATE OR REPLACE FUNCTION botulax_audit_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION botulax_audit_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION botulax_audit_is_append_only();
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("consult_id", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("record_sha", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index("audit_consult", "audit", ["consult_id"], unique=False, postgresql_where="consult_id IS NOT NULL")
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "consults",
        sa.Column("consult_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("patient_key", sa.Text(), nullable=False),
        sa.Column("patient_name", sa.Text(), nullable=False),
        sa.Column("patient_id", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("total_units", sa.Float(), nullable=False),
        sa.Column("zones", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("staff", sa.Text(), nullable=True),
        sa.Column("given_units", sa.Float(), nullable=True),
        sa.Column("to_sign", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("consult_id"),
    )
    op.create_index("consults_date", "consults", ["date"], unique=False)
    op.create_index("consults_patient", "consults", ["patient_key", "date"], unique=False)
    op.create_index("consults_state", "consults", ["state"], unique=False)
    op.create_index("consults_to_sign", "consults", ["consult_id"], unique=False, postgresql_where="to_sign")
    op.create_table(
        "drafts",
        sa.Column("draft_id", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("draft", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("draft_id"),
    )
    op.create_table(
        "imports",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "patients",
        sa.Column("patient_key", sa.Text(), nullable=False),
        sa.Column("patient_name", sa.Text(), nullable=False),
        sa.Column("patient_id", sa.Text(), nullable=True),
        sa.Column("words", sa.Text(collation="C"), nullable=False),
        sa.PrimaryKeyConstraint("patient_key"),
    )
    op.create_index("patients_words", "patients", ["words"], unique=False)
    op.create_table(
        "staff",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("account", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "vials",
        sa.Column("vial_id", sa.String(length=32), nullable=False),
        sa.Column("lot_key", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("units_left", sa.Float(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("vial", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("vial_id"),
    )
    op.create_index("vials_lot", "vials", ["lot_key"], unique=False)
    op.create_index("vials_open", "vials", ["opened_at"], unique=False, postgresql_where="state = 'open'")
    op.create_table(
        "consult_versions",
        sa.Column("consult_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("record", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("record_sha", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["consult_id"],
            ["consults.consult_id"],
        ),
        sa.PrimaryKeyConstraint("consult_id", "version"),
    )
    op.create_table(
        "name_prefixes",
        sa.Column("patient_key", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("words", sa.Text(collation="C"), nullable=False),
        sa.Column("id_order", sa.Text(collation="C"), nullable=False),
        sa.Column("patient_name", sa.Text(), nullable=False),
        sa.Column("patient_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["patient_key"], ["patients.patient_key"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("patient_key", "prefix"),
    )
    op.create_index(
        "name_prefixes_scan",
        "name_prefixes",
        ["prefix", "words", "id_order", "patient_key"],
        unique=True,
        postgresql_include=["patient_name", "patient_id"],
    )
    op.create_table(
        "treatments",
        sa.Column("consult_id", sa.String(length=32), nullable=False),
        sa.Column("patient_key", sa.Text(), nullable=False),
        sa.Column("patient_name", sa.Text(), nullable=False),
        sa.Column("patient_id", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("zones", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("given_by", sa.Text(), nullable=False),
        sa.Column("lots", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["consult_id"],
            ["consults.consult_id"],
        ),
        sa.PrimaryKeyConstraint("consult_id"),
    )
    op.create_index("treatments_date", "treatments", ["date"], unique=False)
    op.create_index("treatments_patient", "treatments", ["patient_key", "date"], unique=False)
    op.create_table(
        "treatment_lots",
        sa.Column("lot_key", sa.Text(), nullable=False),
        sa.Column("consult_id", sa.String(length=32), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["consult_id"], ["treatments.consult_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("lot_key", "consult_id"),
    )
    op.execute(AUDIT_GUARD)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_no_truncate ON audit; DROP TRIGGER IF EXISTS audit_append_only ON audit")
    op.execute("DROP FUNCTION IF EXISTS botulax_audit_is_append_only()")
    op.drop_table("treatment_lots")
    op.drop_index("treatments_patient", table_name="treatments")
    op.drop_index("treatments_date", table_name="treatments")
    op.drop_table("treatments")
    op.drop_index("name_prefixes_scan", table_name="name_prefixes", postgresql_include=["patient_name", "patient_id"])
    op.drop_table("name_prefixes")
    op.drop_table("consult_versions")
    op.drop_index("vials_open", table_name="vials", postgresql_where="state = 'open'")
    op.drop_index("vials_lot", table_name="vials")
    op.drop_table("vials")
    op.drop_table("staff")
    op.drop_index("patients_words", table_name="patients")
    op.drop_table("patients")
    op.drop_table("imports")
    op.drop_table("drafts")
    op.drop_index("consults_to_sign", table_name="consults", postgresql_where="to_sign")
    op.drop_index("consults_state", table_name="consults")
    op.drop_index("consults_patient", table_name="consults")
    op.drop_index("consults_date", table_name="consults")
    op.drop_table("consults")
    op.drop_table("audit_head")
    op.drop_index("audit_consult", table_name="audit", postgresql_where="consult_id IS NOT NULL")
    op.drop_table("audit")
