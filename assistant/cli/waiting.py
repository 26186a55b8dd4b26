"""``waiting``: what waits for whom (to give, to sign, to co-sign), as the Waiting screen lists it.

Every row says what it waits for (``waiting_for``: ``give``, ``sign``, ``cosign``); with ``--by NAME``
(and that account's PIN, as the other commands identify an account) only what that account's role
may do is listed. The JSON fields are a contract (``core.lifecycle.waiting.WaitingRow``).
"""

from __future__ import annotations

import argparse
import json

from assistant.cli.common import EXIT_OK, emit, open_store
from assistant.cli.parser import add_data_dir, one_line_text
from assistant.cli.pins import PinReader, add_pin_stdin


def cmd_waiting(args: argparse.Namespace) -> int:
    from assistant.core.lifecycle.waiting import WORDS
    from assistant.core.text_safety import printable
    from assistant.services import staff
    from assistant.services.desk import Desk
    from assistant.services.waiting import every_waiting

    repository = open_store(args)
    account = None
    if args.by:
        pin = PinReader(args).read(f"PIN of {args.by}: ")
        account = staff.authenticate(Desk(repository), args.by, pin, "run")
    rows = every_waiting(repository, account)
    if args.format == "json":
        emit(json.dumps([row.model_dump(mode="json") for row in rows], indent=2, ensure_ascii=False), json_text=True)
        return EXIT_OK
    said = False
    for row in rows:
        if not said:
            emit(f"{'waiting for':11}  {'consult':26} {'date':10}  {'patient':24} {'units':>8}  run by")
            said = True
        name = printable(row.patient_name + (f" ({row.patient_id})" if row.patient_id else ""), multiline=False)
        units = f"{row.given_units if row.given_units is not None else row.planned_units:g}"
        emit(
            f"{WORDS[row.waiting_for]:11}  {row.consult_id:26} {row.date.isoformat():10}  {name[:24]:24} "
            f"{units:>8}  {printable(row.staff or '', multiline=False)}"
        )
    if not said:
        emit("Nothing waits" + (f" for what {account.name} may do." if account is not None else "."))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    waiting = commands.add_parser(
        "waiting", help="what waits for whom: consults to give, to sign and to co-sign (waiting_for)"
    )
    waiting.add_argument("--format", choices=("text", "json"), default="text")
    waiting.add_argument(
        "--by", metavar="NAME", type=one_line_text, help="only what this account may do (their PIN is asked)"
    )
    add_pin_stdin(waiting)
    add_data_dir(waiting)
    waiting.set_defaults(handler=cmd_waiting)
