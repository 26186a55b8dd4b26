"""A consult record as ``show`` gives it: one version, with the history of all of them.

The JSON fields are a contract with clinics' scripts (``show --format json``): add, rename none.
"""

from __future__ import annotations

from typing import Any

from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.review_record import Review


def _override(record: ConsultRecord) -> dict[str, Any] | None:
    """A medical director's override of the limits the doses given pass (None: they pass none)."""
    override = record.given.override if record.given else None
    if override is None:
        return None
    return {
        "by": override.by,
        "role": override.role,
        "at": override.at.isoformat(),
        "reason": override.reason,
        "breaches": [breach.model_dump(mode="json") for breach in override.breaches],
    }


def _consent(record: ConsultRecord) -> dict[str, Any] | None:
    """The consent recorded on this consult (None: none): what was signed, when, before whom."""
    consent = record.consent
    if consent is None:
        return None
    return {
        "form": consent.form,
        "version": consent.version,
        "at": consent.at.isoformat(),
        "witness": consent.witness,
        "photos": consent.photos,
        "sha256": consent.sha256,
    }


def record_view(versions: list[ConsultRecord], version: int | None = None) -> dict[str, Any]:
    """``versions`` oldest first; ``version`` picks one (default: the newest)."""
    record = versions[-1] if version is None else versions[version - 1]
    notes = [v.revision for v in versions if v.revision is not None]
    return {
        "consult_id": record.consult_id,
        "patient_name": record.patient_name,
        "patient_id": record.patient_id,
        "date": record.date.isoformat(),
        "entered_on": record.entered_on.isoformat() if record.entered_on else None,
        "status": record.status,
        "state": record.state,
        "version": record.version,
        "latest_version": versions[-1].version,
        "versions": [
            {"version": n.version, "at": n.at.isoformat(), "by": n.by, "change": n.change, "kind": n.kind}
            for n in notes
        ],
        "plan": record.plan.model_dump(mode="json"),
        "given": [
            {
                "zone": line.zone,
                "side": line.side,
                "units": line.units,
                "points": line.points,
                "lot": line.lot,
                "expiry": line.expiry.isoformat() if line.expiry else None,
                "vial_id": line.vial_id,
                "differs_from_plan": line.differs_from_plan,
                "reason": line.reason,
                "note": line.note,
                "draws": [
                    {"vial_id": d.vial_id, "lot": d.lot, "expiry": d.expiry.isoformat(), "units": d.units}
                    for d in line.draws
                ],
            }
            for line in (record.given.lines if record.given else ())
        ],
        "given_by": record.given.by if record.given else None,
        "given_at": record.given.at.isoformat() if record.given else None,
        "override": _override(record),
        "consent": _consent(record),
        "signatures": [
            {"name": s.name, "role": s.role, "meaning": s.meaning, "at": s.at.isoformat(), "kind": s.kind}
            for s in record.signatures
        ],
        "awaiting_cosign": record.awaiting_cosign,
        "amendments": [
            {"version": n.version, "at": n.at.isoformat(), "by": n.by, "reason": n.reason, "change": n.change}
            for n in notes
            if n.kind == "amended" and n.version <= record.version
        ],
        "staff": record.staff,
        "script_id": record.script_id,
        "script_version": record.script_version,
        "script_approval": _approval(record),
        "answers": record.answers,
        "photos": [{"kind": ref.kind, "sha256": ref.sha256, "at": ref.at.isoformat()} for ref in record.photos],
        "reviews": [_review(review) for review in record.reviews],
    }


def _approval(record: ConsultRecord) -> dict[str, Any] | None:
    """Whether the script it ran was approved when it was kept (None: kept before this was recorded)."""
    approval = record.script_approval
    if approval is None:
        return None
    return {
        "approved": approval.approved,
        "by": approval.by,
        "at": approval.at.isoformat() if approval.at else None,
        "sha256": approval.sha256,
    }


def _review(review: Review) -> dict[str, Any]:
    """A day-14 review: findings per zone, adverse events with severity, satisfaction (1-5)."""
    return {
        "at": review.at.isoformat(),
        "by": review.by,
        "findings": [finding.model_dump(mode="json") for finding in review.findings],
        "adverse_events": [event.model_dump(mode="json") for event in review.adverse_events],
        "satisfaction": review.satisfaction,
        "serious": review.serious,
        "script_version": review.script_version,
    }
