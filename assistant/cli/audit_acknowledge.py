"""``audit acknowledge ENTRY --by DIRECTOR --reason TEXT [--pin-stdin]``: a medical director marks the
problems ``audit verify`` names about one entry as known and explained (a signed act). ``verify``
still lists them, marked acknowledged; it exits 0 once every problem it finds is."""

from __future__ import annotations

import argparse

from assistant.cli.common import EXIT_INVALID, EXIT_OK, open_store, say
from assistant.cli.pins import PinReader


def run(args: argparse.Namespace) -> int:
    from assistant.core.lifecycle.acknowledged import CannotAcknowledge, checked_reason
    from assistant.services.acknowledging import acknowledge
    from assistant.services.desk import Desk

    entry = str(args.entry or "")
    if not entry.isascii() or not entry.isdigit() or len(entry) > 18 or int(entry) < 1:
        say("botulax-consult: audit acknowledge needs the number of the audit entry (as audit verify names it).")
        return EXIT_INVALID
    if not args.by:
        say("botulax-consult: audit acknowledge needs the medical director who acknowledges it (--by DIRECTOR).")
        return EXIT_INVALID
    try:
        checked_reason(args.reason)  # said before the PIN is asked
        desk = Desk(open_store(args))
        pin = PinReader(args).read(f"PIN of {args.by}: ")
        problems = acknowledge(desk, int(entry), args.by, pin, args.reason)
    except CannotAcknowledge as error:
        say(f"botulax-consult: {error}")
        return EXIT_INVALID
    for problem in problems:
        say(f"acknowledged: {problem.text}")
    say(f"The problems of audit entry {entry} are acknowledged; audit verify still lists them, marked so.")
    return EXIT_OK
