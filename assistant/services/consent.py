"""The patient's consent: the form filled in for a consult, recorded as signed, and checked before
any dose is recorded.

Every path that records doses (``give``, ``amend --given`` on a consult with nothing given yet, the
UI's give) goes through ``treatment``, which asks ``require_consent`` here first; the rule itself is
the core's (``lifecycle.consent_rules.valid_consent``). The clinic's settings give the validity in
months and whether a missing consent refuses (the default) or only warns.
"""

from __future__ import annotations

from pathlib import Path

from assistant.core.consent_form import PHOTOS, TREATMENT, FilledForm, fill
from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.consent_rules import consented
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import NotPermitted
from assistant.files.consent_forms import ConsentForms
from assistant.records.repository import require
from assistant.services.consent_check import current_version, usable
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.services.treatment import keep
from assistant.settings import ClinicSettings

PRODUCT = "Botulax"


def language_of(record: ConsultRecord) -> str:
    """The consult's patient language (its answer), English when none was given."""
    answered = record.answers.get("patient_language")
    return answered if isinstance(answered, str) and answered else "en"


def zone_names(record: ConsultRecord, kb: KnowledgeBase, language: str) -> str:
    """The consult's planned zones in the patient's words, once each, in plan order."""
    names: list[str] = []
    for line in record.plan.lines:
        try:
            name = kb.zone(line.zone).patient_name.get(language)
        except UnknownZone:
            name = line.zone_label
        if name not in names:
            names.append(name)
    return ", ".join(names) if names else "-"


def filled(
    record: ConsultRecord, forms: ConsentForms, kb: KnowledgeBase, clinic: ClinicSettings, photos: bool
) -> list[FilledForm]:
    """The treatment form (and the photo form when ``photos``) in the patient's language, filled in."""
    language = language_of(record)
    values = {
        "patient_name": record.patient_name or "-",
        "zones": zone_names(record, kb, language),
        "clinic": clinic.name,
        "date": record.date.isoformat(),
        "product": PRODUCT,
    }
    wanted = (TREATMENT, PHOTOS) if photos else (TREATMENT,)
    found = [forms.current(form, language) for form in wanted]
    return [fill(form, values) for form in found if form is not None]


def record_consent(
    desk: Desk,
    consult_id: str,
    by: str,
    pin: str,
    kb: KnowledgeBase,
    *,
    version: str,
    witness: str,
    photos: bool,
    clinic: ClinicSettings | None = None,
    forms: ConsentForms | None = None,
    before_giving: bool = False,
) -> ConsultRecord:
    """Record that the patient signed the current form (``version``: "current" or its number; any
    other version is refused with a sentence), keeping the exact text signed and its SHA-256.
    ``before_giving``: recorded as the step of giving (the UI's G), so refused, before the PIN is
    checked, once the doses are recorded (elsewhere, meanwhile): no second consent for a treatment
    given; the store refuses the save when they are recorded between this read and it."""
    forms = usable(forms)
    clinic = clinic or ClinicSettings()
    current = current_version(forms)
    if version not in ("current", current):
        raise NotPermitted(
            f"Consent form '{TREATMENT}' version {version} is not the form in use (version {current}): "
            "print the current form, have it signed, and record --version current."
        )
    record = require(desk.repository, consult_id)
    if before_giving:
        rules.still_to_give(record)
    account = authenticate(desk, by, pin, "run")
    pages = filled(record, forms, kb, clinic, photos)
    text = "\n".join(page.text for page in pages)
    updated = consented(
        record,
        account,
        desk.clock(),
        form=TREATMENT,
        version=current,
        language=pages[0].language,
        witness=witness,
        photos=photos,
        text=text,
        photos_version=forms.version(PHOTOS) if photos else None,
    )
    assert updated.consent is not None
    detail = f"form {TREATMENT} version {current}, witness {updated.consent.witness}, sha256 {updated.consent.sha256}"
    return keep(desk, updated, account.name, detail=detail)


def consent_pdf(
    desk: Desk,
    consult_id: str,
    kb: KnowledgeBase,
    clinic: ClinicSettings,
    *,
    forms: ConsentForms | None = None,
    templates_dir: Path | None = None,
) -> bytes:
    """The treatment form and the photo form (its own page), filled in for the consult's patient, in
    her language, as a PDF to sign."""
    from assistant.documents.consent import render_consent
    from assistant.documents.context import identity

    forms = usable(forms)
    record = require(desk.repository, consult_id)
    pages = filled(record, forms, kb, clinic, photos=True)
    patient = identity(record.patient_name, record.answers)
    pdf = render_consent(
        pages, clinic, record.consult_id, "pdf", paper=clinic.paper, templates_dir=templates_dir, patient=patient
    )
    assert isinstance(pdf, bytes)
    return pdf
