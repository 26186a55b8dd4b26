"""The register by date of birth (issue 22.1): the chart's search finds every patient born that day.

An expression index on the entry's own JSON (``patient ->> 'date_of_birth'``, ISO text), not a
column beside it: the server computes it from the entry, so it cannot say anything the entry does
not, and no save or ``reindex`` has to keep it in step. A look-up of one day is one index range.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("register_date_of_birth", "register", [sa.text("(patient ->> 'date_of_birth')")])


def downgrade() -> None:
    op.drop_index("register_date_of_birth", table_name="register")
