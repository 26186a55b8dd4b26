"""The dose plan: what the planner produces and every document, screen and record shows.

Field names are a contract (``botulax-consult run --format json``): add fields, rename none.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Side = Literal["left", "right", "center"]
Status = Literal["planned", "contraindicated", "refused"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class Reason(Frozen):
    """Why a consult is contraindicated or a plan refused."""

    code: str
    message: str
    source: str
    sources: tuple[str, ...] = ()
    patient_message: str | None = None


class PlanWarning(Frozen):
    code: str
    message: str
    zone: str | None = None
    severity: Literal["info", "warning", "danger"] = "warning"


class AppliedModifier(Frozen):
    name: str
    label: str
    factor: float
    reason: str
    sources: tuple[str, ...] = ()
    unverified: bool = False
    answer: str = ""
    """The answer that set it off, as a person reads it (e.g. "thick")."""


class PlanLine(Frozen):
    """One row of the dose table: ``points`` injections of ``units_per_point`` on one side of a zone."""

    zone: str
    zone_label: str
    side: Side
    kind: Literal["full", "touch_up"]
    points: int
    units_per_point: float
    """The dose per point as printed (3 places); exactly ``steps_per_point`` steps of the syringe."""
    units: float
    """Exactly ``points`` x the dose per point (the nearest float to it)."""
    steps_per_point: int | None = Field(
        default=None,
        description="The dose per point in steps of the syringe's marks at the plan's dilution "
        "(None in records made before it was kept).",
    )
    ml_per_point: float
    syringe_marks: float | None = Field(
        default=None, description="Marks of the clinic's syringe per point (None in records made before syringes)."
    )
    off_label: bool
    sources: tuple[str, ...]
    knowledge: tuple[str, ...] = Field(description="Knowledge entries this line's numbers came from.")
    unverified: bool = False
    why: str = ""


class Deferred(Frozen):
    zone: str
    zone_label: str = ""
    reason: str
    not_before: date
    patient_reason: str | None = None
    sources: tuple[str, ...] = ()


class FollowUp(Frozen):
    """When to see the patient again.

    After full doses: the review at the peak and the touch-up window. A plan made only of touch-ups
    has no touch-up window (``touch_up_from``/``touch_up_to`` are None): it gives the review and the
    next full treatment instead (the prior treatment + the retreatment interval). A plan that
    injects nothing (contraindicated, refused, every zone deferred) has no touch-up window either.
    """

    review_date: date
    touch_up_from: date | None = None
    touch_up_to: date | None = None
    next_full_treatment: date | None = None
    """For zones touched up today: not before this date (None when no zone is touched up)."""

    @property
    def touch_up_window(self) -> bool:
        return self.touch_up_from is not None and self.touch_up_to is not None


class Dilution(Frozen):
    saline_ml: float
    vial_units: float
    units_per_0_1_ml: float

    @property
    def units_per_ml(self) -> Fraction:
        """The units in one mL, exactly (0.1 is one tenth): what the plan's volumes are worked out at."""
        return Fraction(str(self.vial_units)) / Fraction(str(self.saline_ml))


class SyringeUse(Frozen):
    """The syringe a plan's volumes are measured in, and what one step of its marks holds here."""

    id: str
    label: str
    capacity_ml: float
    marks_per_ml: float
    mark_step: float
    units_per_step: float
    """Toxin units in the finest step of the marks at the plan's dilution: doses per point are multiples of it."""


class Versions(Frozen):
    script_id: str
    script_version: str
    knowledge_id: str
    knowledge_version: str


class EarlierDoses(Frozen):
    """Doses recorded as given to the patient in the days before the consult (the planner's input
    for the cumulative session maximum; the store is read by the caller, the planner stays pure)."""

    units: float = Field(ge=0)
    window_days: int
    consults: tuple[str, ...] = ()
    counted: bool = True
    """False when the patient could not be identified (no date of birth, so no two identifiers):
    nothing could be counted, and the plan says so instead of passing for a first visit."""


