"""The consult a patient already has today, read from the record (issue 22.4; the rule is
``core.lifecycle.same_day``)."""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.same_day import consult_today
from assistant.records.repository import ConsultRepository

NEWEST = 20
"""The patient's newest consults read: today's are among the first of them."""


def existing_today(
    repository: ConsultRepository, patient_key: str | None, day: dt.date, leave_out: str | None = None
) -> ConsultSummary | None:
    """The patient's consult dated ``day`` (None: none, or a patient new to the record)."""
    if not patient_key:
        return None
    return consult_today(repository.history_page([patient_key], None, NEWEST), day, leave_out)


def same_day_note(
    repository: ConsultRepository, patient_key: str | None, day: dt.date, *, refuse: bool
) -> tuple[str | None, str]:
    """``run``'s side of one visit, one consult: the consult the patient already has on ``day`` (its
    id, None: none) and the words said about it. ``run`` keeps a second consult with a warning (JSON:
    ``same_day_consult``), or with ``--one-consult-per-visit`` (``refuse``) keeps nothing."""
    from assistant.core.lifecycle.same_day import same_day_words

    found = existing_today(repository, patient_key, day)
    if found is None:
        return None, ""
    words = f"{same_day_words(found)} (consult {found.consult_id})"
    if refuse:
        return found.consult_id, f"{words}: one visit is one consult, so nothing was kept; change that one with amend."
    return found.consult_id, f"warning: {words}; this is kept as a second consult for the day (amend changes that one)."
