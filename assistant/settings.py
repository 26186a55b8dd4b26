"""Clinic settings: the clinic's name, dilution, prices and limits.

A pure model; reading the TOML file is ``load_clinic`` in ``assistant.files.clinic_file``. Fields left empty
take the label's values from the knowledge base (dilution, vial size, session maximum) or its
defaults (the syringe).

The upper limits below are not clinical figures: they only catch a slip of the keyboard (``1e300``,
``inf``) before it reaches a calculation or a printed sheet. The clinical limits are in knowledge/.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.core.text_safety import printable, require_safe_text


class RecordsSettings(BaseModel):
    """Where the consult record is kept (the ``[records]`` table)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database: str | None = Field(
        default=None,
        description="postgresql://USER@HOST/DB of the clinic's shared server (no password here: "
        "name a 0600 file with ?password_file=PATH); empty: this computer's data folder.",
    )


class PhotoSettings(BaseModel):
    """Photos of the patient (the ``[photos]`` table). The limits are a product choice: a phone's
    JPEG is 2 to 8 MB; a consult's before, after and review photos fit in the default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    folder: str | None = Field(
        default=None,
        min_length=1,
        max_length=4096,
        description="Where the camera or tablet syncs its photos: the UI lists this folder to pick from.",
    )
    max_photo_mb: float = Field(default=15, gt=0, le=200, description="The most one photo may be, in MB.")
    max_consult_mb: float = Field(default=100, gt=0, le=2000, description="The most a consult's photos may be, in MB.")

    @field_validator("folder")
    @classmethod
    def _plain_folder(cls, value: str | None) -> str | None:
        return None if value is None else require_safe_text(value, "A clinic setting")


class ClinicSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)

    name: str = Field(default="Our clinic", max_length=200, description="Printed on every document.")
    saline_ml: float | None = Field(
        default=None, gt=0, le=100, description="Saline per vial in mL; empty: the label's reconstitution."
    )
    vial_units: float | None = Field(
        default=None, gt=0, le=10_000, description="Units per vial; empty: the label's vial."
    )
    price_per_unit: float | None = Field(
        default=None, ge=0, le=1_000_000, description="Price per unit; empty: no cost shown."
    )
    currency: str = Field(default="USD", min_length=3, max_length=3, description="ISO 4217 code.")
    session_max_units: float | None = Field(
        default=None, gt=0, le=10_000, description="May lower the knowledge base's session maximum, never raise it."
    )
    phone: str | None = Field(default=None, max_length=60, description="Printed on the patient's explanation.")
    printer: str | None = Field(
        default=None, min_length=1, description="The print queue (CUPS) documents go to; empty: the system's default."
    )
    paper: Literal["a4", "letter"] = Field(
        default="a4", description="Paper the documents are made and printed on: a4 or letter."
    )
    syringe: str | None = Field(
        default=None,
        description="The syringe doses are drawn with: an id of the knowledge base's product.syringes "
        "(e.g. u100_0_3ml_half, u100_1ml); empty: its default.",
    )
    vial_use_within_hours: float | None = Field(
        default=None, gt=0, le=24 * 7, description="Hours a reconstituted vial may be used; empty: the label's."
    )
    vial_use_within_reason: str | None = Field(
        default=None, description="Why the clinic uses its own figure (required with vial_use_within_hours)."
    )
    checkpoint_dir: str | None = Field(
        default=None,
        min_length=1,
        max_length=4096,
        description="A folder kept away from the record (a USB stick, another machine's share) that receives a "
        "signed checkpoint of the audit trail on every day the record changes; empty: none is written.",
    )
    records: RecordsSettings = Field(default_factory=RecordsSettings)
    photos: PhotoSettings = Field(default_factory=PhotoSettings)
    require_cosign: bool = Field(
        default=False, description="Consults run by a junior need a medical director's second signature."
    )
    idle_lock_minutes: float = Field(
        default=10, gt=0, le=24 * 60, description="The UI returns to the account picker after this many idle minutes."
    )
    draft_claim_minutes: float = Field(
        default=30,
        gt=0,
        le=24 * 60,
        description="A draft being continued on one workstation is refused on the others until this many minutes "
        "pass without an answer kept there; then it may be taken over, after a confirmation.",
    )

    consent_validity_months: int = Field(
        default=12,
        ge=1,
        le=120,
        description="A signed consent counts for the patient's consults this many months (product choice: 12).",
    )
    consent_missing: Literal["refuse", "warn"] = Field(
        default="refuse",
        description="Recording doses without a valid consent: refused (refuse), or recorded with a warning (warn).",
    )

    @model_validator(mode="after")
    def _own_figure_has_its_reason(self) -> ClinicSettings:
        if self.vial_use_within_hours is not None and not (self.vial_use_within_reason or "").strip():
            raise ValueError(
                "vial_use_within_hours replaces the label's figure: "
                "give vial_use_within_reason too (why the clinic does)."
            )
        return self

    @field_validator(
        "saline_ml",
        "vial_units",
        "price_per_unit",
        "session_max_units",
        "vial_use_within_hours",
        "idle_lock_minutes",
        "draft_claim_minutes",
        "consent_validity_months",
        mode="before",
    )
    @classmethod
    def _number_not_yes_no(cls, value: object) -> object:
        # TOML's `true` would otherwise be taken as 1 (1 mL of saline changes every volume).
        if isinstance(value, bool):
            raise ValueError(f"a number is needed here, such as 2.5, not {str(value).lower()}")
        return value

    @field_validator("name", "phone", "vial_use_within_reason", "printer", "syringe", "checkpoint_dir")
    @classmethod
    def _plain_text(cls, value: str | None) -> str | None:
        return None if value is None else require_safe_text(value, "A clinic setting")

    @field_validator("currency")
    @classmethod
    def _iso_4217(cls, value: str) -> str:
        from babel.numbers import list_currencies  # only when settings are read: Babel is slow to import

        if value not in list_currencies():
            upper = value.upper()
            hint = f" (in capitals: {upper})" if upper in list_currencies() else ", such as USD, EUR or KRW"
            raise ValueError(f"'{printable(value, multiline=False)}' is not an ISO 4217 currency code{hint}")
        return value
