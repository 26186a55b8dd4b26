"""A dose recorded past a limit, and the medical director's override that let it be recorded.

Planning never passes a zone's limit or the session maximum; what is recorded as given is checked
against the same limits (``dose_limits``). Past one, nothing is recorded unless a medical director
overrides it with a reason: the override is kept on the record (``Given.override``) with the breaches
it overrode, so the record itself says who let which figure pass, and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.core.lifecycle.staff import ROLE_WORDS, NotPermitted, Role, a_role
from assistant.core.plan import Side


class Breach(BaseModel):
    """One limit passed by the doses being recorded, with both figures.

    ``kind`` "zone": ``units`` given on one side of ``zone`` (a central zone: all of it) against its
    ``limit``. ``kind`` "session": ``units`` given in this consult plus ``earlier_units`` given in the
    ``window_days`` before, against the session maximum ``limit``. ``kind`` "timing": ``units`` given
    to ``zone`` that its doses recorded in another consult make wait (``limit`` 0: none until then).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: Literal["zone", "session", "timing"]
    zone: str | None = None
    side: Side | None = None
    units: float
    earlier_units: float = 0
    limit: float
    window_days: int | None = None
    message: str
    sources: tuple[str, ...] = ()


class Override(BaseModel):
    """A medical director's decision to record doses past a limit: who, as what, when, why, and
    which breaches it covers."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    by: str
    role: Role
    at: dt.datetime
    reason: str
    breaches: tuple[Breach, ...]

    def words(self) -> str:
        """One line for the audit trail and the record's history."""
        passed = "; ".join(b.message for b in self.breaches)
        return f"limit overridden by {self.by} ({ROLE_WORDS[self.role]}): {self.reason} [{passed}]"


class OverLimit(Exception):
    """Exit code 4: the doses being recorded pass a limit and no medical director overrode it.
    ``breaches`` says which, with both figures."""

    def __init__(self, breaches: tuple[Breach, ...], *, can_override: bool = True) -> None:
        self.breaches = breaches
        what = "; ".join(b.message for b in breaches)
        then = (
            " Nothing was recorded; a medical director may record it with their reason (--override-reason)."
            if can_override
            else " Nothing was recorded."
        )
        super().__init__(f"{what}.{then}")


def decide(breaches: tuple[Breach, ...], by: str, role: Role, at: dt.datetime, reason: str | None) -> Override | None:
    """The override the record keeps, None when no limit is passed; ``OverLimit`` past a limit
    without a reason, ``NotPermitted`` when the one giving the reason is not a medical director."""
    if not breaches:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise OverLimit(breaches)
    if role != "medical_director":
        what = "; ".join(b.message for b in breaches)
        raise NotPermitted(
            f"{what}. {by} is {a_role(role)}: only a medical director may record doses past a limit; "
            "nothing was recorded."
        )
    return Override(by=by, role=role, at=at, reason=reason, breaches=breaches)
