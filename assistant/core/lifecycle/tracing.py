"""Every unit traced: treatments as the record knows them, who got a lot, who is due, what was used.

A treatment is a consult whose doses were recorded as given. From treatments come the recall list
of a lot (every patient who got it), who is due (the review at day 14, the touch-up window at days
18-21, retreatment at day 90: the knowledge base's figures), and the stock report with the vials.
Pure: the store hands in the rows, the caller the dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Container
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.core.knowledge_model import Timing
from assistant.core.lifecycle.injected import injected_kinds
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.vials import Vial, lot_key

Reason = Literal["review", "touch_up", "retreatment"]


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class Treatment(Row):
    """A consult's doses as given (its latest version)."""

    consult_id: str
    patient_key: str
    patient_name: str
    patient_id: str | None = None
    date: dt.date
    kind: Literal["full", "touch_up"]
    zones: tuple[str, ...]
    units: float
    given_by: str
    lots: dict[str, float]
    """Units given from each lot ("" for lines recorded without one)."""
    review_only: bool = False
    """The record's answers now contraindicate treatment (amended after giving): its review is due,
    never a touch-up or a retreatment."""


def treatment_of(record: ConsultRecord) -> Treatment | None:
    """The treatment a record stands for, or None when nothing is recorded as given."""
    given = record.given
    if given is None or given.total_units <= 0:
        return None
    kinds = injected_kinds(record.plan, given)
    return Treatment(
        consult_id=record.consult_id,
        patient_key=record.patient_key,
        patient_name=record.patient_name,
        patient_id=record.patient_id,
        date=record.date,
        kind="touch_up" if kinds == {"touch_up"} else "full",
        zones=given.zones,
        units=given.total_units,
        given_by=given.by,
        lots=given.units_by_lot(),
        review_only=record.plan.status == "contraindicated",
    )


class RecallRow(Row):
    """One patient who received a lot (JSON fields are a contract: ``recall --format json``)."""

    patient_name: str
    patient_id: str | None
    consult_id: str
    date: dt.date
    zones: tuple[str, ...]
    units: float
    """Units of this lot."""
    given_by: str
    adverse_events: tuple[str, ...] = ()
    """What the consult's reviews found (``headache (mild)``), filled by the recall service."""


def recall_rows(treatments: list[Treatment], lot: str) -> list[RecallRow]:
    """Every treatment that used ``lot``, newest first."""
    wanted = lot_key(lot)
    rows = []
    for t in treatments:
        units = sum(u for name, u in t.lots.items() if name and lot_key(name) == wanted)
        if units > 0:
            rows.append(
                RecallRow(
                    patient_name=t.patient_name,
                    patient_id=t.patient_id,
                    consult_id=t.consult_id,
                    date=t.date,
                    zones=t.zones,
                    units=units,
                    given_by=t.given_by,
                )
            )
    return sorted(rows, key=lambda r: (r.date, r.consult_id), reverse=True)


class DueEntry(Row):
    """A patient due for something on a date (JSON fields are a contract: ``due --format json``)."""

    patient_name: str
    patient_id: str | None
    consult_id: str
    date: dt.date
    reason: Reason
    until: dt.date | None = None
    """The last day of a touch-up window."""
    detail: str
    patient_key: str
    zones: tuple[str, ...]


