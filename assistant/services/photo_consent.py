"""Whether the patient signed the photo consent: the consent that holds for giving (the current form
version, signed within the validity, on any of the patient's consults; ``consent_rules``) says the
photo consent was signed with it.

The same look-up as the treatment consent, so a changed form version or an expired consent asks for
the photo consent again too.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.core.lifecycle.consent_rules import months_before, valid_consent
from assistant.core.lifecycle.record import ConsultRecord
from assistant.services.consent_check import current_version, patient_records, usable
from assistant.services.desk import Desk

VALID_MONTHS = 12
"""How long a signed consent covers the patient's later consults (``consent_validity_months``' default)."""


def photo_consent(
    desk: Desk, record: ConsultRecord, now: dt.datetime, validity_months: int = VALID_MONTHS
) -> ConsentGiven | None:
    """The signed consent that allows photos of ``record``'s patient now, or None."""
    records = patient_records(desk, record, months_before(now, validity_months).date())
    consent = valid_consent(records, current_version(usable(None)), now, validity_months)
    return consent if consent is not None and consent.photos else None
