"""How staff name a vial on the command line: its whole id, the short id ``vial list`` shows (the
id's last eight characters), or its lot when exactly one vial of that lot is open (issue 22.9).
Pure functions of the open vials, so ``vial close``, ``give --vial`` and ``give`` without ``--vial``
name vials the same way; and which of them the consult's lot question drew from, and whether the expiry
typed there is theirs.
"""

from __future__ import annotations

from datetime import date

from assistant.core.lifecycle.vials import Vial, lot_key


def short_id(vial_id: str) -> str:
    """The part of a vial id that tells vials apart: ``20261124-093012-7KQ2M9XD`` -> ``7KQ2M9XD``
    (40 random bits; the time before it is in the list's "use by" anyway)."""
    return vial_id.rsplit("-", 1)[-1]


def which_ids(vials: list[Vial]) -> str:
    return ", ".join(f"{v.vial_id} ({v.units_left:g} U left)" for v in vials)


def vial_named(open_vials: list[Vial], name: str) -> Vial | str:
    """The open vial ``name`` stands for (its whole or short id, or a lot with one open vial), else
    a sentence saying why not: several vials of that lot (each named, to pick one), or none."""
    wanted = name.strip()
    by_id = [v for v in open_vials if wanted.casefold() in (v.vial_id.casefold(), short_id(v.vial_id).casefold())]
    if len(by_id) == 1:
        return by_id[0]
    of_lot = [v for v in open_vials if lot_key(v.lot) == lot_key(wanted)]
    if len(of_lot) == 1:
        return of_lot[0]
    if of_lot:
        return f"{len(of_lot)} vials of lot {of_lot[0].lot} are open: {which_ids(of_lot)}; name one by its id."
    return f"There is no open vial {wanted} (see: botulax-consult vial list --open)."


def vials_of_lot(open_vials: list[Vial], lot: str | None) -> list[Vial]:
    """The open vials of the consult's lot (none when it has no lot)."""
    return [v for v in open_vials if lot and lot_key(v.lot) == lot_key(lot)]


def drawn_from(open_vials: list[Vial], lot: str | None, vial_id: str | None) -> list[Vial]:
    """The vials a consult will be given from, as the lot question left them: the one picked there,
    else the open vials of the lot typed."""
    return [v for v in open_vials if v.vial_id == vial_id] or vials_of_lot(open_vials, lot)


def expiry_disagrees(vials: list[Vial], typed: date) -> str | None:
    """A sentence when the expiry typed at the consult is not the ledger's for ``vials`` (``drawn_from``):
    the given lines take the vial's expiry and the dose summary's top the typed one, so a slip on either
    side would print two dates for one lot (None: they agree, or no vial of the ledger is concerned)."""
    expiries = sorted({v.expiry for v in vials})
    if not expiries or typed in expiries:
        return None
    ledger = " or ".join(e.isoformat() for e in expiries)
    return (
        f"The ledger's open vial of lot {vials[0].lot} expires on {ledger}, not {typed.isoformat()}: "
        "check the carton against the ledger."
    )
