"""What G's form hands back (``GivenChoice``) and what it checks the rows against before the PIN
(``GivenLimits``): plain data, so the dialogs and the record desk name them without the screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.given import GivenEntry
from assistant.core.plan import EarlierDoses, RecordedTreatments
from assistant.settings import ClinicSettings


@dataclass(frozen=True)
class GivenChoice:
    entries: list[GivenEntry]
    vial_ids: list[str]
    override_reason: str | None = None
    """A medical director's reason for recording the rows past a limit (None: no limit is passed)."""


@dataclass(frozen=True)
class GivenLimits:
    """What the rows are checked against before the PIN: the knowledge base, the clinic settings,
    the patient's other doses in the window before today and in her other consults, and whether the
    one recording may override a limit (a medical director)."""

    kb: KnowledgeBase
    clinic: ClinicSettings
    earlier: EarlierDoses
    may_override: bool
    recorded: RecordedTreatments | None = None
    """The patient's doses given in her other consults: the zones they make wait (``dose_limits``)."""
    day: date | None = None
    """The day of giving, which ``recorded`` is counted to."""
