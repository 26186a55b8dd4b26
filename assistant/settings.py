"""Clinic settings: the clinic's name, dilution, prices and limits.

A pure model; reading the TOML file is ``load_clinic`` in ``assistant.files.clinic_file``. Fields left empty
take the label's values from the knowledge base (dilution, vial size, session maximum).
"""

from __future__ import annotations

from typing import Literal

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
    printer: str | None = Field(
        default=None, min_length=1, description="The print queue (CUPS) documents go to; empty: the system's default."
    )
    paper: Literal["a4", "letter"] = Field(
        default="a4", description="Paper the documents are made and printed on: a4 or letter."
    )
