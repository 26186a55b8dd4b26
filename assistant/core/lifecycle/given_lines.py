"""What was injected, as the record keeps it: a line per side of a zone, the vials each was drawn
from, and who gave them when (with a medical director's override of the limits, if any).

The rules that check the lines against the plan are in ``given``; what the documents and timing read
of them, in ``injected``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from assistant.core.lifecycle.override import Override
from assistant.core.lifecycle.record_model import RecordModel
from assistant.core.lifecycle.staff import Role
from assistant.core.lifecycle.vial_names import short_id
from assistant.core.lifecycle.vials import lot_key
from assistant.core.plan import Side


class VialDraw(RecordModel):
    """Units of a given line taken from one vial (a line may span two vials)."""

    vial_id: str
    lot: str
    expiry: dt.date
    units: float = Field(gt=0)


class GivenLine(RecordModel):
    """Doses injected on one side of a zone, with the vial (or vials) they came from."""

    zone: str
    side: Side
    units: float = Field(ge=0)
    points: int = Field(ge=0)
    """Both 0 for a planned line that was not given (its ``reason`` says why)."""
    lot: str | None = None
    expiry: dt.date | None = None
    vial_id: str | None = None
    differs_from_plan: bool = False
    reason: str | None = None
    """Why it differs from the plan (required when it does)."""
    note: str | None = None
    draws: tuple[VialDraw, ...] = ()
    """The vials it was drawn from, in order (none when the vial ledger is not used)."""
    ml: float | None = None
    """The volume injected, at the dilution of the vial it came from."""

    @property
    def lots(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*(d.lot for d in self.draws), *([self.lot] if self.lot else [])]))


class Given(RecordModel):
    """What was actually injected, by whom and when."""

    lines: tuple[GivenLine, ...]
    by: str
    role: Role
    at: dt.datetime
    """When the doses were recorded (the day given: ``listing.given_day``)."""
    override: Override | None = None
    """A medical director's override of the limits these doses pass (None: they pass none)."""

    @model_serializer(mode="wrap")
    def _leave_out_no_override(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Without an override the key is left out, so a record kept before overrides existed has
        the same content (and audit hash) as it had then."""
        data = handler(self)
        if isinstance(data, dict) and data.get("override") is None:
            data.pop("override", None)
        return data

    @property
    def total_units(self) -> float:
        return float(sum(line.units for line in self.lines))

    @property
    def zones(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.zone for line in self.lines if line.units > 0))

    @property
    def lots(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lot for line in self.lines if line.units > 0 for lot in line.lots))

    def zones_of_lot(self, lot: str) -> tuple[str, ...]:
        """The zones given from ``lot`` (compared as the ledger compares lots): a treatment drawn from
        two vials of two lots puts some zones under each, and a recall of one lot names only its own."""
        wanted = lot_key(lot)
        return tuple(
            dict.fromkeys(
                line.zone for line in self.lines if line.units > 0 and any(lot_key(n) == wanted for n in line.lots)
            )
        )

    def units_by_lot(self) -> dict[str, float]:
        """Units given from each lot (a line without a lot counts under "")."""
        units: dict[str, float] = {}
        for line in self.lines:
            if line.draws:
                for draw in line.draws:
                    units[draw.lot] = units.get(draw.lot, 0.0) + draw.units
            elif line.units > 0:
                units[line.lot or ""] = units.get(line.lot or "", 0.0) + line.units
        return units

    def vials_in_words(self) -> str:
        """Where the doses came from, in the words that say they were recorded: "from vial 7KQ2M9XD
        (lot BX2311)", "lot BX2311, no vial of the ledger", or "" (no lot: ``without_lot`` says so).
        ``give`` without ``--vial`` takes the one open vial, and said nothing of which."""
        vials = dict.fromkeys((draw.vial_id, draw.lot) for line in self.lines if line.units > 0 for draw in line.draws)
        if vials:
            return "from " + ", ".join(f"vial {short_id(vial_id)} (lot {lot})" for vial_id, lot in vials)
        return f"lot {', '.join(self.lots)}, no vial of the ledger" if self.lots else ""

    def without_lot(self) -> str | None:
        """Said once doses are recorded with no lot (none named at the consult or in the lines given,
        no vial of the ledger drawn from): kept, as the clinic's lot question may be skipped, but a
        recall by lot cannot find them, and whoever recorded them should know (None: every unit has one)."""
        units = self.units_by_lot().get("", 0.0)
        if units <= 0:
            return None
        return (
            f"{units:g} U were recorded without a lot (none was named, no vial drawn from): "
            "a recall by lot cannot find them."
        )
