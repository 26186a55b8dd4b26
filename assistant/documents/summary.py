"""What the practitioner's dose summary is given: the plan, and everything a signer checks it against.

``summary_context`` keeps the keys the summary has always had (``plan``, ``clinic``, ``sources``,
``record``, ``paper``) and adds, as plain values:

- ``rows``: one per zone and side, a split dose in one row ("4 x 4.5 U + 1 x 4 U"), with last time's
  units on that side beside today's; zones treated last time and not today follow with ``today`` false.
- ``cost``: the plan's cost as ``assistant.documents.money`` writes it ("₩706", "$520.00"), or
  "not set" when the clinic has no price.
- ``diagram``: the face diagram (SVG markup: every point with its units, the side totals), or None
  when nothing is injected.
- ``warnings``: the plan's warnings, most severe first (printed at the top).
- ``working``: why each zone and side got its dose, one entry for both sides when they agree.
- ``inputs``: every answer the numbers came from (sex, age, skin, muscle, effect, every screening
  answer, prior treatment, asymmetries), grouped by the script's sections, answers in words.
- ``last_time``: the date and total of the patient's previous consult, or None.
- ``signatures`` ([{name, role, meaning, at}]), ``amendments`` ([{version, at, by, reason}]) and
  ``version`` (the version of the record printed): empty and 1 until the record is signed or amended.
- ``badge``: the record's state as the summary heads it: PLANNED, GIVEN or SIGNED (a contraindicated
  or refused consult says so first, an amended record says AMENDED after it).
- ``trail``: {entry, head} of the audit trail when the summary was printed (the last entry's number
  and the first 12 hex digits of its hash), or None: a paper copy names the trail it came from, so a
  trail later cut off or rewritten before that entry no longer matches it.

Once doses are recorded as given, ``plan`` is the plan as given (``plan_as_given``): the rows, the
total, the cost and the follow-up say what was injected; ``given`` lists the lines given differently
with what was planned and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.injected import plan_as_given
from assistant.core.lifecycle.record import Given
from assistant.core.plan import Plan, PlanLine
from assistant.core.script import Script
from assistant.core.text import number
from assistant.documents.badge import state_badge
from assistant.documents.context import (
    NOT_RECORDED,
    _as_date,
    _check_paper,
    _long_date_or_none,
    _text_or_none,
    long_date,
)
from assistant.documents.face_diagram import summary_diagram
from assistant.documents.inputs import consult_inputs
from assistant.documents.money import NOT_SET, cost_text
from assistant.documents.record_entries import amendment_entries, given_entry, signature_entries
from assistant.settings import ClinicSettings

#: Warnings are printed most severe first.
SEVERITY_ORDER = ("danger", "warning", "info")

ZONE_COLUMN = 34
"""The text summary's zone column, widened to its longest label ("Crow's feet (lateral canthal lines) *"
is 37), so that no row's side, dose and units slide out from under their headings."""


def _short(label: str) -> str:
    """A zone's label without its anatomical name, for the dose table: "Crow's feet (lateral canthal
    lines)" -> "Crow's feet" (the full label stays in "Why these numbers")."""
    return label.split(" (")[0]


def _marks(value: object) -> str:
    return number(float(value)) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _row(zone_lines: list[PlanLine], last_units: float | None) -> dict[str, Any]:
    """One zone and side: its parts largest dose first, as "4 x 4.5 U + 1 x 4 U"."""
    parts = sorted(zone_lines, key=lambda line: -line.units_per_point)
    first = parts[0]
    marks = [getattr(line, "syringe_marks", None) for line in parts]
    return {
        "today": True,
        "zone": first.zone,
        "zone_label": first.zone_label,
        "zone_name": _short(first.zone_label),
        "off_label": any(line.off_label for line in parts),
        "side": first.side,
        "kind": "touch-up" if all(line.kind == "touch_up" for line in parts) else "full",
        "points": sum(line.points for line in parts),
        "units": sum(line.units for line in parts),
        "dose": " + ".join(f"{line.points} x {number(line.units_per_point)} U" for line in parts),
        "ml": " / ".join(f"{line.ml_per_point:.3f}" for line in parts),
        "marks": " / ".join(_marks(m) for m in marks) if any(m is not None for m in marks) else None,
        "volume": " / ".join(
            f"{line.ml_per_point:.3f}" + (f" ({_marks(m)})" if m is not None else "")
            for line, m in zip(parts, marks, strict=True)
        ),
        "parts": [
            {
                "points": line.points,
                "units_per_point": line.units_per_point,
                "ml_per_point": line.ml_per_point,
                "syringe_marks": getattr(line, "syringe_marks", None),
            }
            for line in parts
        ],
        "last_units": last_units,
    }


def dose_rows(plan: Plan, previous: Plan | None = None) -> list[dict[str, Any]]:
    """Today's rows in plan order, then the zones and sides treated last time only."""
    groups: dict[tuple[str, str], list[PlanLine]] = {}
    for line in plan.lines:
        groups.setdefault((line.zone, line.side), []).append(line)
    rows = [
        _row(lines, (previous.units_for(zone, side) or None) if previous else None)  # type: ignore[arg-type]
        for (zone, side), lines in groups.items()
    ]
    if previous is not None:
        seen = set(groups)
        for line in previous.lines:
            if (line.zone, line.side) in seen:
                continue
            seen.add((line.zone, line.side))
            rows.append(
                {
                    "today": False,
                    "zone": line.zone,
                    "zone_label": line.zone_label,
                    "zone_name": _short(line.zone_label),
                    "off_label": line.off_label,
                    "side": line.side,
                    "last_units": previous.units_for(line.zone, line.side),
                }
            )
    return rows


