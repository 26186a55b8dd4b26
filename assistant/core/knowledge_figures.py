"""The building blocks of every knowledge figure: a value, a range or a text, with where it comes from.

Every figure sits in a block that names its sources (ids from ``sources``), so that a plan line can
always answer "why this number?". A figure the clinical reference does not give is marked
``unverified``; a choice the product made within a sourced range is marked ``product_choice``.
Kept apart from the models of zones, timing and the rest (``knowledge_model``), which all use them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
