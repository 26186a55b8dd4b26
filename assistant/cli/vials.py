"""``vial open|list|close``: the open-vial ledger, every unit traced from the vial to the patient."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from assistant.cli.common import EXIT_INVALID, EXIT_OK, open_store, print_problems
from assistant.cli.parser import add_data_dir, add_sources, iso_date
from assistant.cli.pins import PinReader, add_pin_stdin


def local_minute(text: str) -> dt.datetime:
    """``YYYY-MM-DDTHH:MM`` in this computer's time zone."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time; write it as YYYY-MM-DDTHH:MM, e.g. 2026-11-24T09:30"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def saline_volume(text: str) -> float:
    """``--saline-ml``: a finite volume above 0 and at most what a vial record holds."""
    from assistant.core.lifecycle.vials import MOST_SALINE_ML

    try:
        volume = float(text)
    except ValueError:
        volume = float("nan")
    if not 0 < volume <= MOST_SALINE_ML:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a volume of saline: give mL above 0, at most {MOST_SALINE_ML}"
        )
    return volume


def _resources(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from assistant.files.resources import load_resources

    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        print_problems(loaded.problems)
    return loaded.value


def cmd_vial_open(args: argparse.Namespace) -> int:
    from assistant.services import vials
    from assistant.services.desk import Desk

    resources = _resources(args)
    if resources is None:
        return EXIT_INVALID
    label = resources.kb.product
    units = args.units if args.units is not None else (resources.clinic.vial_units or label.reconstitution.vial_units)
    if units not in label.vial_sizes:
        sizes = " or ".join(f"{s:g}" for s in label.vial_sizes)
        print(f"botulax-consult: {label.name} vials hold {sizes} U, not {units:g} U (--units).", file=sys.stderr)
        return EXIT_INVALID
    from assistant.core.dilution import UnknownVial, clinic_dilution
    from assistant.core.syringe import exact

    try:
        dilution = clinic_dilution(label, resources.clinic)
    except UnknownVial as error:  # no plan can be made either: said at once
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_INVALID
    saline = args.saline_ml
    if saline is None:  # the clinic's dilution (the label's saline for its vial), for this vial's size
        saline = round(float(dilution.saline_ml / dilution.vial_units * exact(units)), 3)
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    vial = vials.open_one(
        Desk(open_store(args)), resources.kb, resources.clinic,
        lot=args.lot, expiry=args.expiry, units=units, saline_ml=saline, at=args.at, by=args.by, pin=pin,
    )  # fmt: skip
    use_by = vial.use_by.astimezone().strftime("%Y-%m-%d %H:%M")
    print(f"Opened vial {vial.vial_id}: lot {vial.lot}, {vial.units:g} U in {vial.saline_ml:g} mL, use by {use_by}.")
    if vial.units_per_ml != dilution.units_per_ml:
        print(
            f"Note: it holds {float(vial.units_per_ml) / 10:.3g} U per 0.1 mL, and the clinic's plans give volumes for "
            f"{float(dilution.units_per_ml) / 10:.3g} U per 0.1 mL ({float(dilution.saline_ml):g} mL per "
            f"{float(dilution.vial_units):g} U vial, clinic settings): no plan draws from this vial until the two "
            "are the same."
        )
    return EXIT_OK


def vial_row(vial, warning: str | None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "vial_id": vial.vial_id,
        "lot": vial.lot,
        "expiry": vial.expiry.isoformat(),
        "units": vial.units,
        "units_left": vial.units_left,
        "saline_ml": vial.saline_ml,
        "units_per_0_1_ml": round(vial.units_per_0_1_ml, 3),
        "opened_at": vial.opened_at.isoformat(),
        "opened_by": vial.opened_by,
        "use_by": vial.use_by.isoformat(),
        "use_by_source": vial.use_by_source,
        "state": vial.state,
        "closed_at": vial.closed_at.isoformat() if vial.closed_at else None,
        "wasted": vial.wasted,
        "warning": warning,
    }


def cmd_vial_list(args: argparse.Namespace) -> int:
    from assistant.core.text_safety import printable
    from assistant.services import vials
    from assistant.services.desk import now

    resources = _resources(args)
    if resources is None:
        return EXIT_INVALID
    found = open_store(args).vials(open_only=args.open)
    from assistant.core.dilution import UnknownVial, clinic_dilution

    try:
        per_ml = clinic_dilution(resources.kb.product, resources.clinic).units_per_ml
    except UnknownVial:
        per_ml = None
    notes = vials.warnings(found, resources.kb, now(), per_ml)
    if args.format == "json":
        print(json.dumps([vial_row(v, notes.get(v.vial_id)) for v in found], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not found:
        print("No open vials." if args.open else "No vials yet: open one with botulax-consult vial open.")
        return EXIT_OK
    from assistant.cli.vial_table import vial_table

    for line in vial_table(found, notes, wide=args.wide, printable=lambda text: printable(text, multiline=False)):
        print(line)
    return EXIT_OK


def cmd_vial_close(args: argparse.Namespace) -> int:
    from assistant.services import vials
    from assistant.services.desk import Desk

    pin = PinReader(args).read(f"PIN of {args.by}: ")
    vial = vials.close_one(Desk(open_store(args)), args.vial_id, args.by, pin, args.wasted, args.reason)
    print(f"Closed vial {vial.vial_id} (lot {vial.lot}): {vial.wasted or 0:g} U wasted.")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    vial = commands.add_parser("vial", help="the vial ledger: open, list, close")
    actions = vial.add_subparsers(dest="vial_command", metavar="ACTION", required=True)

    opening = actions.add_parser("open", help="a vial reconstituted now (or at --at)")
    opening.add_argument("--lot", required=True)
    opening.add_argument("--expiry", required=True, type=iso_date, metavar="YYYY-MM-DD")
    opening.add_argument("--units", type=float, help="units in the vial (default: the clinic's or the label's 100)")
    opening.add_argument(
        "--saline-ml",
        type=saline_volume,
        metavar="ML",
        help="saline added (default: the clinic's dilution or the label's)",
    )
    opening.add_argument("--at", type=local_minute, metavar="YYYY-MM-DDTHH:MM", help="when it was reconstituted")
    opening.add_argument("--by", required=True, metavar="NAME")
    add_pin_stdin(opening)
    add_sources(opening)
    add_data_dir(opening)
    opening.set_defaults(handler=cmd_vial_open)

    listing = actions.add_parser("list", help="vials, with units left and use-by")
    listing.add_argument("--open", action="store_true", help="only the open ones")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument(
        "--wide", action="store_true", help="whole vial ids and lots, past 80 columns (default: short ids)"
    )
    add_sources(listing)
    add_data_dir(listing)
    listing.set_defaults(handler=cmd_vial_list)

    closing = actions.add_parser("close", help="close a vial; what is left counts as wasted")
    closing.add_argument(
        "vial_id",
        metavar="VIAL_ID",
        help="the vial's id, its short id from vial list, or its lot when one vial of it is open",
    )
    closing.add_argument("--wasted", type=float, metavar="UNITS", help="units wasted (default: all that is left)")
    closing.add_argument("--reason", metavar="TEXT")
    closing.add_argument("--by", required=True, metavar="NAME")
    add_pin_stdin(closing)
    add_data_dir(closing)
    closing.set_defaults(handler=cmd_vial_close)
    add_data_dir(vial)
