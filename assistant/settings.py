"""Clinic settings: the clinic's name, dilution, prices and limits.

A pure model; reading the TOML file is ``load_clinic`` in ``assistant.files.clinic_file``. Fields left empty
take the label's values from the knowledge base (dilution, vial size, session maximum).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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
    require_cosign: bool = Field(
        default=False, description="Consults run by a junior need a medical director's second signature."
    )
    idle_lock_minutes: float = Field(
        default=10, gt=0, le=24 * 60, description="The UI returns to the account picker after this many idle minutes."
    )
