"""Keyset pages: the indexes that make each page of a long look-up one index range read.

Recall by lot, a patient's history, the "to sign" list and who is due are read a page at a time,
ordered by (date, consult id); each index below holds that order, so a page reads its rows and
stops. A lot's rows carry their treatment's date (``treatment_lots.date``) so that its recall is
read from the lot's index alone, newest first.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("treatment_lots", sa.Column("date", sa.Date(), nullable=True))
    op.execute(
        "UPDATE treatment_lots SET date = t.date FROM treatments t WHERE t.consult_id = treatment_lots.consult_id"
    )
    op.alter_column("treatment_lots", "date", nullable=False)
    op.create_index("treatment_lots_order", "treatment_lots", ["lot_key", "date", "consult_id"])
    op.create_index("treatments_order", "treatments", ["date", "consult_id"])
    op.drop_index("treatments_date", table_name="treatments")
    op.create_index("consults_patient_order", "consults", ["patient_key", "date", "consult_id"])
    op.drop_index("consults_patient", table_name="consults")
    op.create_index("consults_to_sign_order", "consults", ["date", "consult_id"], postgresql_where="to_sign")
    op.drop_index("consults_to_sign", table_name="consults", postgresql_where="to_sign")


def downgrade() -> None:
    op.create_index("consults_to_sign", "consults", ["consult_id"], postgresql_where="to_sign")
    op.drop_index("consults_to_sign_order", table_name="consults", postgresql_where="to_sign")
    op.create_index("consults_patient", "consults", ["patient_key", "date"])
    op.drop_index("consults_patient_order", table_name="consults")
    op.create_index("treatments_date", "treatments", ["date"])
    op.drop_index("treatments_order", table_name="treatments")
    op.drop_index("treatment_lots_order", table_name="treatment_lots")
    op.drop_column("treatment_lots", "date")
