"""The syringes a clinic may draw with, as the knowledge base describes them (``product.syringes``).

Kept apart from the clinical figures: a syringe's geometry is a fact of the device, which the
clinical reference does not give, so it is marked ``device_fact`` instead of naming a source.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Syringe(Strict):
    """A syringe a clinic may draw with: how its marks measure a volume.

    Marks are the syringe's own graduations (a U-100 insulin syringe has 100 to the mL);
    ``mark_step`` is the finest one can be read to (0.5: half marks). The clinical reference gives
    no syringe figures: geometry is a fact of the device (``device_fact``), or names its sources.
    """

    id: str
    label: str
    capacity_ml: float = Field(gt=0)
    marks_per_ml: float = Field(gt=0)
    mark_step: float = Field(gt=0)
    device_fact: bool = False
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _says_where_from(self) -> Syringe:
        if not self.sources and not self.device_fact:
            raise ValueError("a syringe names its sources, or is marked device_fact: true")
        return self


class Syringes(Strict):
    """The syringes a clinic may choose in its settings, and the one assumed when it chooses none."""

    default: str
    product_choice: bool = False
    note: str | None = None
    choices: tuple[Syringe, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_is_a_choice(self) -> Syringes:
        if self.default not in {s.id for s in self.choices}:
            raise ValueError(f"default '{self.default}' is not one of the syringes' ids")
        return self

    def get(self, syringe_id: str | None) -> Syringe | None:
        wanted = syringe_id or self.default
        return next((s for s in self.choices if s.id == wanted), None)
