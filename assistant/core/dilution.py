"""The clinic's dilution and syringe, as every dose, volume and dose question uses them.

A clinic may name its saline, its vial size, both or neither; what it leaves out is the label's
(``knowledge/product.yaml``, reconstitution). A vial size named without its saline takes the label's
saline for that vial (1.25 mL for a 50 U vial: 4 U per 0.1 mL), never the 100 U vial's 2.5 mL, which
would halve the strength of every dose drawn. Pure: the settings and the knowledge are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from assistant.core.consult import ASYMMETRIES
from assistant.core.dose_bounds import DoseBounds, dose_bounds
from assistant.core.knowledge import KnowledgeBase
from assistant.core.knowledge_model import Product
from assistant.core.syringe import SyringeScale, exact
from assistant.settings import ClinicSettings


class UnknownSyringe(KeyError):
    """The clinic settings name a syringe the knowledge base does not describe."""


class UnknownVial(ValueError):
    """The clinic settings name a vial size the label does not prepare, without saying its saline."""


@dataclass(frozen=True)
class ClinicDilution:
    """``saline_ml`` of saline in a vial of ``vial_units``, exactly as written."""

    vial_units: Fraction
    saline_ml: Fraction

    @property
    def units_per_ml(self) -> Fraction:
        return self.vial_units / self.saline_ml


def vial_problem(product: Product, clinic: ClinicSettings) -> str | None:
    """Why the clinic's dilution cannot be worked out (a vial the label does not prepare, no saline)."""
    if clinic.saline_ml is not None or clinic.vial_units is None:
        return None
    if product.reconstitution.saline_for(clinic.vial_units) is not None:
        return None
    sizes = ", ".join(f"{v.vial_units:g} U" for v in product.reconstitution.per_vial)
    return (
        f"vial_units: the label gives no saline for a {clinic.vial_units:g} U vial (it prepares {sizes}); "
        "set saline_ml too, or leave vial_units out."
    )


def clinic_dilution(product: Product, clinic: ClinicSettings) -> ClinicDilution:
    """The clinic's saline and vial, the label's where the clinic names none (see the module's words)."""
    label = product.reconstitution
    units = clinic.vial_units if clinic.vial_units is not None else label.vial_units
    saline = clinic.saline_ml if clinic.saline_ml is not None else label.saline_for(units)
    if saline is None:
        raise UnknownVial(vial_problem(product, clinic))
    return ClinicDilution(vial_units=exact(units), saline_ml=exact(saline))


def clinic_scale(kb: KnowledgeBase, clinic: ClinicSettings) -> SyringeScale:
    """The clinic's syringe at the clinic's dilution: the steps every dose per point is drawn in."""
    try:
        syringe = kb.syringe(clinic.syringe)
    except KeyError:
        raise UnknownSyringe(clinic.syringe) from None
    return SyringeScale(syringe, clinic_dilution(kb.product, clinic).units_per_ml)


EXTRA_UNITS = f"{ASYMMETRIES}.extra_units"
"""The key of a measured asymmetry's extra units in the flow's bounds (``asymmetries.extra_units``,
one of ``consult.PLANNER_BOUNDED``)."""


def answer_bounds(kb: KnowledgeBase, clinic: ClinicSettings) -> dict[str, DoseBounds]:
    """The dose questions' bounds for this clinic: what ``Flow(..., bounds=...)`` asks within."""
    scale = clinic_scale(kb, clinic)
    most = kb.safety.symmetry.extra_units_max
    words = f"knowledge base: safety/symmetry/extra_units_max [{', '.join(most.sources)}]"
    return {EXTRA_UNITS: dose_bounds(scale.step, exact(most.value), scale.describe(), words)}
