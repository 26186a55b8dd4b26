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
