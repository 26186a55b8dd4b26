"""A consent the patient signed, as the record keeps it: which form and version, when, who witnessed,
whether photos may be taken, and the exact text signed (frozen, with its SHA-256).

Kept on the consult's record (a version of kind ``consented``), so the audit trail carries it like
every other change. A consent covers the patient's later consults while it is within the clinic's
validity and its form version is still the one in use; the rules are in ``consent_rules``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from assistant.core.lifecycle.record_model import RecordModel


class ConsentGiven(RecordModel):
    """One signed consent form. ``photos``: the patient also signed the photo consent."""

    form: str = "treatment"
    """The form's id (its template's name in prompts/)."""
    version: str
    language: str = "en"
    at: dt.datetime
    witness: str
    photos: bool = False
    photos_version: str | None = None
    """The photo consent form's version, when the patient signed it too (``photos``)."""
    text: str = Field(repr=False)
    """The exact text the patient signed, frozen: a later change of the template does not change it."""
    sha256: str
    """The SHA-256 of ``text`` (UTF-8), also in the audit entry's detail."""
