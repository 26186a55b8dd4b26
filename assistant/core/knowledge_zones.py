"""Treatment zones as the knowledge base describes them: points, doses, thresholds, halves.

Units are per side for paired zones and per zone for central ones.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from assistant.core.knowledge_figures import LocalText, Range, Sourced, Strict, Value, _text


class Points(Sourced):
    min: int = Field(ge=1, le=1000)
    max: int = Field(ge=1, le=1000)
    default: int = Field(ge=1, le=1000)

    @model_validator(mode="after")
    def _default_in_range(self) -> Points:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        if not self.min <= self.default <= self.max:
            raise ValueError(f"default ({self.default}) is outside {self.min}-{self.max}")
        return self


class VolumeError(Sourced):
    """What an error of ``volume_ml`` drawn for this zone can do to the face."""

    volume_ml: float = Field(gt=0)
    shift_mm: float = Field(gt=0)
    effect: str


class Zone(Strict):
    """One treatment zone. Units are per side for paired zones and per zone for central ones.

    A central zone with ``split_sides`` may take a measured asymmetry: it is then planned per side,
    the left and right halves, its points split between them and its caution threshold applying to
    both halves together.
    """

    id: str
    label: str
    muscles: str
    paired: bool
    on_label: bool = False
    points: Points
    typical_units: Range
    default_units: Value
    caution_above: Value
    patient_name: LocalText
    patient_text: LocalText
    keywords: tuple[str, ...] = ()
    split_sides: Sourced | None = None
    volume_error: VolumeError | None = None

    _patient = field_validator("patient_name", "patient_text", mode="before")(_text)

    @property
    def per_side(self) -> str:
        """What follows a count of this zone's units: " per side" for a paired zone ("4 U per side"),
        nothing for a central one, whose units are the whole zone's (never "2 U per side" for a glabella)."""
        return " per side" if self.paired else ""

    @property
    def takes_asymmetry(self) -> bool:
        """Paired zones, and central zones planned in halves when a difference is measured."""
        return self.paired or self.split_sides is not None

    @model_validator(mode="after")
    def _figures_agree(self) -> Zone:
        if self.paired and self.split_sides is not None:
            raise ValueError("split_sides is for a central zone; a paired zone already has two sides")
        for name, figure in (
            ("typical_units.min", self.typical_units.min),
            ("default_units", self.default_units.value),
        ):
            if figure <= 0:
                raise ValueError(f"{name} ({figure:g}) must be above 0 U: a zone without a dose cannot be planned")
        if not self.typical_units.min <= self.default_units.value <= self.caution_above.value:
            raise ValueError(
                f"default_units ({self.default_units.value:g}) must lie between typical_units.min "
                f"({self.typical_units.min:g}) and caution_above ({self.caution_above.value:g})"
            )
        return self
