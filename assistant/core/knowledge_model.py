"""What the knowledge files in knowledge/ may say, as validated models.

Every figure sits in a block that names its sources (ids from ``sources``), so that a plan line can
always answer "why this number?". A figure the clinical reference does not give is marked
``unverified``; a choice the product made within a sourced range is marked ``product_choice``.
Python code holds no clinical number: it reads them all from here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from assistant.core.face_points import FacePoints
from assistant.core.knowledge_figures import (
    LARGEST,
    MOST_DAYS,
    CumulativeCap,
    LocalText,
    Range,
    Sourced,
    Strict,
    Value,
    _text,
)
from assistant.core.knowledge_timing import BandWarning, FollowUp, Timing, TimingBand, TouchUp
from assistant.core.knowledge_zones import Points, VolumeError, Zone
from assistant.core.syringe_model import Syringes

__all__ = [
    "AUTHORITY_ORDER",
    "LARGEST",
    "MOST_DAYS",
    "AftercareItem",
    "Authority",
    "BandWarning",
    "Contraindication",
    "CumulativeCap",
    "FollowUp",
    "Knowledge",
    "LocalText",
    "Modifier",
    "ModifierRule",
    "Points",
    "Product",
    "Range",
    "Reconstitution",
    "Safety",
    "Source",
    "Sourced",
    "Strict",
    "Symmetry",
    "Timing",
    "TimingBand",
    "TouchUp",
    "UseByWarning",
    "Value",
    "VialDilution",
    "VolumeError",
    "Zone",
    "ZoneCombination",
]


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
    unverified: bool = False
    """The grade is not one the clinical reference gives (a kind of source its order does not name)."""
    note: str | None = None

    @property
    def rank(self) -> tuple[int, bool]:
        """Sort key by authority: lower is stronger; another product's label ranks after our own."""
        return AUTHORITY_ORDER.index(self.authority), self.other_product is not None


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
    """Paired doses: when a gap between the sides warns, the most a measured asymmetry may add, and
    the rule that keeps the weaker side at its zone's typical minimum (each figure with its marks)."""

    warn_gap_above_units: float = Field(ge=0, le=LARGEST)
    message: str
    extra_units_max: Value
    """The most extra units a measured asymmetry gives the stronger side (the question's upper bound)."""
    weaker_side_minimum: Sourced
    """Where the rule "the weaker side never goes below the zone's typical minimum" comes from."""

    @model_validator(mode="after")
    def _some_extra(self) -> Symmetry:
        if self.extra_units_max.value <= 0:
            raise ValueError("extra_units_max must be above 0 U: no asymmetry could be measured")
        return self


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


class VialDilution(Strict):
    """The label's saline for one vial size."""

    vial_units: float = Field(gt=0, le=LARGEST)
    saline_ml: float = Field(gt=0, le=1000)


class Reconstitution(Sourced):
    """The label's preparation: ``saline_ml`` per ``vial_units`` (the vial assumed when a clinic names
    none), the saline for each vial size (``per_vial``), and how long a vial may be used."""

    saline_ml: float = Field(gt=0, le=1000)
    vial_units: float = Field(gt=0, le=LARGEST)
    use_within_hours: float = Field(gt=0, le=LARGEST)
    per_vial: tuple[VialDilution, ...] = Field(min_length=1)

    def saline_for(self, vial_units: float) -> float | None:
        """The label's saline for a vial of ``vial_units`` (None: the label has no such vial)."""
        return next((v.saline_ml for v in self.per_vial if v.vial_units == vial_units), None)

    @model_validator(mode="after")
    def _default_is_a_vial(self) -> Reconstitution:
        if self.saline_for(self.vial_units) != self.saline_ml:
            raise ValueError(
                f"per_vial must give the default vial too: {self.vial_units:g} U with {self.saline_ml:g} mL"
            )
        return self


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

    @model_validator(mode="after")
    def _every_vial_has_its_saline(self) -> Product:
        given = {v.vial_units for v in self.reconstitution.per_vial}
        missing = [size for size in self.vial_sizes if size not in given]
        if missing:
            raise ValueError(
                f"reconstitution.per_vial gives no saline for the {', '.join(f'{m:g} U' for m in missing)} vial"
            )
        return self


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
    face_points: FacePoints | None = None
    """Where the face diagram draws each zone's points (knowledge/face.yaml); None: no diagram."""

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value
