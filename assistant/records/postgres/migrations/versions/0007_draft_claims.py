"""Draft claims (issue 22.4): who continues a draft, since when, until when it holds.

The claim is kept beside the draft (``drafts.claim``, the ``Claim`` as JSON) rather than inside its
document, so a save checks and writes it in the same transaction, under the draft's own advisory
lock (``draft_rows.put``): of two workstations resuming one draft at once, exactly one wins.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("claim", JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("drafts", "claim")
