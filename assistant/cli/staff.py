"""``staff add|list|disable``: the accounts that run, give, sign and amend consults."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.cli.common import EXIT_INVALID, EXIT_OK, open_store
from assistant.cli.parser import add_data_dir
from assistant.cli.pins import PinReader, add_pin_stdin


def cmd_staff_add(args: argparse.Namespace) -> int:
    from assistant.services import staff
    from assistant.services.desk import Desk

    desk = Desk(open_store(args))
    reader = PinReader(args)
    pin = reader.new(args.name)
    by_pin = reader.read(f"PIN of {args.by}: ") if args.by else None
    try:
        account = staff.add(desk, args.name, args.role, pin, args.by, by_pin)
    except staff.InvalidStaff as error:
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Added {account.name} ({account.role_words}).")
    return EXIT_OK


def cmd_staff_list(args: argparse.Namespace) -> int:
    from assistant.core.text_safety import printable

    accounts = open_store(args).staff()
    if args.format == "json":
        rows = [
            {
                "name": a.name,
                "role": a.role,
                "enabled": a.enabled,
                "locked_until": a.locked_until.isoformat() if a.locked_until else None,
                "created_at": a.created_at.isoformat(),
                "created_by": a.created_by,
            }
            for a in accounts
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not accounts:
        print("No staff accounts yet: the first is added with botulax-consult staff add NAME --role ROLE.")
        return EXIT_OK
    for account in accounts:
        state = "" if account.enabled else "  (disabled)"
        print(f"{printable(account.name, multiline=False):30} {account.role_words}{state}")
    return EXIT_OK


def cmd_staff_disable(args: argparse.Namespace) -> int:
    from assistant.services import staff
    from assistant.services.desk import Desk

    desk = Desk(open_store(args))
    by_pin = PinReader(args).read(f"PIN of {args.by}: ")
    account = staff.disable(desk, args.name, args.by, by_pin)
    print(f"Disabled the account of {account.name}.")
    return EXIT_OK


def cmd_staff_pin(args: argparse.Namespace) -> int:
    from assistant.services import staff
    from assistant.services.desk import Desk

    desk = Desk(open_store(args))
    reader = PinReader(args)
    old = reader.read(f"Current PIN of {args.name}: ")
    new = reader.new(args.name)
    try:
        account = staff.change_pin(desk, args.name, old, new)
    except staff.InvalidStaff as error:
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_INVALID
    print(f"The PIN of {account.name} is changed; their signing key is sealed with it.")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser("staff", help="staff accounts: add, list, pin, disable")
    actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an account (after the first, a medical director adds them)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("junior", "injector", "medical_director"))
    add.add_argument("--by", metavar="DIRECTOR", help="the medical director adding it (their PIN is asked)")
    add_pin_stdin(add, "the new account's PIN (once), then the --by director's")
    add_data_dir(add)
    add.set_defaults(handler=cmd_staff_add)

    listing = actions.add_parser("list", help="every account, with its role")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    add_data_dir(listing)
    listing.set_defaults(handler=cmd_staff_list)

    pin = actions.add_parser("pin", help="change your PIN (the current one, then the new one twice)")
    pin.add_argument("name", metavar="NAME")
    add_pin_stdin(pin, "the current PIN, then the new one (once)")
    add_data_dir(pin)
    pin.set_defaults(handler=cmd_staff_pin)

    disable = actions.add_parser("disable", help="disable an account (it is kept, for its signatures)")
    disable.add_argument("name", metavar="NAME")
    disable.add_argument("--by", metavar="DIRECTOR", required=True)
    add_pin_stdin(disable)
    add_data_dir(disable)
    disable.set_defaults(handler=cmd_staff_disable)
    add_data_dir(staff)
