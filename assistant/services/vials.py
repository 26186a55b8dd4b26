"""The vial ledger as the clinic uses it: open, list, close, and draw a treatment's doses.

The use-by figure is the label's (``knowledge/product.yaml``: hours after reconstitution), unless
the clinic settings give their own with its reason; the warning window before it is the knowledge
base's too. Opening and closing take a PIN, as giving does; their acts state the vial's content (``vial_ledger``),
so that ``audit verify`` can rebuild the ledger from the trail.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import new_record_id
from assistant.core.lifecycle.record import GivenLine, VialDraw
from assistant.core.lifecycle.vial_ledger import closed_data, opened_data
from assistant.core.lifecycle.vial_names import vial_named, vials_of_lot
from assistant.core.lifecycle.vials import (
    UseBy,
    Vial,
    VialRefused,
    close_vial,
    open_vial,
    plan_draws,
    use_by_warning,
)
from assistant.records.repository import ConsultRepository
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.settings import ClinicSettings


def use_by_rule(kb: KnowledgeBase, clinic: ClinicSettings) -> UseBy:
    label = kb.product.reconstitution
    warning = kb.product.use_by_warning
    warn = warning.hours_before if warning else None
    if clinic.vial_use_within_hours is not None:
        return UseBy(
            hours=clinic.vial_use_within_hours,
            warn_hours_before=warn,
            source=f"the clinic's figure: {clinic.vial_use_within_reason}",
        )
    return UseBy(hours=label.use_within_hours, warn_hours_before=warn, source=f"the label ({', '.join(label.sources)})")


def open_one(
    desk: Desk,
    kb: KnowledgeBase,
    clinic: ClinicSettings,
    *,
    lot: str,
    expiry: dt.date,
    units: float,
    saline_ml: float,
    at: dt.datetime | None,
    by: str,
    pin: str,
) -> Vial:
    account = authenticate(desk, by, pin, "vials")
    now = desk.clock()
    opened_at = at or now
    vial = open_vial(
        new_record_id(opened_at), lot, expiry, units, saline_ml, opened_at, account, use_by_rule(kb, clinic), now
    )
    event = AuditEvent(
        at=now,
        actor=account.name,
        action="vial opened",
        detail=f"vial {vial.vial_id}, lot {vial.lot}, {vial.units:g} U in {vial.saline_ml:g} mL",
        data=opened_data(vial),
    )
    return desk.repository.save_vial(vial, event)


def find_vial(repository: ConsultRepository, name: str) -> Vial:
    """The vial ``name`` stands for: a whole id (open or closed), else an open vial's short id or lot
    (``vial_named``); ``VialRefused`` saying why not, with the ids to pick from."""
    vial = repository.vial(name)
    if vial is not None:
        return vial
    found = vial_named(repository.vials(open_only=True), name)
    if isinstance(found, str):
        raise VialRefused(found)
    return found


def close_one(desk: Desk, vial_id: str, by: str, pin: str, wasted: float | None, reason: str | None) -> Vial:
    """``vial_id``: the whole id, the short one of ``vial list``, or the lot of the one open vial of it."""
    vial = find_vial(desk.repository, vial_id)
    account = authenticate(desk, by, pin, "vials")
    closed = close_vial(vial, account, desk.clock(), wasted, reason)
    event = AuditEvent(
        at=desk.clock(),
        actor=account.name,
        action="vial closed",
        detail=f"vial {vial.vial_id}, lot {vial.lot}, {closed.wasted or 0:g} U wasted",
        data=closed_data(closed),
    )
    return desk.repository.save_vial(closed, event)


def warnings(vials: list[Vial], kb: KnowledgeBase, now: dt.datetime, per_ml: Fraction | None = None) -> dict[str, str]:
    """A warning per vial in its last hours before the use-by, or past it; with ``per_ml`` (the
    clinic's dilution), an open vial made up at another, which no plan draws from."""
    warning = kb.product.use_by_warning
    found = {}
    for vial in vials:
        if vial.state == "open" and now >= vial.use_by:
            found[vial.vial_id] = f"past its use-by: close vial {vial.vial_id}"
        elif vial.state == "open" and per_ml is not None and vial.units_per_ml != per_ml:
            found[vial.vial_id] = "not the clinic's dilution: no plan draws from it"
        else:
            text = use_by_warning(vial, now, warning.hours_before if warning else None)
            if text:
                found[vial.vial_id] = text
    return found


def vials_to_draw_from(
    repository: ConsultRepository,
    vial_ids: list[str] | None,
    lot: str | None = None,
    named_by: str = "The consult names",
    per_ml: Fraction | None = None,
) -> list[Vial]:
    """The vials named (whole or short ids, or lots: ``find_vial``), in order; None: the one open
    vial (at the plan's dilution, ``per_ml``, and not empty, when others are open), or with several
    open the one of the consult's ``lot`` (none open: the ledger is not used);
    an empty list: no vial of the ledger (the lot of the consult).

    None with a consult whose ``lot`` no open vial has is refused (``named_by``: who names it, and the
    verb), as G's form asks which: drawn from the one open vial anyway, the doses were traced to a lot
    the consult does not name, chosen by nobody, and a recall of the consult's lot missed them."""
    if vial_ids is not None:
        return [find_vial(repository, vial_id) for vial_id in vial_ids]
    found = repository.vials(open_only=True)
    opened = [  # no choice: one drawn to 0 U (open till closed), one not at the plan's dilution (``per_ml``)
        v for v in found if v.units_left > 0 and (per_ml is None or v.units_per_ml == per_ml)
    ] or found
    of_lot = vials_of_lot(opened, lot)
    if not opened or (len(opened) == 1 and (of_lot or not lot)):
        return opened
    if len(of_lot) == 1:
        return of_lot  # the consult's lot picks its vial, as the lot question did on screen
    named = of_lot or opened
    ids = ", ".join(f"{v.vial_id} (lot {v.lot}, {v.units_left:g} U left)" for v in named)
    if of_lot or not lot:
        which = f" of lot {lot}" if of_lot else ""
        raise VialRefused(f"Several vials{which} are open ({ids}): name the one drawn from with --vial.")
    no_vial = f"or give --no-vial to record lot {lot} without drawing from the ledger"
    if len(opened) > 1:
        raise VialRefused(
            f"Several vials are open ({ids}), none of lot {lot}, which {named_by.lower()}: name the one drawn"
            f" from with --vial, {no_vial}."
        )
    raise VialRefused(
        f"{named_by} lot {lot}, and the one open vial is {ids}: name the vial drawn from with --vial, {no_vial}."
    )


def draw_lines(
    lines: tuple[GivenLine, ...], vials: list[Vial], now: dt.datetime, per_ml: Fraction
) -> tuple[tuple[GivenLine, ...], list[tuple[str, float]]]:
    """Each line with the vials it is drawn from (their lot, expiry and dilution), and the draws;
    ``per_ml``: the dilution of the plan's volumes, which every vial drawn from must be made up at."""
    given = [line for line in lines if line.units > 0]
    plans = iter(plan_draws(vials, [line.units for line in given], now, per_ml))
    drawn: list[GivenLine] = []
    draws: list[tuple[str, float]] = []
    for line in lines:
        if line.units <= 0:
            drawn.append(line)
            continue
        parts = next(plans)
        first = parts[0].vial
        drawn.append(
            line.model_copy(
                update={
                    "lot": first.lot,
                    "expiry": min(p.vial.expiry for p in parts),
                    "vial_id": first.vial_id,
                    "draws": tuple(
                        VialDraw(vial_id=p.vial.vial_id, lot=p.vial.lot, expiry=p.vial.expiry, units=p.units)
                        for p in parts
                    ),
                    "ml": round(sum(p.vial.ml_for(p.units) for p in parts), 3),
                }
            )
        )
        draws += [(p.vial.vial_id, p.units) for p in parts]
    return tuple(drawn), draws
