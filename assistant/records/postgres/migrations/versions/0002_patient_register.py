"""The patient register: registered patients, found by folded name or clinic number; and the day
each consult's doses were given (``consults.given_on``), which earlier doses are dated by.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("consults", sa.Column("given_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE consults SET given_on = consults.date "
        "FROM consult_versions v WHERE v.consult_id = consults.consult_id AND v.version = consults.version "
        "AND v.record -> 'given' IS NOT NULL AND jsonb_typeof(v.record -> 'given') = 'object'"
    )
    op.create_table(
        "register",
        sa.Column("patient_key", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("folded_name", sa.Text(), nullable=False),
        sa.Column("folded_number", sa.Text(), nullable=True),
        sa.Column("clinic_number", sa.Text(), nullable=True),
        sa.Column("merged_into", sa.Text(), nullable=True),
        sa.Column("patient", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("patient_key"),
    )
    op.create_index("register_folded_name", "register", ["folded_name"])
    op.create_index("register_folded_number", "register", ["folded_number"])
    op.create_index(
        "register_one_number",
        "register",
        ["clinic_number"],
        unique=True,
        postgresql_where=sa.text("merged_into IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("register")
    op.drop_column("consults", "given_on")
