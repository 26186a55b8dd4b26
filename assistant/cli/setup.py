"""``botulax-consult setup``: the clinic's own settings, saved as the user's clinic.toml.

On a terminal it asks for each setting with the value in use as the default (Enter keeps it);
scripts pass flags instead (``--name``, ``--phone``, ``--saline-ml``, ``--price-per-unit``,
``--currency``; with any flag, or when stdin is not a terminal, nothing is asked). A bad value is
refused with a sentence naming the setting, exit 2, and nothing is written.

Once the record (``--data-dir``, ``--database``) has staff accounts, only a medical director changes
the settings: ``--by DIRECTOR`` and their PIN (``--pin-stdin``), and the change is their signed act
("settings changed"). Anybody else, or no ``--by``: exit 5 with a sentence, before anything is asked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, open_store
from assistant.cli.parser import add_data_dir
from assistant.cli.pins import PinReader, add_pin_stdin

FLAGS = {
    "name": "name",
    "phone": "phone",
    "saline_ml": "saline_ml",
    "price_per_unit": "price_per_unit",
    "currency": "currency",
}
"""Each setting and the option attribute that carries it (``--saline-ml`` -> ``saline_ml``)."""


def cmd_setup(args: argparse.Namespace) -> int:
    from assistant import locations
    from assistant.core.lifecycle.settings_change import NOBODY_NAMED
    from assistant.core.lifecycle.staff import NotPermitted
    from assistant.files.clinic_file import load_clinic
    from assistant.files.clinic_writer import FIELDS, defaults, settings_from
    from assistant.files.loaders import load_knowledge
    from assistant.services.clinic_settings import change_settings, needs_director
    from assistant.services.desk import Desk
    from assistant.settings import ClinicSettings

    desk = Desk(open_store(args))
    if not args.by and needs_director(desk):  # refused before anything is asked or written
        raise NotPermitted(NOBODY_NAMED)
    target = locations.user_clinic_file()
    current = ClinicSettings()
    if target.is_file():
        loaded = load_clinic(target)
        if loaded.value is None:
            for problem in loaded.problems:
                print(problem, file=sys.stderr)
            print(f"botulax-consult: fix or remove {target} first; nothing was written.", file=sys.stderr)
            return EXIT_INVALID
        current = loaded.value
    knowledge = load_knowledge(args.knowledge or locations.KNOWLEDGE_DIR)
    if knowledge.value is None:
        for problem in knowledge.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    from assistant.core.dilution import UnknownVial, clinic_dilution

    product = knowledge.value.knowledge.product
    try:  # the saline the clinic's vial takes on the label (1.25 mL for a 50 U vial)
        label_saline = float(clinic_dilution(product, current).saline_ml)
    except UnknownVial:
        label_saline = product.reconstitution.saline_ml
    shown = defaults(current, label_saline)
    given = {field: getattr(args, name) for field, name in FLAGS.items() if getattr(args, name) is not None}
    asking = not given and sys.stdin.isatty()
    typed: dict[str, str] | None = {**shown, **given}
    while True:
        if asking:
            typed = _ask(FIELDS, typed or shown)
            if typed is None:
                print("\nbotulax-consult: setup stopped; nothing was written.", file=sys.stderr)
                return EXIT_INVALID
        assert typed is not None
        settings, problems = settings_from(typed, current)
        if settings is None and asking:
            for problem in problems:
                print(f"Not taken: {problem}", file=sys.stderr)
            continue  # asked again, with what was typed as the defaults
        break
    if settings is None:
        for problem in problems:
            print(f"botulax-consult: {problem}", file=sys.stderr)
        print("botulax-consult: nothing was written.", file=sys.stderr)
        return EXIT_INVALID
    pin = PinReader(args).read(f"PIN of {args.by}: ") if args.by else None
    try:
        by = change_settings(desk, current, settings, args.by, pin, target)
    except OSError as error:
        print(f"botulax-consult: the settings could not be written to {target}: {error}", file=sys.stderr)
        return EXIT_INVALID
    signed = f", changed by {by.name}" if by is not None else ""
    print(f"Saved the clinic's settings in {target}{signed}.", file=sys.stderr)
    return EXIT_OK


def _ask(fields: dict[str, str], shown: dict[str, str]) -> dict[str, str] | None:
    """Each setting asked on the terminal; Enter keeps the value in brackets, "-" clears it."""
    typed = {}
    print("The clinic's settings (Enter keeps the value in brackets; '-' leaves it empty):", file=sys.stderr)
    for field, words in fields.items():
        try:
            answer = input(f"{words} [{shown[field]}]: ").strip()
        except EOFError:
            return None
        typed[field] = "" if answer == "-" else (answer or shown[field])
    return typed


def register(commands: argparse._SubParsersAction) -> None:
    setup = commands.add_parser(
        "setup", help="set the clinic's name, phone, dilution, price and currency (your clinic.toml)"
    )
    setup.add_argument("--name", metavar="TEXT", help="the clinic's name, printed on every document")
    setup.add_argument("--phone", metavar="TEXT", help="the phone number patients call")
    setup.add_argument("--saline-ml", dest="saline_ml", metavar="ML", help="saline added to one vial, in mL")
    setup.add_argument("--price-per-unit", dest="price_per_unit", metavar="PRICE", help="price per unit ('' for none)")
    setup.add_argument("--currency", metavar="CODE", help="three-letter currency code, e.g. USD, EUR, KRW")
    setup.add_argument("--knowledge", type=Path, metavar="DIR", help="knowledge base (for the label's dilution)")
    setup.add_argument(
        "--by", metavar="DIRECTOR", help="the medical director changing them, once the record has staff accounts"
    )
    add_pin_stdin(setup)
    add_data_dir(setup)
    setup.set_defaults(handler=cmd_setup)
