"""Clinic settings: the clinic's name, dilution, prices and limits.

A pure model; reading the TOML file is ``load_clinic`` in ``assistant.files.clinic_file``. Fields left empty
take the label's values from the knowledge base (dilution, vial size, session maximum) or its
defaults (the syringe).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class RecordsSettings(BaseModel):
    """Where the consult record is kept (the ``[records]`` table)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database: str | None = Field(
        default=None,
        description="postgresql://USER@HOST/DB of the clinic's shared server (no password here: "
        "name a 0600 file with ?password_file=PATH); empty: this computer's data folder.",
    )


class ClinicSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(default="Our clinic", description="Printed on every document.")
    saline_ml: float | None = Field(
        default=None, gt=0, description="Saline per vial in mL; empty: the label's reconstitution."
    )
    vial_units: float | None = Field(default=None, gt=0, description="Units per vial; empty: the label's vial.")
    price_per_unit: float | None = Field(default=None, ge=0, description="Price per unit; empty: no cost shown.")
    currency: str = Field(default="USD", min_length=3, max_length=3, description="ISO 4217 code.")
    session_max_units: float | None = Field(
        default=None, gt=0, description="May lower the knowledge base's session maximum, never raise it."
    )
    phone: str | None = Field(default=None, description="Printed on the patient's explanation.")
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
    records: RecordsSettings = Field(default_factory=RecordsSettings)
    require_cosign: bool = Field(
        default=False, description="Consults run by a junior need a medical director's second signature."
    )
    idle_lock_minutes: float = Field(
        default=10, gt=0, le=24 * 60, description="The UI returns to the account picker after this many idle minutes."
    )

    @model_validator(mode="after")
    def _own_figure_has_its_reason(self) -> ClinicSettings:
        if self.vial_use_within_hours is not None and not (self.vial_use_within_reason or "").strip():
            raise ValueError(
                "vial_use_within_hours replaces the label's figure: "
                "give vial_use_within_reason too (why the clinic does)."
            )
        return self
