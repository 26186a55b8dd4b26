"""The approvals of question scripts (issue 24.5): each consult kept says whether the script it ran was
approved, so saving a consult looks up the latest ``script approved`` entry for the script's hash.

A partial expression index on the audit trail's own rows (``data ->> 'sha256'``, the script file's
SHA-256, where the action is an approval): the look-up is one index probe however long the trail
grows, and, computed by the server from the entries, it cannot say anything the trail does not.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "audit_script_approved",
        "audit",
        [sa.text("(data ->> 'sha256')")],
        postgresql_where=sa.text("action = 'script approved'"),
    )


def downgrade() -> None:
    op.drop_index("audit_script_approved", table_name="audit")
