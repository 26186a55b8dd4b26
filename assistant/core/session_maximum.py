"""The session maximum: today's plan and the doses given in its window before, against the cap."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from assistant.core.knowledge_model import CumulativeCap
from assistant.core.plan import EarlierDoses, PlanWarning, Reason
from assistant.core.text import number


def session_maximum(
    cap: CumulativeCap, session_max: float, earlier: EarlierDoses | None, total: Decimal | Fraction
) -> tuple[Reason | None, PlanWarning | None]:
    """(the refusal when today's total and the earlier doses pass ``session_max``, else None;
    an ``earlier_doses`` note when earlier doses count). Counted exactly (a total in thirds of a unit)."""
    sources = cap.sources
    total = Fraction(total)
    given = Fraction(str(earlier.units)) if earlier else Fraction(0)
    window = earlier.window_days if earlier else cap.window_days
    note = None
    if earlier is not None and not earlier.counted:
        note = PlanWarning(
            code="earlier_doses_unknown",
            message=f"No date of birth was recorded, so the patient could not be identified in the record: doses "
            f"given in the last {window} days could not be counted towards the session maximum of "
            f"{number(session_max)} U. Check the patient's record before injecting. [{', '.join(sources)}]",
            severity="warning",
        )
    elif given > 0:
        note = PlanWarning(
            code="earlier_doses",
            message=f"{number(float(given))} U given in the last {window} days; they count towards the session "
            f"maximum of {number(session_max)} U over {window} days. [{', '.join(sources)}]",
            severity="info",
        )
    if total + given <= Fraction(str(session_max)):
        return None, note
    if given > 0:
        message = (
            f"the plan totals {number(float(total))} U and {number(float(given))} U were given in the last "
            f"{window} days: {number(float(total + given))} U, above the maximum of "
            f"{number(session_max)} U over {window} days; no dose is planned. Treat fewer zones today, "
            "or wait until the earlier doses are out of the window."
        )
        code = "cumulative_max"
    else:
        message = (
            f"the plan totals {number(float(total))} U, above the session maximum of "
            f"{number(session_max)} U; no dose is planned. Treat fewer zones today."
        )
        code = "session_max"
    return Reason(code=code, message=message, source=", ".join(sources), sources=sources), note
