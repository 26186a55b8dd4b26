"""``reindex``: every derived index written again from the records (an audit event, ``reindexed``).

``audit verify`` names an index that disagrees with its records; this puts it right and prints
what it fixed. With ``--by NAME`` (and the PIN) the rebuild is that person's signed act.
"""

from __future__ import annotations

import argparse

from assistant.cli.common import EXIT_OK, emit, open_store
from assistant.cli.parser import add_data_dir, one_line_text
from assistant.cli.pins import PinReader, add_pin_stdin
from assistant.core.text import counted


def cmd_reindex(args: argparse.Namespace) -> int:
    from assistant.services import indexes
    from assistant.services.desk import Desk

    desk = Desk(open_store(args))
    pin = PinReader(args).read(f"PIN of {args.by}: ") if args.by else None
    fixed = indexes.reindex(desk, args.by, pin)
    if not fixed:
        emit("The indexes already matched the records; they were written again all the same.")
        return EXIT_OK
    for sentence in fixed:
        emit(f"fixed: {sentence}")
    emit(f"The indexes were rebuilt from the records: {counted(len(fixed), 'mismatch', 'mismatches')} fixed.")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    reindex = commands.add_parser(
        "reindex",
        help="rebuild the derived indexes (patients, names, lots, treatments, to sign, to give, vials, register)",
    )
    reindex.add_argument("--by", metavar="NAME", type=one_line_text, help="the person who asks for it (signs the act)")
    add_pin_stdin(reindex)
    add_data_dir(reindex)
    reindex.set_defaults(handler=cmd_reindex)