def due_window(on: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The first and last day of "the N days from the date"."""
    return on, on + dt.timedelta(days=max(days, 1) - 1)


def treatments_needed(timing: Timing, on: dt.date, days: int) -> list[tuple[dt.date, dt.date]]:
    """The treatment dates whose review, touch-up window or retreatment falls in the N days from
    ``on``: three short ranges, so a store reads a few days of treatments, not months."""
    first, last = due_window(on, days)
    rule = timing.follow_up
    retreat = int(timing.retreatment_interval_days.value)

    def back(days_after: int, until_after: int | None = None) -> tuple[dt.date, dt.date]:
        return first - dt.timedelta(days=until_after or days_after), last - dt.timedelta(days=days_after)

    ranges = sorted([back(rule.review_after_days), back(rule.touch_up_from_day, rule.touch_up_to_day), back(retreat)])
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def due(
    treatments: list[Treatment],
    timing: Timing,
    on: dt.date,
    days: int,
    only: Reason | None = None,
    of: Container[str] | None = None,
) -> list[DueEntry]:
    """Who is due in the N days from ``on``, from the treatments in ``treatments_needed``'s ranges
    and the later treatments of the same patients (which close a window or replace a retreatment).
    With ``only`` and ``of``, just the entries of that reason about those consults are made (a page
    of who is due reads a batch of one reason's treatments with their later ones, and wants none of
    the later ones' entries: making and checking them was most of a page's time)."""
    first, last = due_window(on, days)
    review_days = timing.follow_up.review_after_days
    window_from, window_to = timing.follow_up.touch_up_from_day, timing.follow_up.touch_up_to_day
    retreat = int(timing.retreatment_interval_days.value)
    by_patient: dict[str, list[Treatment]] = defaultdict(list)
    for t in treatments:
        by_patient[t.patient_key].append(t)
    entries: list[DueEntry] = []

    def wanted(t: Treatment, reason: Reason) -> bool:
        return (only is None or reason == only) and (of is None or t.consult_id in of)

    def add(t: Treatment, day: dt.date, reason: Reason, detail: str, until: dt.date | None = None) -> None:
        entries.append(
            DueEntry(
                patient_name=t.patient_name,
                patient_id=t.patient_id,
                consult_id=t.consult_id,
                date=day,
                reason=reason,
                until=until,
                detail=detail,
                patient_key=t.patient_key,
                zones=t.zones,
            )
        )

    for patient in by_patient.values():
        patient.sort(key=lambda t: (t.date, t.consult_id))
        for index, t in enumerate(patient):
            later = patient[index + 1 :]
            review = t.date + dt.timedelta(days=review_days)
            if first <= review <= last and wanted(t, "review"):
                add(t, review, "review", f"review at day {review_days} after the treatment of {t.date.isoformat()}")
            if t.kind == "full" and not t.review_only:
                opens, closes = t.date + dt.timedelta(days=window_from), t.date + dt.timedelta(days=window_to)
                open_in_list = opens <= last and closes >= first
                if open_in_list and wanted(t, "touch_up") and not any(u.date <= closes for u in later):
                    add(
                        t,
                        max(opens, first),
                        "touch_up",
                        f"touch-up window: days {window_from}-{window_to} after {t.date.isoformat()} "
                        f"({opens.isoformat()} to {closes.isoformat()})",
                        until=closes,
                    )
                again = t.date + dt.timedelta(days=retreat)
                if first <= again <= last and wanted(t, "retreatment") and not any(u.kind == "full" for u in later):
                    detail = f"{retreat} days after the last full treatment of {t.date.isoformat()}"
                    add(t, again, "retreatment", detail)
    return sorted(entries, key=lambda e: (e.date, e.patient_name, e.reason))


class UsageRow(Row):
    month: str
    lot: str
    vials_opened: int
    units_opened: float
    units_given: float
    units_wasted: float


class UsageReport(Row):
    rows: tuple[UsageRow, ...]
    left: dict[str, float]
    """Units left in the vials still open, by lot."""


def usage(treatments: list[Treatment], vials: list[Vial], start: dt.date, end: dt.date) -> UsageReport:
    """Units given, wasted and left, per lot and per month, and vials opened, from ``start`` to ``end``."""
    cells: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for t in treatments:
        if start <= t.date <= end:
            for lot, units in t.lots.items():
                cells[(t.date.strftime("%Y-%m"), lot or "(no lot)")]["given"] += units
    for vial in vials:
        opened = vial.opened_at.date()
        if start <= opened <= end:
            cell = cells[(opened.strftime("%Y-%m"), vial.lot)]
            cell["opened"] += 1
            cell["units_opened"] += vial.units
        if vial.closed_at is not None and start <= vial.closed_at.date() <= end:
            cells[(vial.closed_at.strftime("%Y-%m"), vial.lot)]["wasted"] += vial.wasted or 0.0
    rows = tuple(
        UsageRow(
            month=month,
            lot=lot,
            vials_opened=int(cell["opened"]),
            units_opened=cell["units_opened"],
            units_given=cell["given"],
            units_wasted=cell["wasted"],
        )
        for (month, lot), cell in sorted(cells.items())
    )
    left: dict[str, float] = defaultdict(float)
    for vial in vials:
        if vial.state == "open":
            left[vial.lot] += vial.units_left
    return UsageReport(rows=rows, left=dict(sorted(left.items())))
