"""Live updates across workstations (issue 22.3): every change to the record says so on the
channel ``botulax_changes``, in the transaction that makes it.

A row appended to the audit trail (a consult saved, given, signed, amended; a vial, an account...)
and a draft kept or removed each call ``pg_notify``. PostgreSQL delivers a notification only when
its transaction commits, so a listener never hears of a change that was rolled back, and hears of
one that was made before it could read it. The triggers are deferred to the commit, so the consult's
row (and its patient) exist by then whatever order the statements ran in.

The payload is JSON: ``kind`` (the audit action, or ``draft``), ``consult_id``, ``patient_id`` (the
clinic number), ``who`` (the account), ``workstation`` (from the session's ``application_name``, set
by ``connection.make_engine``); a draft's also its ``draft_id``. No answer, name or dose is sent:
anyone connected may LISTEN.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHANNEL = "botulax_changes"
WORKSTATION = "regexp_replace(current_setting('application_name', true), '^botulax-consult@', '')"
"""The workstation's name, from the session's ``application_name`` (``botulax-consult@<name>``)."""

AUDIT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION botulax_notify_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'kind', NEW.action,
        'consult_id', NEW.consult_id,
        'patient_id', (SELECT c.patient_id FROM consults c WHERE c.consult_id = NEW.consult_id),
        'who', NEW.actor,
        'workstation', {WORKSTATION}
    )::text);
    RETURN NULL;
END $$
"""

DRAFT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION botulax_notify_draft() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row drafts%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'kind', 'draft',
        'draft_id', row.draft_id,
        'consult_id', row.draft->>'consult_id',
        'patient_id', row.draft->'answers'->>'patient_id',
        'who', row.draft->>'staff',
        'workstation', {WORKSTATION}
    )::text);
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.execute(AUDIT_FUNCTION)
    op.execute(DRAFT_FUNCTION)
    op.execute(
        "CREATE CONSTRAINT TRIGGER audit_notify AFTER INSERT ON audit"
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION botulax_notify_audit()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER drafts_notify AFTER INSERT OR UPDATE OR DELETE ON drafts"
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION botulax_notify_draft()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER drafts_notify ON drafts")
    op.execute("DROP TRIGGER audit_notify ON audit")
    op.execute("DROP FUNCTION botulax_notify_draft()")
    op.execute("DROP FUNCTION botulax_notify_audit()")
