"""The vial ledger as the trail states it, and the store's vials compared with it.

A vial file or row is only what the store holds; somebody who can write the data folder or the
server's table can draw 800 U from a 100 U vial, change a lot or an expiry, or undo a close, and
nothing in the vial itself shows it. The trail does: each "vial opened" act states the vial's
content (``opened_data``), each "vial closed" act what was wasted and why (``closed_data``), and the
draws are stated by the "given" record versions, whose lines name each vial and its units. All of
these are signed acts, so ``rebuild`` gives the ledger as the people who acted stated it, and
``compare`` names each way the store's vials differ from it.

Vials opened before the acts stated their content (an act without data) and vials copied in by
``db import`` cannot be checked: they are named as such, never failed. Pure: no store, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from assistant.core.lifecycle.audit import AuditEntry
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.vials import Vial

TOLERANCE = 0.001
"""Units are kept to three decimals (the store rounds each draw)."""

_VIAL_IN_DETAIL = re.compile(r"\bvial (?P<vial_id>[^\s,]+)")


def opened_data(vial: Vial) -> dict[str, Any]:
    """What a "vial opened" act states (and its signature covers)."""
    return vial.model_dump(
        mode="json",
        include={"vial_id", "lot", "expiry", "units", "saline_ml", "opened_at", "use_by", "use_by_source"},
    )


def closed_data(vial: Vial) -> dict[str, Any]:
    """What a "vial closed" act states: which vial, when, the units wasted and why."""
    return vial.model_dump(mode="json", include={"vial_id", "closed_at", "wasted", "close_reason"})


@dataclass
class LedgerVial:
    """A vial as the trail states it: its opening, the units drawn, its close."""

    opened: Vial
    opened_seq: int
    drawn: float = 0.0
    closed: dict[str, Any] | None = None
    closed_by: str | None = None


@dataclass
class Ledger:
    """Every vial the trail states, and those it names without stating them (not checkable)."""

    vials: dict[str, LedgerVial] = field(default_factory=dict)
    unchecked: dict[str, str] = field(default_factory=dict)
    """vial id -> why it cannot be checked."""
    problems: list[str] = field(default_factory=list)


def _named_vial(entry: AuditEntry) -> str | None:
    match = _VIAL_IN_DETAIL.search(entry.detail or "")
    return match["vial_id"] if match else None


def _vial_of(entry: AuditEntry) -> str | None:
    """The vial a vial act is about: as its data states it, or (acts from before) as its detail names it."""
    stated = (entry.data or {}).get("vial_id")
    return stated if isinstance(stated, str) else _named_vial(entry)


def _opened(ledger: Ledger, entry: AuditEntry) -> None:
    data = entry.data or {}
    vial_id = _vial_of(entry)
    if vial_id is None:
        ledger.problems.append(f"audit entry {entry.seq} (vial opened) does not say which vial.")
        return
    if not entry.data:
        ledger.unchecked[vial_id] = "it was opened before the trail stated a vial's content"
        return
    try:
        opened = Vial.model_validate({**data, "units_left": data.get("units"), "opened_by": entry.actor or ""})
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        ledger.problems.append(f"audit entry {entry.seq} (vial opened) states no valid vial: {problem}")
        return
    if vial_id in ledger.vials:
        ledger.problems.append(f"audit entry {entry.seq} opens vial {vial_id} a second time.")
        return
    ledger.vials[vial_id] = LedgerVial(opened, entry.seq)


def _closed(ledger: Ledger, entry: AuditEntry) -> None:
    data = entry.data or {}
    vial_id = _vial_of(entry)
    if vial_id is None or vial_id in ledger.unchecked:
        return
    kept = ledger.vials.get(vial_id)
    if kept is None:
        ledger.problems.append(f"audit entry {entry.seq} closes vial {vial_id}, which the trail never opened.")
        return
    if not entry.data:
        ledger.unchecked[vial_id] = "it was closed by an act that does not state what was wasted"
        return
    if kept.closed is not None:
        ledger.problems.append(f"audit entry {entry.seq} closes vial {vial_id} a second time.")
        return
    kept.closed = data
    kept.closed_by = entry.actor


def rebuild(entries: Iterable[AuditEntry], given: Iterable[ConsultRecord]) -> Ledger:
    """The ledger the trail states: ``entries`` in order, and the record versions its "given"
    entries name (``given``), whose lines' draws are the units taken from each vial."""
    ledger = Ledger()
    for entry in entries:
        if entry.action == "vial opened":
            _opened(ledger, entry)
        elif entry.action == "vial closed":
            _closed(ledger, entry)
        elif entry.action == "imported" and (vial_id := _named_vial(entry)):
            ledger.unchecked.setdefault(vial_id, "it was copied in by db import")
    for record in given:
        for line in record.given.lines if record.given else ():
            for draw in line.draws:
                kept = ledger.vials.get(draw.vial_id)
                if kept is not None:
                    kept.drawn += draw.units
                elif draw.vial_id not in ledger.unchecked:
                    ledger.problems.append(
                        f"consult {record.consult_id} version {record.version} draws from vial {draw.vial_id}, "
                        "which the trail never opened."
                    )
    return ledger