class RecordedDose(Frozen):
    """One zone's dose as the record holds it given (not planned): the day, the units over its sides,
    and whether its plan made it a touch-up."""

    zone: str
    given_on: date
    units: float = Field(ge=0)
    kind: Literal["full", "touch_up"] = "full"
    consult_id: str = ""


class VisitDilution(Frozen):
    """The dilution the doses of a patient's visit were drawn at: ``saline_ml`` in a vial of
    ``vial_units`` (``assistant.core.dilution_change``)."""

    consult_id: str
    given_on: date
    saline_ml: float = Field(gt=0)
    vial_units: float = Field(gt=0)


class ResidualFound(Frozen):
    """A left/right difference that remained at the review of a recorded treatment (the touch-up
    after it corrects it, and its plan line says it came from the review)."""

    zone: str
    stronger_side: Literal["left", "right"]
    difference_mm: float | None = None
    difference_units: float | None = None
    treated_on: date
    reviewed_on: date
    consult_id: str = ""


class RecordedTreatments(Frozen):
    """The patient's doses recorded as given, for the planner's timing rules: the record wins over a
    typed "last treatment", so a touch-up after a touch-up, or a full dose a few days after one, is
    never planned from a mistyped date. Read from the store by the caller; the planner stays pure."""

    doses: tuple[RecordedDose, ...] = ()
    last_dilution: VisitDilution | None = None
    """The dilution of the patient's last visit that gave doses (None: none recorded): a plan at
    another dilution says so, since every volume per point changes."""
    residuals: tuple[ResidualFound, ...] = ()
    """Differences measured at the reviews of these treatments, newest review last."""

    def residual(self, zone: str) -> ResidualFound | None:
        """The newest difference measured at a review on ``zone``."""
        return next((r for r in reversed(self.residuals) if r.zone == zone), None)

    def of_zone(self, zone: str, until: date) -> list[RecordedDose]:
        """The zone's doses given on or before ``until``, oldest first."""
        found = [d for d in self.doses if d.zone == zone and d.given_on <= until]
        return sorted(found, key=lambda d: (d.given_on, d.consult_id))


class Plan(Frozen):
    status: Status
    today: date
    patient_name: str
    reasons: tuple[Reason, ...] = ()
    lines: tuple[PlanLine, ...] = ()
    deferred: tuple[Deferred, ...] = ()
    total_units: float = 0
    vials: int = 0
    cost: float | None = None
    currency: str | None = None
    warnings: tuple[PlanWarning, ...] = ()
    follow_up: FollowUp
    modifiers: tuple[AppliedModifier, ...] = ()
    dilution: Dilution
    syringe: SyringeUse | None = None
    session_max_units: float
    versions: Versions
    earlier_units: float | None = None
    """Units recorded as given in the ``earlier_window_days`` before the consult (None: not known)."""
    earlier_window_days: int | None = None

    def lines_for(self, zone: str) -> list[PlanLine]:
        return [line for line in self.lines if line.zone == zone]

    @property
    def unit_step(self) -> Fraction | None:
        """Toxin units in one step of the syringe's marks at the plan's dilution, exactly (None: a plan
        made before syringes were kept)."""
        if self.syringe is None:
            return None
        syringe = self.syringe
        return Fraction(str(syringe.mark_step)) / Fraction(str(syringe.marks_per_ml)) * self.dilution.units_per_ml

    def exact_units(self, line: PlanLine) -> Fraction:
        """A line's units exactly: points x steps per point x the step (as written, for older records)."""
        step = self.unit_step
        if step is None or line.steps_per_point is None:
            return Fraction(str(line.units))
        return line.points * line.steps_per_point * step

    def exact_units_for(self, zone: str, side: Side) -> Fraction:
        """Units on one side of a zone, exactly: the sum of its lines' exact units."""
        lines = (line for line in self.lines if (line.zone, line.side) == (zone, side))
        return sum((self.exact_units(line) for line in lines), start=Fraction(0))

    def units_for(self, zone: str, side: Side) -> float:
        """Units on one side of a zone, summed exactly (2.6 + 2.4 is 5, not 5.000000000000001)."""
        return float(self.exact_units_for(zone, side))

    def warning_codes(self) -> set[str]:
        return {w.code for w in self.warnings}
