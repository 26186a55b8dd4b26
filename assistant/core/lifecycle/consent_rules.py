"""Is there a valid consent for this patient, and the next record version that records one.

Pure: the service passes the patient's records, the form version in use, the moment (``now``) and
the clinic's validity in months. A consent counts when its form is the treatment form, its version
is the one in use (a changed form asks again) and it was signed within the validity, on any of the
patient's consults.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Iterable

from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.core.lifecycle.record import ConsultRecord, Revision
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount, require
from assistant.core.text_safety import text_problem

TREATMENT_FORM = "treatment"


class ConsentMissing(NotPermitted):
    """Exit 5: doses may not be recorded before the patient's consent is (the message names the form
    and version, and the command that records it; ``what``: the first part alone, for the UI, which
    offers to record it there)."""

    def __init__(self, message: str, what: str = "") -> None:
        super().__init__(message)
        self.what = what or message


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when it is shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def valid_consent(
    history_records: Iterable[ConsultRecord],
    form_version: str,
    now: dt.datetime,
    validity_months: int,
    form: str = TREATMENT_FORM,
) -> ConsentGiven | None:
    """The newest consent of the patient's consults to ``form`` in ``form_version``, signed within
    ``validity_months`` before ``now`` (and not after it); None when there is none."""
    since = months_before(_aware(now), validity_months)
    valid = [
        record.consent
        for record in history_records
        if record.consent is not None
        and record.consent.form == form
        and record.consent.version == form_version
        and since < _aware(record.consent.at) <= _aware(now)
    ]
    return max(valid, key=lambda consent: _aware(consent.at), default=None)


def missing_words(form: str, version: str, patient: str) -> str:
    """Which consent is missing, for whom."""
    return f"Consent form '{form}' version {version} is not recorded for {patient}"


def missing_sentence(form: str, version: str, patient: str, consult_id: str) -> str:
    """What a refusal (or the warning) says, with the command that records the consent."""
    return (
        f"{missing_words(form, version, patient)}: record it with "
        f"botulax-consult consent record {consult_id} --version current --witness NAME --by NAME first."
    )


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def consented(
    record: ConsultRecord,
    by: StaffAccount,
    at: dt.datetime,
    *,
    form: str,
    version: str,
    language: str,
    witness: str,
    photos: bool,
    text: str,
    photos_version: str | None = None,
) -> ConsultRecord:
    """The consult's next version, kind ``consented``, keeping the exact ``text`` signed and its SHA-256.

    A signed record is locked, so a consent is recorded on the consult before it is signed (a later
    visit's consult carries its own)."""
    require(by, "run", at)
    if record.locked:
        raise NotPermitted(
            f"Consult {record.consult_id} is signed and locked: record the consent on the patient's new consult."
        )
    if problem := text_problem(witness, "The witness's name"):
        raise NotPermitted(problem)
    if not witness.strip():
        raise NotPermitted("The witness's name is needed (--witness NAME): the person who saw the patient sign.")
    consent = ConsentGiven(
        form=form,
        version=version,
        language=language,
        at=at,
        witness=witness.strip(),
        photos=photos,
        photos_version=photos_version,
        text=text,
        sha256=text_sha(text),
    )
    words = f"consent recorded: form '{form}' version {version}, witness {consent.witness}"
    words += ", photos agreed" if photos else ", no photos"
    next_version = record.version + 1
    revision = Revision(version=next_version, at=at, by=by.name, kind="consented", change=words)
    return record.model_copy(update={"version": next_version, "revision": revision, "consent": consent})


def consent_problem(record: ConsultRecord) -> str | None:
    """A consent whose frozen text no longer hashes to the SHA-256 kept with it (``audit verify``)."""
    consent = record.consent
    if consent is None or text_sha(consent.text) == consent.sha256:
        return None
    return (
        f"consult {record.consult_id} version {record.version}: the consent text kept does not match its "
        "SHA-256: the signed text was changed outside the program."
    )
