"""Whether the patient signed the photo consent: on this consult, or on another of theirs within
twelve months.

A small look-up for ``photos`` until the consent rules (``core.lifecycle.consent_rules``, issue 23.1:
the current form version, the clinic's validity) are merged; then it asks ``valid_consent`` instead.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records.repository import ConsultRepository

VALID_MONTHS = 12
"""How long a signed photo consent covers the patient's later consults (the issue's default)."""


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` earlier (the month's last day when it has fewer days)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _covers(consent: ConsentGiven | None, since: dt.datetime) -> bool:
    return consent is not None and consent.photos and consent.at >= since


def photo_consent(repository: ConsultRepository, record: ConsultRecord, now: dt.datetime) -> ConsentGiven | None:
    """The signed consent that allows photos of ``record``'s patient now, or None."""
    since = months_before(now, VALID_MONTHS)
    if _covers(record.consent, since):
        return record.consent
    for summary in repository.history(record.patient_key):
        if summary.consult_id == record.consult_id or summary.date < since.date():
            continue
        other = repository.get(summary.consult_id)
        if other is not None and _covers(other.consent, since):
            return other.consent
    return None
