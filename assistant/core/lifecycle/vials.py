"""The vial ledger's rules: open a vial, draw doses from it, close it with what was wasted.

A vial is opened (reconstituted) at a moment, with a lot, an expiry, its units and its saline. It
may be drawn from until its use-by (the label's hours after reconstitution, or the clinic's own
figure), with a warning in the hours before it; never from an expired lot, never more than it
holds. Drawing spans several vials in the order they are named. Pure: the moment is passed in.

A plan's volumes (mL per point, the syringe's marks) are worked out at one dilution. A vial made up
at another holds more or fewer units in each of those mL, so it is never offered nor drawn from for
that plan (``dilution_problem``): 0.100 mL of 100 U in 1.25 mL is 8 U, twice a plan's 4 U at 2.5 mL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.core.lifecycle.staff import StaffAccount, require
from assistant.core.syringe import exact
from assistant.core.text_safety import reason_problem, text_problem

VialState = Literal["open", "closed"]

MOST_SALINE_ML = 100
"""The most saline a vial record holds: a bound on what is typed, not a dilution (that is the label's
and the clinic's, knowledge/product.yaml and the clinic settings)."""


class VialRefused(Exception):
    """A vial that may not be opened or drawn from (exit 2); the message says why, plainly."""


class UseBy(BaseModel):
    """How long a reconstituted vial may be used, and where that figure comes from."""

    model_config = ConfigDict(frozen=True)

    hours: float = Field(gt=0)
    warn_hours_before: float | None = None
    source: str
    """"the label (letybo-pi)", or the clinic's own reason."""


class Vial(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    vial_id: str
    lot: str
    expiry: dt.date
    units: float = Field(gt=0, le=1000)
    units_left: float = Field(ge=0)
    saline_ml: float = Field(gt=0, le=MOST_SALINE_ML)
    opened_at: dt.datetime
    use_by: dt.datetime
    use_by_source: str = ""
    opened_by: str
    state: VialState = "open"
    closed_at: dt.datetime | None = None
    closed_by: str | None = None
    wasted: float | None = None
    close_reason: str | None = None
    revision: int = 1

    @field_validator("lot")
    @classmethod
    def _lot(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a vial needs its lot number.")
        problem = text_problem(value, "A lot number")
        if problem:
            raise ValueError(problem)
        return value

    @property
    def units_per_0_1_ml(self) -> float:
        return self.units / self.saline_ml / 10

    @property
    def units_per_ml(self) -> Fraction:
        """The units in one mL of it, exactly: compared with a plan's (``dilution_problem``)."""
        return units_per_ml(self.saline_ml, self.units)

    def ml_for(self, units: float) -> float:
        ml = Decimal(str(units)) * Decimal(str(self.saline_ml)) / Decimal(str(self.units))
        return float(ml.quantize(Decimal("0.001")))


def lot_key(lot: str) -> str:
    """How lots are compared: spaces and case do not matter ("bx 2311" is "BX2311")."""
    return "".join(lot.split()).casefold()


def open_vial(
    vial_id: str,
    lot: str,
    expiry: dt.date,
    units: float,
    saline_ml: float,
    opened_at: dt.datetime,
    by: StaffAccount,
    use_by: UseBy,
    now: dt.datetime,
) -> Vial:
    require(by, "vials", now)
    if expiry < opened_at.date():
        raise VialRefused(f"Lot {lot} expired on {expiry.isoformat()}: an expired lot cannot be opened.")
    if opened_at > now + dt.timedelta(minutes=5):
        raise VialRefused("A vial cannot be opened in the future (--at is later than now).")
    return Vial(
        vial_id=vial_id,
        lot=lot,
        expiry=expiry,
        units=units,
        units_left=units,
        saline_ml=saline_ml,
        opened_at=opened_at,
        use_by=opened_at + dt.timedelta(hours=use_by.hours),
        use_by_source=use_by.source,
        opened_by=by.name,
    )


def usable_problem(vial: Vial, now: dt.datetime) -> str | None:
    """Why nothing may be drawn from ``vial`` now, or None."""
    if vial.state != "open":
        return f"Vial {vial.vial_id} (lot {vial.lot}) is closed."
    if vial.expiry < now.date():
        return f"Vial {vial.vial_id}: lot {vial.lot} expired on {vial.expiry.isoformat()}; draw from another vial."
    if now >= vial.use_by:
        when = vial.use_by.astimezone().strftime("%Y-%m-%d %H:%M")
        return (
            f"Vial {vial.vial_id} (lot {vial.lot}) is past its use-by ({when}, {vial.use_by_source}); "
            "close it and open another."
        )
    return None


def units_per_ml(saline_ml: float | Fraction, vial_units: float | Fraction) -> Fraction:
    """The units in one mL of a vial of ``vial_units`` made up with ``saline_ml``, exactly."""
    return exact(vial_units) / exact(saline_ml)


def dilution_problem(vial: Vial, per_ml: Fraction) -> str | None:
    """Why ``vial`` may not be drawn from for volumes worked out at ``per_ml`` units per mL (a plan's
    dilution), or None when it is made up at that very dilution."""
    held = vial.units_per_ml
    if held == per_ml:
        return None

    def shown(value: Fraction) -> str:  # 8, 2.5, 10000: never 1e+04
        return f"{round(float(value), 3):g}" if value < 1e6 else f"{float(value):,.0f}"

    return (
        f"Vial {vial.vial_id[-8:]} (lot {vial.lot}) holds {shown(held / 10)} U per 0.1 mL ({vial.units:g} U in "
        f"{vial.saline_ml:g} mL), but the plan's volumes are for {shown(per_ml / 10)} U per 0.1 mL: drawn "
        f"as the plan says, it would give {shown(held / per_ml)} times the dose planned. Draw from a vial made "
        "up at the plan's dilution."
    )


def offered(vials: list[Vial], now: dt.datetime, per_ml: Fraction) -> list[Vial]:
    """The vials offered to pick from on screen (the lot question, G's form): usable now, not empty,
    and made up at the dilution the plan's volumes are for (``per_ml``). A vial drawn to 0 U stays
    open until someone closes it, but picked at the lot question it named a lot nothing could be
    given from, and in G's form it could only be refused."""
    return [vial for vial in vials if _drawable(vial, now) and vial.units_per_ml == per_ml]


def not_offered_for_dilution(vials: list[Vial], now: dt.datetime, per_ml: Fraction) -> list[str]:
    """Why each usable vial left out of ``offered`` for its dilution alone is left out: said on screen,
    so that nobody looks for it in the list."""
    return [
        problem for vial in vials if _drawable(vial, now) and (problem := dilution_problem(vial, per_ml)) is not None
    ]


def _drawable(vial: Vial, now: dt.datetime) -> bool:
    """Something can be drawn from it now, whatever its dilution."""
    return vial.units_left > 0 and usable_problem(vial, now) is None


def use_by_warning(vial: Vial, now: dt.datetime, warn_hours_before: float | None) -> str | None:
    """A warning in the hours before the use-by (None outside them, or when no window is set)."""
    if warn_hours_before is None or vial.state != "open" or now >= vial.use_by:
        return None
    left = vial.use_by - now
    if left > dt.timedelta(hours=warn_hours_before):
        return None
    minutes = int(left.total_seconds() // 60)
    return f"Vial {vial.vial_id} (lot {vial.lot}) must be used within {minutes // 60} h {minutes % 60:02d} min."


@dataclass(frozen=True)
class Draw:
    """Units taken from one vial for one given line."""

    vial: Vial
    units: float


def _needed_and_held(vials: list[Vial], needs: list[float]) -> tuple[Decimal, Decimal]:
    """The units ``needs`` (each given line's) add up to, and those ``vials`` hold, in decimals."""
    total = sum((Decimal(str(n)) for n in needs), start=Decimal(0))
    return total, sum((Decimal(str(v.units_left)) for v in vials), start=Decimal(0))


def short_of(vials: list[Vial], needs: list[float]) -> float:
    """The units ``needs`` take beyond what ``vials`` hold together (0: they hold them all), counted
    as ``plan_draws`` counts them before it refuses: G's form asks for another vial by it."""
    total, held = _needed_and_held(vials, needs)
    return float(max(total - held, Decimal(0)))


def plan_draws(vials: list[Vial], needs: list[float], now: dt.datetime, per_ml: Fraction) -> list[list[Draw]]:
    """Take ``needs`` (units of each given line, in order) from ``vials`` in the order named: each
    line's draws. Refuses (``VialRefused``) an unusable vial, a vial made up at another dilution than
    the plan's volumes (``per_ml``), or more units than the vials hold; then nothing is drawn."""
    for vial in vials:
        problem = usable_problem(vial, now) or dilution_problem(vial, per_ml)
        if problem:
            raise VialRefused(problem)
    left = [Decimal(str(v.units_left)) for v in vials]
    total, held = _needed_and_held(vials, needs)
    if total > held:
        named = ", ".join(f"{v.vial_id} ({v.units_left:g} U left)" for v in vials)
        vials_hold = "the vial drawn from holds" if len(vials) == 1 else "the vials drawn from hold"
        raise VialRefused(
            f"{float(total):g} U are to be given but {vials_hold} {float(held):g} U ({named}); "
            "nothing was drawn. Open another vial and name it too with --vial."
        )
    draws: list[list[Draw]] = []
    index = 0
    for need in needs:
        wanted = Decimal(str(need))
        line: list[Draw] = []
        while wanted > 0:
            while left[index] == 0:
                index += 1
            taken = min(wanted, left[index])
            line.append(Draw(vials[index], float(taken)))
            left[index] -= taken
            wanted -= taken
        draws.append(line)
    return draws


def close_vial(vial: Vial, by: StaffAccount, at: dt.datetime, wasted: float | None, reason: str | None) -> Vial:
    """Close a vial; what is left is wasted unless ``wasted`` says otherwise (with a reason)."""
    require(by, "vials", at)
    if vial.state == "closed":
        when = vial.closed_at.astimezone().strftime("%Y-%m-%d %H:%M") if vial.closed_at else "before"
        raise VialRefused(f"Vial {vial.vial_id} was already closed by {vial.closed_by} at {when}.")
    if problem := reason_problem(reason, "The reason (--reason)"):
        raise VialRefused(problem)
    amount = vial.units_left if wasted is None else wasted
    if amount < 0 or amount > vial.units_left:
        raise VialRefused(f"--wasted is between 0 and the {vial.units_left:g} U left in vial {vial.vial_id}.")
    if wasted is not None and amount != vial.units_left and not (reason or "").strip():
        raise VialRefused(
            f"{vial.units_left:g} U are left in vial {vial.vial_id} but {amount:g} U are said wasted: give --reason."
        )
    return vial.model_copy(
        update={
            "state": "closed",
            "closed_at": at,
            "closed_by": by.name,
            "wasted": amount,
            "close_reason": (reason or "").strip() or None,
            "revision": vial.revision + 1,
        }
    )
