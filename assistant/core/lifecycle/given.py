"""What was given, against what was planned.

By default the doses given are exactly the plan: one line per zone and side (a split dose, two plan
lines, is one given line with their units and points added). An injector may record something
else; every line that differs from the plan (other units or points, a zone or side not planned, a
planned one left out) needs a reason, and a planned line left out is written as ``units: 0`` with
its reason, so that nothing disappears from the record without a word.

Whatever path builds them (the plan, a given file, the vials drawn from, an amendment),
``given_problems`` checks the lines before they are kept: each dose given is one the syringe can
measure (a whole number of its steps, at least one a point: never 1e-300 U), and no lot had expired
before the day of giving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.lifecycle.given_lines import GivenLine
from assistant.core.plan import Plan, Side
from assistant.core.syringe import PRINTED, SyringeScale, exact, shown, steps_in
from assistant.core.syringe_model import Syringe
from assistant.core.text import counted
from assistant.core.text_safety import reason_problem


class NothingToGive(Exception):
    """A contraindicated or refused consult, or a plan without doses: there is nothing to give."""


class GivenEntry(BaseModel):
    """One line of a ``--given`` file (or of the UI's "given" screen) before it is checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zone: str
    side: Side | None = None
    """Left or right for a paired zone; may be left out for a central one."""
    units: float = Field(ge=0, le=1000)
    points: int = Field(ge=0, le=100)
    lot: str | None = None
    expiry: dt.date | None = None
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class GivenProblem:
    """A problem with entry ``index`` (0-based) of what was given; ``field`` names the key."""

    index: int
    field: str
    message: str


class InvalidGiven(ValueError):
    """Given lines that cannot be recorded; ``problems`` says which entry and why."""

    def __init__(self, problems: list[GivenProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def planned_doses(plan: Plan) -> dict[tuple[str, str], tuple[float, int]]:
    """Units and points the plan gives each (zone, side), in plan order; the units summed exactly."""
    doses: dict[tuple[str, str], tuple[Fraction, int]] = {}
    for line in plan.lines:
        units, points = doses.get((line.zone, line.side), (Fraction(0), 0))
        doses[(line.zone, line.side)] = (units + plan.exact_units(line), points + line.points)
    return {key: (float(units), points) for key, (units, points) in doses.items()}


def given_step(plan: Plan, default: Syringe) -> Fraction:
    """The step a given dose is measured in: the plan's syringe at the plan's dilution (``default``,
    the knowledge base's syringe, for a plan made before syringes were kept)."""
    step = plan.unit_step
    if step is not None:
        return step
    dilution = plan.dilution
    return SyringeScale(default, exact(dilution.vial_units) / exact(dilution.saline_ml)).step


def given_problems(lines: Sequence[GivenLine], step: Fraction, day: dt.date) -> list[GivenProblem]:
    """What makes given lines unfit to keep, each naming its line: a dose no syringe step makes (less
    than one step a point, or between the marks), a lot that expired before ``day``, the day of giving.
    The one check every path that records a dose goes through (give, amend, the UI's and the CLI's)."""
    problems = []
    for index, line in enumerate(lines):
        if line.units <= 0:
            continue  # a planned line not given: its reason says why, and no lot was used
        where = f"line {index + 1} ({line.zone} {line.side})"
        steps = steps_in(line.units, step)
        if steps is None or steps < line.points:
            least = shown(step * max(line.points, 1))
            problems.append(
                GivenProblem(
                    index,
                    "units",
                    f"{where}: {line.units:g} U in {counted(line.points, 'point')} is not a dose the syringe "
                    "measures: each "
                    f"point takes a whole number of its steps of {shown(step)} U, at least one ({least} U for "
                    f"{counted(line.points, 'point')}).",
                )
            )
        for lot, expiry in _lots(line):
            if expiry < day:
                problems.append(
                    GivenProblem(
                        index,
                        "expiry",
                        f"{where}: lot {lot} expired on {expiry.isoformat()}, before the day of giving "
                        f"({day.isoformat()}); an expired lot is never recorded as given.",
                    )
                )
    return problems


def _lots(line: GivenLine) -> list[tuple[str, dt.date]]:
    """Each lot a line names with its expiry: its own, and those of the vials it was drawn from."""
    found = [(draw.lot, draw.expiry) for draw in line.draws]
    if line.expiry is not None:
        found.append((line.lot or "(no lot named)", line.expiry))
    return list(dict.fromkeys(found))


def same_dose(given: float, planned: float) -> bool:
    """A dose typed as it was printed (8.333 for 25/3 U) is the planned dose."""
    return abs(exact(given) - exact(planned)) <= PRINTED


def check_can_give(plan: Plan) -> None:
    if plan.status != "planned":
        raise NothingToGive(f"This consult was recorded as {plan.status}: there is nothing to give.")
    if not plan.lines:
        raise NothingToGive("This consult's plan has no doses: there is nothing to give.")


def lines_from_plan(plan: Plan, lot: str | None, expiry: dt.date | None) -> tuple[GivenLine, ...]:
    """Exactly the plan, one line per zone and side."""
    check_can_give(plan)
    return tuple(
        GivenLine(zone=zone, side=side, units=units, points=points, lot=lot, expiry=expiry)  # type: ignore[arg-type]
        for (zone, side), (units, points) in planned_doses(plan).items()
    )


def compare_with_plan(
    plan: Plan,
    entries: list[GivenEntry],
    *,
    paired: dict[str, bool],
    lot: str | None,
    expiry: dt.date | None,
) -> tuple[tuple[GivenLine, ...], list[GivenProblem]]:
    """The given lines of ``entries``, each marked when it differs from the plan, and the problems.

    ``paired`` tells, for every zone the knowledge base knows, whether it is planned per side.
    """
    check_can_give(plan)
    planned = planned_doses(plan)
    problems: list[GivenProblem] = []
    lines: list[GivenLine] = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        if entry.zone not in paired:
            problems.append(GivenProblem(index, "zone", f"'{entry.zone}' is not a zone of the knowledge base."))
            continue
        side = entry.side or ("center" if not paired[entry.zone] else None)
        if side is None:
            problems.append(GivenProblem(index, "side", f"{entry.zone} is given per side: add side: left or right."))
            continue
        if paired[entry.zone] == (side == "center"):
            expected = "left or right" if paired[entry.zone] else "center (or leave side out)"
            problems.append(GivenProblem(index, "side", f"{entry.zone} takes side {expected}, not {side}."))
            continue
        if (entry.zone, side) in seen:
            problems.append(GivenProblem(index, "zone", f"{entry.zone} {side} is given twice; give it on one line."))
            continue
        seen.add((entry.zone, side))
        if (entry.units == 0) != (entry.points == 0):
            problems.append(GivenProblem(index, "points", "units and points are both 0 (not given) or both above 0."))
            continue
        planned_units, planned_points = planned.get((entry.zone, side), (None, None))
        differs = planned_units is None or not (
            same_dose(entry.units, planned_units) and entry.points == planned_points
        )
        reason = (entry.reason or "").strip() or None
        if problem := reason_problem(reason):
            problems.append(GivenProblem(index, "reason", problem))
            continue
        if problem := reason_problem(entry.note, "A note"):
            problems.append(GivenProblem(index, "note", problem))
            continue
        if differs and reason is None:
            what = "is not in the plan" if (entry.zone, side) not in planned else "differs from the plan"
            planned_units, planned_points = planned.get((entry.zone, side), (0, 0))
            problems.append(
                GivenProblem(
                    index,
                    "reason",
                    f"{entry.zone} {side} {what} (planned {planned_units:g} U in {planned_points} points, "
                    f"given {entry.units:g} U in {entry.points}): add a reason.",
                )
            )
            continue
        lines.append(
            GivenLine(
                zone=entry.zone,
                side=side,  # type: ignore[arg-type]
                units=entry.units if differs else planned_units,  # as typed, or the plan's exact figure
                points=entry.points,
                lot=entry.lot or lot,
                expiry=entry.expiry or expiry,
                differs_from_plan=differs,
                reason=reason if differs else None,
                note=entry.note,
            )
        )
    for (zone, side), (units, points) in planned.items():
        if (zone, side) not in seen:
            problems.append(
                GivenProblem(
                    len(entries),
                    "zone",
                    f"the plan gives {zone} {side} {units:g} U in {points} points but the file leaves it out: "
                    "add it, or add it with units: 0, points: 0 and the reason it was not given.",
                )
            )
    if not any(line.units > 0 for line in lines) and not problems:
        problems.append(GivenProblem(0, "units", "every line is 0: nothing was given, so there is nothing to record."))
    return tuple(lines), problems
