"""Photos (issue 23.3): the bytes of each photo added to a consult, and of its thumbnail.

One row per photo, keyed by the SHA-256 of the photo as it was added (the record's ``PhotoRef``
names it), written in the transaction of the record version that adds it (``photo_rows.add``).
``bytea`` columns, not large objects: a photo is a few MB at most (the clinic's limit) and a row
goes with ``pg_dump`` and the grants like every other.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("consult_id", sa.String(32), nullable=False),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("photos")
