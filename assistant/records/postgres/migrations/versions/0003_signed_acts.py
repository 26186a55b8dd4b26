"""Signed acts: each audit entry may carry what it states of the staff register (``data``) and its
actor's Ed25519 signature (``signature``). Existing entries keep their hashes (both are hashed only
when present).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit", sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("audit", sa.Column("signature", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit", "signature")
    op.drop_column("audit", "data")
