"""The record's part of the dose summary, as plain values: signatures, amendments, what was given
and a medical director's override of a limit. Kept apart from ``summary`` (the plan's part) so each
file has one job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from assistant.core.lifecycle.given import planned_doses
from assistant.core.lifecycle.override import Override
from assistant.core.lifecycle.record import Given
from assistant.core.lifecycle.staff import ROLE_WORDS
from assistant.core.lifecycle.vials import lot_key
from assistant.core.plan import Plan
from assistant.documents.context import long_date


def _moment(value: object) -> str:
    """A signing or amending time as the record prints it: 2026-11-24 10:15 UTC."""
    if isinstance(value, dt.datetime):
        zone = value.tzname() if value.tzinfo is not None else None
        return value.strftime("%Y-%m-%d %H:%M") + (f" {zone}" if zone else "")
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value is not None else ""


def _field(item: object, name: str) -> object:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def signature_entries(signatures: Iterable[object] | None) -> list[dict[str, str]]:
    """Signatures as plain values, from mappings or models with name, role, meaning and at."""
    return [
        {
            "name": str(_field(s, "name") or ""),
            "role": str(_field(s, "role") or ""),
            "meaning": str(_field(s, "meaning") or ""),
            "at": _moment(_field(s, "at")),
        }
        for s in signatures or ()
    ]


def amendment_entries(amendments: Iterable[object] | None) -> list[dict[str, Any]]:
    """Amendments as plain values, oldest first, from mappings or models with version, at, by and reason."""
    entries = [
        {
            "version": _field(a, "version"),
            "at": _moment(_field(a, "at")),
            "by": str(_field(a, "by") or ""),
            "reason": str(_field(a, "reason") or ""),
        }
        for a in amendments or ()
    ]
    return sorted(entries, key=lambda a: a["version"] if isinstance(a["version"], int) else 0)


def given_entry(
    given: Given | None, plan: Plan, consult_lot: str | None = None, consult_expiry: dt.date | None = None
) -> dict[str, Any] | None:
    """What was recorded as given, for the summary: who, when, the lots, a medical director's
    override of a limit, and the lines that differ from the plan with their reasons (None when
    nothing is recorded). ``not_the_consults_lot``: the consult named ``consult_lot`` (its lot
    question) and some doses came from another vial's lot (``other_lots``): the summary's lot at its
    top is then not (or not only) the lot given, and says so, so that nobody reading the paper traces
    the doses to it alone.
    ``vial_expiry``: the expiry of the consult's lot on the vials drawn from, when the consult's
    expiry (typed at its lot question, and confirmed against the ledger) is another: the paper's top
    then shows a date the doses do not carry, and says so beside them."""
    if given is None:
        return None
    labels = {line.zone: line.zone_label for line in plan.lines}
    planned = planned_doses(plan)
    lines = given.lines
    lots = list(dict.fromkeys(lot for line in lines for lot in line.lots))
    other_lots = [lot for lot in lots if consult_lot and lot_key(lot) != lot_key(consult_lot)]
    return {
        "by": given.by,
        "at": given.at.astimezone().strftime("%Y-%m-%d %H:%M"),
        "total_units": sum(line.units for line in lines),
        "lots": lots,
        "by_lot": _by_lot(given),
        "not_the_consults_lot": bool(other_lots),
        "other_lots": other_lots,
        "vial_expiry": _other_expiry(given, consult_lot, consult_expiry),
        "override": override_entry(given.override),
        "differences": [
            {
                "zone_label": labels.get(line.zone, line.zone.replace("_", " ")),
                "side": line.side,
                "units": line.units,
                "points": line.points,
                "planned_units": planned.get((line.zone, line.side), (0.0, 0))[0],
                "planned_points": planned.get((line.zone, line.side), (0.0, 0))[1],
                "reason": line.reason or "",
            }
            for line in lines
            if line.differs_from_plan
        ],
    }


def _by_lot(given: Given) -> list[dict[str, Any]]:
    """Each lot the doses came from, in the order drawn, with its units and expiry: a line drawn from
    two vials of two lots gives each its share. A summary printed "lot A, B" with only the first lot's
    expiry at its top, and a tryout read the second lot as undated."""
    found: dict[str, dict[str, Any]] = {}
    for line in given.lines:
        if line.units <= 0:
            continue
        parts = [(d.lot, d.units, d.expiry) for d in line.draws] or [(line.lot, line.units, line.expiry)]
        for lot, units, expiry in parts:
            if not lot:
                continue
            entry = found.setdefault(lot, {"lot": lot, "units": Decimal(0), "expiries": []})
            entry["units"] += Decimal(str(units))
            if expiry is not None and expiry not in entry["expiries"]:
                entry["expiries"].append(expiry)
    return [
        {
            "lot": e["lot"],
            "units": float(e["units"]),
            "expiry": " and ".join(long_date(day) for day in sorted(e["expiries"])) or None,
        }
        for e in found.values()
    ]


def _other_expiry(given: Given, consult_lot: str | None, consult_expiry: dt.date | None) -> str | None:
    """The expiries the doses of the consult's own lot carry, in words, when they are not the
    consult's (None: the same, or nothing to compare)."""
    if not consult_lot or consult_expiry is None:
        return None
    key = lot_key(consult_lot)
    carried = {d.expiry for line in given.lines for d in line.draws if lot_key(d.lot) == key}
    carried |= {line.expiry for line in given.lines if line.expiry and line.lot and lot_key(line.lot) == key}
    if not carried or carried == {consult_expiry}:
        return None
    return " and ".join(long_date(day) for day in sorted(carried))


def override_entry(override: Override | None) -> dict[str, Any] | None:
    """A medical director's override, printed on the summary: who, as what, when, why, and each
    limit passed with both figures (None: the doses given pass no limit)."""
    if override is None:
        return None
    return {
        "by": override.by,
        "role": ROLE_WORDS[override.role],
        "at": _moment(override.at),
        "reason": override.reason,
        "breaches": [breach.message for breach in override.breaches],
    }
