"""Rehearsal suites: answer files with an ``expect:`` section, run through flow + planner and compared.

Trainers change the script, the knowledge base and the templates; a rehearsal proves that the
consults they care about still plan what they should. The ``expect:`` section names only what
matters to the example (status, units/points/kind of chosen zones and sides, warnings that must or
must not appear, deferred zones, the answers an invalid example is refused for, the follow-up);
everything else may change freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.core.plan import Plan
from assistant.core.text import number
from assistant.files.loaders import load_answers
from assistant.files.resources import Resources
from assistant.files.yaml_source import validation_problems
from assistant.services.headless import consult_date, run_answer_file
from assistant.services.template_checks import document_problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SideExpectation(Strict):
    units: float | None = None
    points: int | None = None
    kind: Literal["full", "touch_up"] | None = None


class Expectation(Strict):
    """What an example must plan. Zones map to sides: ``left``/``right`` or ``center``."""

    status: Literal["planned", "contraindicated", "refused", "invalid"] | None = None
    zones: dict[str, dict[Literal["left", "right", "center"], SideExpectation]] = {}
    absent_zones: tuple[str, ...] = ()
    deferred: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    no_warnings: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    total_units: float | None = None
    problems: tuple[str, ...] = ()
    """Answer ids an invalid example must be refused for (e.g. asymmetries.0.extra_units)."""
    touch_up_window: bool | None = None
    next_full_treatment: date | None = None


def _sum(values: list[float]) -> float:
    """Units added as decimals (2.6 + 2.4 is 5)."""
    return float(sum((Decimal(str(v)) for v in values), Decimal(0)))


@dataclass
class Result:
    file: Path
    status: str
    differences: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def passed(self) -> bool:
        return not self.differences


def compare(
    expect: Expectation, plan: Plan | None, problems: list[str], problem_ids: list[str] | None = None
) -> list[str]:
    """Every way the outcome differs from the expectation, in plain words."""
    status = plan.status if plan is not None else "invalid"
    differences = []
    if expect.status is not None and expect.status != status:
        detail = f" ({problems[0]})" if problems else ""
        differences.append(f"status: expected {expect.status}, got {status}{detail}")
    named = problem_ids or []
    for question_id in expect.problems:
        if question_id not in named:
            differences.append(f"problem with '{question_id}': expected, missing (got: {', '.join(named) or 'none'})")
    if plan is None:
        return differences
    for zone, sides in expect.zones.items():
        for side, wanted in sides.items():
            lines = [line for line in plan.lines if line.zone == zone and line.side == side]
            where = f"{zone}/{side}"
            if not lines:
                differences.append(f"{where}: expected a dose, got none")
                continue
            units = _sum([line.units for line in lines])
            points = sum(line.points for line in lines)
            kinds = {line.kind for line in lines}
            if wanted.units is not None and units != wanted.units:
                differences.append(f"{where} units: expected {number(wanted.units)}, got {number(units)}")
            if wanted.points is not None and points != wanted.points:
                differences.append(f"{where} points: expected {wanted.points}, got {points}")
            if wanted.kind is not None and kinds != {wanted.kind}:
                differences.append(f"{where} kind: expected {wanted.kind}, got {', '.join(sorted(kinds))}")
    for zone in expect.absent_zones:
        if plan.lines_for(zone):
            differences.append(
                f"{zone}: expected no dose today, got {number(_sum([x.units for x in plan.lines_for(zone)]))} U"
            )
    deferred = {d.zone for d in plan.deferred}
    for zone in expect.deferred:
        if zone not in deferred:
            differences.append(f"{zone}: expected to be deferred, it is not")
    codes = plan.warning_codes()
    for code in expect.warnings:
        if code not in codes:
            differences.append(f"warning '{code}': expected, missing (got: {', '.join(sorted(codes)) or 'none'})")
    for code in expect.no_warnings:
        if code in codes:
            differences.append(f"warning '{code}': must not appear, but does")
    reasons = {r.code for r in plan.reasons}
    for code in expect.reasons:
        if code not in reasons:
            differences.append(f"reason '{code}': expected, missing (got: {', '.join(sorted(reasons)) or 'none'})")
    if expect.total_units is not None and plan.total_units != expect.total_units:
        differences.append(f"total: expected {number(expect.total_units)} U, got {number(plan.total_units)} U")
    follow = plan.follow_up
    if expect.touch_up_window is not None and follow.touch_up_window != expect.touch_up_window:
        differences.append(
            f"follow-up: expected {'a' if expect.touch_up_window else 'no'} touch-up window, got "
            f"{'one' if follow.touch_up_window else 'none'}"
        )
    if expect.next_full_treatment is not None and follow.next_full_treatment != expect.next_full_treatment:
        got = follow.next_full_treatment.isoformat() if follow.next_full_treatment else "none"
        differences.append(f"next full treatment: expected {expect.next_full_treatment.isoformat()}, got {got}")
    return differences


def rehearse_file(resources: Resources, path: Path, system_today: date) -> Result:
    loaded = load_answers(path)
    if loaded.value is None:
        return Result(path, "unreadable", [str(p) for p in loaded.problems])
    answer_file = loaded.value
    if answer_file.expect is None:
        return Result(path, "-", note="no expect: section; nothing to check")
    try:
        expect = Expectation.model_validate(answer_file.expect)
    except ValidationError as error:
        problems = validation_problems(answer_file.located, _under_expect(error), Expectation)
        return Result(path, "bad expect", [str(p) for p in problems])
    today = consult_date(answer_file, None, system_today)
    if not isinstance(today, date):
        return Result(path, "invalid", [str(today)])
    outcome = run_answer_file(resources, answer_file, today)
    status = outcome.plan.status if outcome.plan else "invalid"
    differences = compare(expect, outcome.plan, outcome.problems, outcome.problem_ids)
    if outcome.plan is not None and outcome.consult is not None:  # its documents, in every branch it reaches
        differences += document_problems(resources, outcome.plan, outcome.consult.answers)
    return Result(path, status, differences)


def _under_expect(error: ValidationError) -> list[dict]:
    """Pydantic's error locations, placed under the file's ``expect:`` key for line numbers."""
    return [{**item, "loc": ("expect", *item["loc"])} for item in error.errors()]


def rehearse(resources: Resources, folder: Path, system_today: date) -> list[Result]:
    return [rehearse_file(resources, path, system_today) for path in sorted(folder.glob("*.yaml"))]


def table(results: list[Result], folder: Path) -> str:
    """The pass/fail table, differences indented under each failing example."""
    width = max([len(r.file.name) for r in results] + [7])
    rows = [f"{'example':{width}}  {'status':15}  result"]
    for result in results:
        verdict = "pass" if result.passed and not result.note else ("FAIL" if not result.passed else "skipped")
        rows.append(f"{result.file.name:{width}}  {result.status:15}  {verdict}")
        rows += [f"    - {difference}" for difference in result.differences]
        if result.note:
            rows.append(f"    ({result.note})")
    failed = sum(1 for r in results if not r.passed)
    skipped = sum(1 for r in results if r.passed and r.note)
    passed = len(results) - failed - skipped
    rows.append(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "") + f" in {folder}")
    return "\n".join(rows)