def working(plan: Plan) -> list[dict[str, Any]]:
    """Why each zone and side got its dose, once per zone when both sides have the same working:
    [{zone, zone_label, side ("left and right", "center", ...), why, sources, unverified}]."""
    items: list[dict[str, Any]] = []
    for line in plan.lines:
        last = items[-1] if items else None
        if last is not None and last["zone"] == line.zone and line.side in last["sides"]:
            last["unverified"] = last["unverified"] or line.unverified
            continue
        if last is not None and (last["zone"], last["why"], last["sources"]) == (line.zone, line.why, line.sources):
            last["sides"].append(line.side)
            last["unverified"] = last["unverified"] or line.unverified
            continue
        items.append(
            {
                "zone": line.zone,
                "zone_label": line.zone_label,
                "sides": [line.side],
                "why": line.why,
                "sources": line.sources,
                "unverified": line.unverified,
            }
        )
    for item in items:
        item["side"] = " and ".join(item["sides"])
    return items


def summary_context(
    plan: Plan,
    kb: KnowledgeBase,
    clinic: ClinicSettings,
    *,
    staff: str | None = None,
    lot_number: str | None = None,
    lot_expiry: date | str | None = None,
    answers: Mapping[str, object] | None = None,
    paper: str = "a4",
    script: Script | None = None,
    previous: Plan | None = None,
    signatures: Iterable[object] | None = None,
    amendments: Iterable[object] | None = None,
    version: int | None = None,
    given: Given | None = None,
    state: str | None = None,
    entered_on: date | None = None,
    trail: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """The dose summary's context (see the module's docstring; the record's keys are listed in
    prompts/templates/dose_summary.txt.j2).

    Lot number and expiry come from the arguments, else from the answers (``lot_number``,
    ``lot_expiry``); a missing one is None and printed as "not recorded". ``script`` puts the answers
    in words and sections; ``previous`` is the plan of the patient's previous consult (as given,
    when doses were recorded); ``state``: the record's (None: a plan not kept); ``entered_on``: the
    day a back-entered consult was entered; ``trail``: the audit trail's (last entry, its hash) now.
    """
    answers = answers or {}
    planned, plan = plan, plan_as_given(plan, given, kb)
    lot_number = _text_or_none(lot_number if lot_number is not None else answers.get("lot_number"))
    expiry_value = lot_expiry if lot_expiry is not None else answers.get("lot_expiry")
    expiry = _as_date(expiry_value)
    expiry_text = long_date(expiry) if expiry else _text_or_none(expiry_value)
    versions = plan.versions
    titles = {s.id: s.title for s in kb.knowledge.sources}
    cited = dict.fromkeys(
        source
        for group in (
            *(r.sources or (r.source,) for r in plan.reasons),
            *(line.sources for line in plan.lines),
            *(m.sources for m in plan.modifiers),
            *(d.sources for d in plan.deferred),
        )
        for source in group
    )
    changes = amendment_entries(amendments)
    numbered = [a["version"] for a in changes if isinstance(a["version"], int)]
    previous = previous if previous is not None and previous.lines else None
    return {
        "plan": plan,
        "clinic": clinic,
        "sources": titles,
        "paper": _check_paper(paper),
        "warnings": sorted(plan.warnings, key=lambda w: SEVERITY_ORDER.index(w.severity)),
        "rows": (rows := dose_rows(plan, previous)),
        "zone_width": max([ZONE_COLUMN, *(len(row["zone_label"]) + 2 * bool(row["off_label"]) for row in rows)]),
        "working": working(plan),
        "cost": cost_text(plan.cost, plan.currency) or NOT_SET,
        "diagram": summary_diagram(plan, kb),
        "inputs": consult_inputs(answers, script),
        "last_time": {
            "date": long_date(previous.today),
            "date_iso": previous.today.isoformat(),
            "total_units": previous.total_units,
        }
        if previous is not None
        else None,
        "signatures": signature_entries(signatures),
        "given": given_entry(given, planned, lot_number, expiry),
        "badge": state_badge(plan.status, state, bool(changes)),
        "amendments": changes,
        "version": version or max(numbered, default=1),
        "trail": {"entry": trail[0], "head": trail[1][:12]} if trail else None,
        "record": {
            "patient_name": plan.patient_name,
            "patient_id": _text_or_none(answers.get("patient_id")),
            "goals": _text_or_none(answers.get("goals")),
            "date": long_date(plan.today),
            "date_iso": plan.today.isoformat(),
            "entered_on": entered_on.isoformat() if entered_on is not None else None,
            "state": state or "planned",
            "staff": _text_or_none(staff),
            "lot_number": lot_number,
            "lot_expiry": expiry_text,
            "lot_expired": bool(expiry and expiry < plan.today),
            "script": f"{versions.script_id} {versions.script_version}",
            "knowledge": f"{versions.knowledge_id} {versions.knowledge_version}",
            "product": kb.product.name,
            "not_recorded": NOT_RECORDED,
            "cited": [{"id": source, "title": titles.get(source, "")} for source in cited],
            "review_date": long_date(plan.follow_up.review_date),
            "touch_up_from": _long_date_or_none(plan.follow_up.touch_up_from),
            "touch_up_to": _long_date_or_none(plan.follow_up.touch_up_to),
            "next_full_treatment": _long_date_or_none(plan.follow_up.next_full_treatment),
        },
    }
