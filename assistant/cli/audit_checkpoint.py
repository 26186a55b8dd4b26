"""``audit checkpoint --by DIRECTOR [--pin-stdin] [--output FILE]``: sign the trail's head into a file
to keep elsewhere; and, for ``audit verify --checkpoint FILE...``, each checkpoint checked against the trail.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, EXIT_PROBLEMS, emit, open_store, say
from assistant.cli.pins import PinReader
from assistant.records.repository import ConsultRepository


def run(args: argparse.Namespace) -> int:
    from assistant.services import checkpoints
    from assistant.services.desk import Desk

    if not args.by:
        say("botulax-consult: audit checkpoint needs the medical director who signs it: --by DIRECTOR.")
        return EXIT_INVALID
    desk = Desk(open_store(args))
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    checkpoint, path = checkpoints.write(desk, args.by, pin, Path(args.output) if args.output else None)
    emit(
        f"Checkpoint of audit entry {checkpoint.entries} (head {checkpoint.head[:12]}), signed by {checkpoint.signer}, "
        f"written to {path}."
    )
    say(
        "Keep it away from this computer and the records server (a USB stick, another machine); "
        f"botulax-consult audit verify --checkpoint {path} checks the trail against it."
    )
    return EXIT_OK


def verify_checkpoints(repository: ConsultRepository, files: list[str]) -> int:
    """Each checkpoint named, held by the trail or not (said on standard output or error): EXIT_OK,
    EXIT_PROBLEMS, or EXIT_INVALID (nothing checked) when a file is not a readable checkpoint."""
    from assistant.services import checkpoints

    try:
        found = checkpoints.check_files(repository, [Path(name) for name in files])
    except checkpoints.UnreadableCheckpoint as why:
        say(f"botulax-consult: {why}")
        return EXIT_INVALID
    for verdict in found:
        if verdict.ok:
            emit(verdict.sentence)
        else:
            say(f"botulax-consult: audit verify failed: {verdict.sentence}")
    return EXIT_OK if all(v.ok for v in found) else EXIT_PROBLEMS
