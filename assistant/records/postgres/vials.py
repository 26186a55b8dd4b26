"""Vials on the server: opened and closed with a revision check, drawn from inside a consult's save."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from assistant.core.lifecycle.vials import Vial, lot_key
from assistant.records.errors import DamagedRecord, VialConflict
from assistant.records.postgres.schema import vials


def vial_from(document: object, vial_id: str) -> Vial:
    try:
        return Vial.model_validate(document)
    except ValidationError as error:
        raise DamagedRecord(f"vial {vial_id} on the record server", error.errors()[0]["msg"]) from None


def values(vial: Vial) -> dict[str, object]:
    return {
        "vial_id": vial.vial_id,
        "lot_key": lot_key(vial.lot),
        "state": vial.state,
        "opened_at": vial.opened_at,
        "units_left": vial.units_left,
        "revision": vial.revision,
        "vial": vial.model_dump(mode="json"),
    }


def put(connection: Connection, vial: Vial) -> None:
    """Revision 1 for a new vial, N only after N-1."""
    if vial.revision == 1:
        done = connection.execute(
            insert(vials).values(**values(vial)).on_conflict_do_nothing().returning(vials.c.vial_id)
        ).first()
    else:
        done = connection.execute(
            vials.update()
            .where(vials.c.vial_id == vial.vial_id, vials.c.revision == vial.revision - 1)
            .values(**values(vial))
        ).rowcount
    if not done:
        raise VialConflict(vial.vial_id, "changed meanwhile")


def draw(connection: Connection, draws: Sequence[tuple[str, float]]) -> None:
    totals: dict[str, float] = {}
    for vial_id, units in draws:
        totals[vial_id] = totals.get(vial_id, 0.0) + units
    for vial_id in sorted(totals):
        row = connection.execute(select(vials.c.vial).where(vials.c.vial_id == vial_id).with_for_update()).first()
        if row is None:
            raise VialConflict(vial_id, "does not exist")
        vial = vial_from(row.vial, vial_id)
        if vial.state != "open":
            raise VialConflict(vial_id, f"was closed by {vial.closed_by}")
        if totals[vial_id] > vial.units_left + 1e-9:
            raise VialConflict(vial_id, f"holds {vial.units_left:g} U, not the {totals[vial_id]:g} U to draw")
        left = round(vial.units_left - totals[vial_id], 3)
        put(connection, vial.model_copy(update={"units_left": left, "revision": vial.revision + 1}))


def get(connection: Connection, vial_id: str) -> Vial | None:
    row = connection.execute(select(vials.c.vial).where(vials.c.vial_id == vial_id)).first()
    return vial_from(row.vial, vial_id) if row else None


def listing(connection: Connection, open_only: bool) -> list[Vial]:
    query = select(vials.c.vial_id, vials.c.vial).order_by(vials.c.opened_at, vials.c.vial_id)
    if open_only:
        query = query.where(vials.c.state == "open")
    return [vial_from(row.vial, row.vial_id) for row in connection.execute(query)]
