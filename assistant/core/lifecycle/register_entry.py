"""A patient as the register keeps them: the keys, the two identifiers and the register's entry.

Kept apart from the register's rules (``register``: who a consult belongs to, merges and splits)
because the stores, the indexes and the trail read entries without deciding anything. Names and
numbers identify exactly (spaces tidied); a folded number is only ever used to *suggest*.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from pydantic import Field, field_validator

from assistant.core.lifecycle.ids import ID_PREFIX, NAME_PREFIX, REGISTER_PREFIX, new_record_id
from assistant.core.lifecycle.record_model import RecordModel


def new_patient_key(at: dt.datetime, *, randomness: int | None = None) -> str:
    """A new register key: ``pt:`` and a record id (time-sortable, 40 random bits)."""
    return REGISTER_PREFIX + new_record_id(at, randomness=randomness)


def is_register_key(text: str) -> bool:
    return text.startswith(REGISTER_PREFIX) and len(text) > len(REGISTER_PREFIX)


def is_legacy_key(text: str) -> bool:
    """A key made from a name or number by consults kept before the register."""
    return text.startswith((ID_PREFIX, NAME_PREFIX)) and len(text) > len(NAME_PREFIX)


def exact_name(name: str) -> str:
    """A name as it identifies: only the spaces around it and between words are tidied."""
    return " ".join(name.split())


def exact_number(number: str | None) -> str | None:
    """A clinic number as it identifies: surrounding spaces removed, nothing else changed."""
    text = (number or "").strip()
    return text or None


def folded_number(number: str | None) -> str | None:
    """A clinic number folded for a *suggestion* only (full-width digits, case, spaces)."""
    text = "".join(unicodedata.normalize("NFKC", number or "").casefold().split())
    return text or None


class Identifiers(RecordModel):
    """What a consult says of who the patient is."""

    name: str
    date_of_birth: dt.date | None = None
    clinic_number: str | None = None

    @field_validator("name")
    @classmethod
    def _tidy_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a patient needs a name.")
        return exact_name(value)

    @field_validator("clinic_number")
    @classmethod
    def _tidy_number(cls, value: str | None) -> str | None:
        return exact_number(value)

    @property
    def confirmable(self) -> bool:
        """Two identifiers at least: without a date of birth a consult cannot be matched to anyone."""
        return self.date_of_birth is not None

    def words(self) -> str:
        """Name, date of birth and number as a person reads them."""
        born = self.date_of_birth.isoformat() if self.date_of_birth else "date of birth not recorded"
        number = f", clinic number {self.clinic_number}" if self.clinic_number else ""
        return f"{self.name} (born {born}{number})" if self.date_of_birth else f"{self.name} ({born}{number})"


class Patient(RecordModel):
    """A registered patient (``revision`` counts its changes: 1 when registered)."""

    patient_key: str
    name: str
    date_of_birth: dt.date | None = None
    clinic_number: str | None = None
    registered_at: dt.datetime | None = None
    """None for a patient of consults kept before the register (``legacy``)."""
    revision: int = Field(default=1, ge=1)
    merged_into: str | None = None
    """The patient this one was found to be (merged away); None for a patient in their own right."""
    joined: tuple[str, ...] = ()
    """Keys whose consults are this patient's: patients merged into this one, and keys of consults
    kept before the register that were confirmed as hers."""
    legacy: bool = False
    """Not registered yet: made from consults kept before the register (key ``name:`` or ``id:``)."""

    @property
    def identifiers(self) -> Identifiers:
        return Identifiers(name=self.name, date_of_birth=self.date_of_birth, clinic_number=self.clinic_number)

    def words(self) -> str:
        return self.identifiers.words()
