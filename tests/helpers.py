"""Helpers for tests: answer sets to start from."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 24)


def base_answers(**overrides: object) -> dict[str, object]:
    """A complete, unremarkable consult; tests override what they are about."""
    answers: dict[str, object] = {
        "patient_name": "Test Patient",
        "sex": "female",
        "pregnant_or_breastfeeding": False,
        "neuromuscular_disorder": False,
        "infection_at_site": False,
        "toxin_allergy": False,
        "aminoglycosides": False,
        "zones": ["glabella"],
        "age": 35,
        "skin_thickness": "normal",
        "muscle_strength": "average",
        "effect": "standard",
        "prior_treatment_date": "never",
        "asymmetry": False,
    }
    answers.update(overrides)
    return answers


def keep(repository: object, record: object) -> object:
    """Save ``record`` as the program does: the version with its audit entry ("consult saved" for v1)."""
    from assistant.core.lifecycle.audit import AuditEvent

    at = record.revision.at if record.revision else record.finished_at  # type: ignore[attr-defined]
    return repository.save(record, AuditEvent.for_version(record, record.staff, at))  # type: ignore[attr-defined]
