"""The "to give" list: consults planned with doses and nothing given yet, a page at a time.

The Waiting screen and ``waiting`` read it oldest first by (date, consult id); this partial index
holds exactly those rows in that order, so each page is one index range read however large the
record grows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

WHERE = "state = 'planned' AND status = 'planned' AND total_units > 0"


def upgrade() -> None:
    op.create_index("consults_to_give_order", "consults", ["date", "consult_id"], postgresql_where=WHERE)


def downgrade() -> None:
    op.drop_index("consults_to_give_order", table_name="consults", postgresql_where=WHERE)
