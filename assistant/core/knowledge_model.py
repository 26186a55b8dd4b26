"""What the knowledge files in knowledge/ may say, as validated models.

Every figure sits in a block that names its sources (ids from ``sources``), so that a plan line can
always answer "why this number?". A figure the clinical reference does not give is marked
``unverified``; a choice the product made within a sourced range is marked ``product_choice``.
Python code holds no clinical number: it reads them all from here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.core.syringe_model import Syringes

#: Sanity limits, not clinical figures: they refuse a slip of the keyboard (``1e300``, a day offset
#: of millions) at load, with its line, before it overflows a decimal or a date in a plan.
LARGEST = 1_000_000
MOST_DAYS = 36_500


class Strict(BaseModel):
    """Unknown keys are errors, values are immutable, and every number is finite (no nan or inf)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


class LocalText(Strict):
    """A text in one or more languages; English is the fallback and is always present."""

    en: str
    ko: str | None = None

    def get(self, language: str) -> str:
        return getattr(self, language, None) or self.en

    def missing(self, languages: tuple[str, ...]) -> list[str]:
        return [lang for lang in languages if not getattr(self, lang, None)]


def _text(value: object) -> object:
    """A plain string in a knowledge file is English text."""
    return {"en": value} if isinstance(value, str) else value


class Sourced(Strict):
    """A fact with where it comes from."""

    sources: tuple[str, ...] = Field(min_length=1)
    note: str | None = None
    unverified: bool = False
    product_choice: bool = False


Authority = Literal["label", "consensus", "reference-article", "practice"]

AUTHORITY_ORDER: tuple[str, ...] = ("label", "consensus", "reference-article", "practice")
"""Where sources disagree, the first grade wins (the clinical reference's order of authority)."""


class Source(Strict):
    id: str
    title: str
    authority: Authority
    other_product: str | None = Field(
        default=None,
        description="For a label: the product it is the label of, when it is not this product "
        "(a cross-product reference; units are not interchangeable).",
    )
    weak: bool = False

    @property
    def rank(self) -> tuple[int, bool]:
        """Sort key by authority: lower is stronger; another product's label ranks after our own."""
        return AUTHORITY_ORDER.index(self.authority), self.other_product is not None


class Value(Sourced):
    value: float = Field(ge=0, le=LARGEST)


class CumulativeCap(Value):
    """A maximum counted over a window of days: today's plan and every dose given in the window before."""

    window_days: int = Field(ge=1, le=3650)


class Range(Sourced):
    min: float = Field(ge=0, le=LARGEST)
    max: float = Field(ge=0, le=LARGEST)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        return self


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


class ModifierRule(Sourced):
    when: str
    factor: float = Field(gt=0, le=100)
    reason: str


class Modifier(Strict):
    """A dose factor read from the answers; the first rule whose ``when`` holds applies."""

    name: str
    label: str
    question: str
    rules: tuple[ModifierRule, ...] = Field(min_length=1)


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


class Contraindication(Sourced):
    id: str
    when: str
    effect: Literal["contraindicated", "caution"]
    label: str
    message: str
    patient_message: LocalText | None = None
    keywords: tuple[str, ...] = ()

    _patient = field_validator("patient_message", mode="before")(_text)


class Symmetry(Sourced):
    warn_gap_above_units: float = Field(ge=0, le=LARGEST)
    message: str


class Safety(Strict):
    contraindications: tuple[Contraindication, ...]
    session_max_units: CumulativeCap
    symmetry: Symmetry
    spread_warning: LocalText
    spread_warning_sources: tuple[str, ...] = Field(min_length=1)

    _patient = field_validator("spread_warning", mode="before")(_text)

    @model_validator(mode="after")
    def _session_max_positive(self) -> Safety:
        if self.session_max_units.value <= 0:
            raise ValueError(
                f"session_max_units ({self.session_max_units.value:g}) must be above 0 U: no plan could pass it"
            )
        return self


class ZoneCombination(Sourced):
    """A warning for a combination of zones (or any other answers) in one plan.

    ``when`` is a condition over the answers and two more names: ``planned_zones`` (zones with a dose
    in today's plan) and ``deferred_zones`` (zones put off today).
    """

    id: str
    when: str
    message: str
    zone: str | None = None
    severity: Literal["info", "warning", "danger"] = "warning"


class Reconstitution(Sourced):
    saline_ml: float = Field(gt=0, le=1000)
    vial_units: float = Field(gt=0, le=LARGEST)
    use_within_hours: float = Field(gt=0, le=LARGEST)


class UseByWarning(Sourced):
    """How long before a reconstituted vial's use-by the ledger starts to warn."""

    hours_before: float = Field(gt=0)


class Product(Strict):
    name: str
    generic_name: str
    vial_sizes: tuple[Annotated[int, Field(gt=0, le=LARGEST)], ...]
    vial_sizes_sources: tuple[str, ...] = Field(min_length=1)
    reconstitution: Reconstitution
    use_by_warning: UseByWarning | None = None
    price_per_unit: Range
    not_interchangeable: Sourced
    syringes: Syringes


class AftercareItem(Sourced):
    id: str
    text: LocalText
    urgent: bool = False

    _patient = field_validator("text", mode="before")(_text)


class Knowledge(Strict):
    """The whole knowledge base as the files give it."""

    id: str
    version: str
    languages: tuple[str, ...] = ("en",)
    sources: tuple[Source, ...]
    product: Product
    zones: tuple[Zone, ...]
    modifiers: tuple[Modifier, ...]
    timing: Timing
    safety: Safety
    aftercare: tuple[AftercareItem, ...]
    zone_combinations: tuple[ZoneCombination, ...] = ()

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value
