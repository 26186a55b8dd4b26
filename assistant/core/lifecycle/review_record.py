"""The day-14 review as the record keeps it: per treated zone the effect and any residual left-right
difference, adverse events from a coded list with their severity, and the patient's satisfaction.

Added to a consult's record as a version of kind ``reviewed`` (a signed record takes a review
without an amendment: the review adds, it changes nothing that was signed).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from assistant.core.lifecycle.record_model import JsonAnswers, RecordModel

Effect = Literal["none", "partial", "full"]
Severity = Literal["mild", "moderate", "severe", "serious"]


class ZoneFinding(RecordModel):
    zone: str
    effect: Effect
    stronger_side: Literal["left", "right"] | None = None
    """The side that moves more (the residual difference), when there is one."""
    difference_mm: float | None = None
    difference_units: float | None = None


class AdverseEventFound(RecordModel):
    event: str
    """A code from the review script's list (``ptosis``, ``brow_drop``, ``headache``...)."""
    severity: Severity
    onset: dt.date | None = None
    note: str | None = None


class Review(RecordModel):
    at: dt.datetime
    by: str | None = None
    findings: tuple[ZoneFinding, ...] = ()
    adverse_events: tuple[AdverseEventFound, ...] = ()
    satisfaction: int | None = None
    """1 (not at all) to 5 (very), as the review script asks."""
    answers: JsonAnswers = {}
    script_version: str | None = None

    @property
    def serious(self) -> bool:
        return any(e.severity == "serious" for e in self.adverse_events)