def _when(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime) or value is None:
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _units(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else repr(value)


def _differences(vial_id: str, kept: LedgerVial, held: Vial) -> list[str]:
    said = f"vial {vial_id}"
    found = []
    opened = kept.opened
    for name, words in (
        ("lot", "lot"),
        ("expiry", "expiry"),
        ("units", "units"),
        ("saline_ml", "saline (mL)"),
        ("opened_at", "opening time"),
        ("use_by", "use-by"),
        ("use_by_source", "use-by source"),
        ("opened_by", "opener"),
    ):
        if getattr(held, name) != getattr(opened, name):
            found.append(
                f"{said} has {words} {getattr(held, name)} in the store but {getattr(opened, name)} in the trail."
            )
    drawn_in_store = round(held.units - held.units_left, 3)
    if abs(drawn_in_store - kept.drawn) > TOLERANCE:
        found.append(f"{said} draws {drawn_in_store:g} U in the store but {round(kept.drawn, 3):g} U in the trail.")
    state = "closed" if kept.closed is not None else "open"
    if held.state != state:
        found.append(f"{said} is {held.state} in the store but {state} in the trail.")
    elif kept.closed is not None:
        wasted = kept.closed.get("wasted")
        if not isinstance(wasted, int | float) or abs((held.wasted or 0) - wasted) > TOLERANCE:
            found.append(f"{said} wasted {held.wasted or 0:g} U in the store but {_units(wasted)} U in the trail.")
        if (held.close_reason or None) != (kept.closed.get("close_reason") or None):
            found.append(f"{said} has another reason for its waste in the store than in the trail.")
        if held.closed_by != kept.closed_by or held.closed_at != _when(kept.closed.get("closed_at")):
            found.append(f"{said} was closed by {held.closed_by} in the store but by {kept.closed_by} in the trail.")
    return found


def compare(ledger: Ledger, held: Iterable[Vial]) -> tuple[list[str], list[str]]:
    """(problems, notes): each way the store's vials differ from the ledger the trail states, and
    the vials that cannot be checked (named, not failed)."""
    problems = list(ledger.problems)
    notes = []
    seen = set()
    for vial in held:
        seen.add(vial.vial_id)
        if vial.vial_id in ledger.unchecked:
            notes.append(f"vial {vial.vial_id} cannot be checked against the trail: {ledger.unchecked[vial.vial_id]}.")
            continue
        kept = ledger.vials.get(vial.vial_id)
        if kept is None:
            problems.append(
                f"vial {vial.vial_id} is in the store but no audit entry opened it: it was added outside the program."
            )
            continue
        problems += _differences(vial.vial_id, kept, vial)
    for vial_id, kept in ledger.vials.items():
        if vial_id not in seen:
            problems.append(f"vial {vial_id} was opened (audit entry {kept.opened_seq}) but is missing from the store.")
    return problems, notes
