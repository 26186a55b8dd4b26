"""The calendar a consult lives in: the dates a consult and its answers may have.

Standard library only: the command line checks ``--today`` with it before the engine loads.
"""

from __future__ import annotations

from datetime import date

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
"""Wide enough for any patient, narrow enough that no day offset of a script or knowledge base
(at most 100 years) takes a date past the calendar (an OverflowError in the middle of a plan)."""


def date_problem(value: date) -> str | None:
    """Why ``value`` cannot be a consult's date or a date answer, or None."""
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return (
        f"{value.isoformat()} is outside the dates this program works with "
        f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})"
    )


def future_problem(consult_date: date, real_today: date) -> str | None:
    """Why a consult may not have ``consult_date`` on the real ``real_today`` (read by the caller), or
    None. A consult cannot be dated after the day it is entered: doses counted from a future date
    would escape the timing rules and the session maximum. An earlier date is a back-entry: allowed,
    and marked as such in the record."""
    if consult_date <= real_today:
        return None
    return (
        f"the consult date {consult_date.isoformat()} is after today ({real_today.isoformat()}): a consult "
        "cannot be dated in the future (an earlier date may be entered, and is marked as entered later)"
    )
