"""Treatments whose record's answers now contraindicate treatment (amended after the doses were given,
when a pregnancy was learnt, say): only their review is due, no touch-up and no retreatment.

A tryout's ``due`` listed a touch-up window for a patient whose record said she was pregnant. The flag
is the record's own (``tracing.treatment_of``: its plan contraindicated); it is filled here from each
consult's status, which the index row of the consult already holds.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("treatments", sa.Column("review_only", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE treatments SET review_only = true FROM consults "
        "WHERE consults.consult_id = treatments.consult_id AND consults.status = 'contraindicated'"
    )


def downgrade() -> None:
    op.drop_column("treatments", "review_only")
