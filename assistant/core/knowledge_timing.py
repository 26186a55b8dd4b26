"""Timing as the knowledge base gives it: onset, peak, the bands of days since the last treatment,
the touch-up rule and the follow-up."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from assistant.core.knowledge_figures import LARGEST, MOST_DAYS, LocalText, Range, Sourced, Strict, Value, _text


class BandWarning(Strict):
    code: str
    message: str


class TimingBand(Sourced):
    """What to do with a zone treated ``from_day``..``to_day`` days ago (``to_day`` empty: no end)."""

    from_day: int = Field(ge=0, le=MOST_DAYS)
    to_day: int | None = Field(default=None, ge=0, le=MOST_DAYS)
    action: Literal["defer", "touch_up", "full"]
    not_before_day: int | None = Field(
        default=None, ge=0, le=MOST_DAYS, description="For defer: days after the prior treatment."
    )
    reason: str
    patient_reason: LocalText | None = None
    warning: BandWarning | None = None

    _patient = field_validator("patient_reason", mode="before")(_text)

    @model_validator(mode="after")
    def _consistent(self) -> TimingBand:
        if self.to_day is not None and self.to_day < self.from_day:
            raise ValueError(f"to_day ({self.to_day}) is before from_day ({self.from_day})")
        if self.action == "defer" and self.not_before_day is None:
            raise ValueError("a defer band needs not_before_day")
        return self


class TouchUp(Sourced):
    units_per_side: float = Field(gt=0, le=LARGEST)
    min_units: float = Field(gt=0, le=LARGEST)
    max_units: float = Field(gt=0, le=LARGEST)
    points_per_side: int = Field(ge=1, le=1000)

    @model_validator(mode="after")
    def _ordered(self) -> TouchUp:
        if not self.min_units <= self.units_per_side <= self.max_units:
            raise ValueError(
                f"units_per_side ({self.units_per_side:g}) must lie between min_units ({self.min_units:g}) "
                f"and max_units ({self.max_units:g})"
            )
        return self


class FollowUp(Sourced):
    review_after_days: int = Field(ge=0, le=MOST_DAYS)
    touch_up_from_day: int = Field(ge=0, le=MOST_DAYS)
    touch_up_to_day: int = Field(ge=0, le=MOST_DAYS)

    @model_validator(mode="after")
    def _window(self) -> FollowUp:
        if self.touch_up_to_day < self.touch_up_from_day:
            raise ValueError(
                f"the touch-up window ends (day {self.touch_up_to_day}) before it starts (day {self.touch_up_from_day})"
            )
        return self


class Timing(Strict):
    onset_days: Value
    peak_day: Value
    duration_months: Range
    retreatment_interval_days: Value
    bands: tuple[TimingBand, ...] = Field(min_length=1)
    touch_up: TouchUp
    follow_up: FollowUp
