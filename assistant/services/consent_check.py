"""Whether the patient's consent holds before doses are recorded (``treatment`` asks it on every
path that records doses); the forms in use, refused while one has an error.

Kept apart from ``consent`` (which records a consent through ``treatment.keep``), so that
``treatment`` can ask it without an import circle.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.consent_form import TREATMENT
from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.core.lifecycle.consent_rules import (
    ConsentMissing,
    missing_sentence,
    missing_words,
    months_before,
    valid_consent,
)
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import NotPermitted
from assistant.files.consent_forms import ConsentForms, load_consent_forms
from assistant.services import patients
from assistant.services.desk import Desk
from assistant.settings import ClinicSettings


class FormsUnusable(NotPermitted):
    """The consent forms have problems (``check`` lists them): no consent can be printed or recorded."""


def usable(forms: ConsentForms | None) -> ConsentForms:
    """``forms`` (None: the shipped ones), refused while a form has an error."""
    forms = forms or load_consent_forms()
    if not forms.ok:
        first = next(p for p in forms.problems if p.severity == "error")
        raise FormsUnusable(f"The consent forms have problems (botulax-consult check), the first: {first}")
    return forms


def current_version(forms: ConsentForms, form: str = TREATMENT) -> str:
    version = forms.version(form)
    if version is None:
        raise FormsUnusable(f"There is no {form} consent form in {forms.folder}.")
    return version


def patient_records(desk: Desk, record: ConsultRecord, since: dt.date | None = None) -> list[ConsultRecord]:
    """The consult itself and the patient's other consults as they stand (the register's patient),
    those dated ``since`` or later only: a consent older than the validity cannot count, so the
    records before it are not read (a patient of 200 consults is not read whole at every give)."""
    found = {record.consult_id: record}
    if record.patient_key:
        for summary in patients.history(desk.repository, record.patient_key):
            if since is not None and summary.date < since:
                continue
            if summary.consult_id not in found:
                other = desk.repository.get(summary.consult_id)
                if other is not None:
                    found[other.consult_id] = other
    return list(found.values())


def consent_for(
    desk: Desk, record: ConsultRecord, forms: ConsentForms, clinic: ClinicSettings, now: dt.datetime
) -> ConsentGiven | None:
    months = clinic.consent_validity_months
    records = patient_records(desk, record, months_before(now, months).date())
    return valid_consent(records, current_version(forms), now, months)


def require_consent(
    desk: Desk,
    record: ConsultRecord,
    clinic: ClinicSettings | None,
    now: dt.datetime,
    forms: ConsentForms | None = None,
) -> str | None:
    """Nothing when the patient's consent holds; else ``ConsentMissing`` (exit 5), or the sentence as
    a warning to show when the clinic's ``consent_missing`` is "warn"."""
    clinic = clinic or ClinicSettings()
    forms = usable(forms)
    if consent_for(desk, record, forms, clinic, now) is not None:
        return None
    patient = record.patient_name or "this patient"
    sentence = missing_sentence(TREATMENT, current_version(forms), patient, record.consult_id)
    if clinic.consent_missing == "warn":
        return sentence
    raise ConsentMissing(sentence, f"{missing_words(TREATMENT, current_version(forms), patient)}.")
