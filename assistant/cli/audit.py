"""``audit [CONSULT_ID]`` lists the trail; ``audit verify`` checks it against every record.

The trail's other verbs (``audit checkpoint``, ``audit acknowledge ENTRY``) live in modules of their
own; this one only parses and dispatches, so each verb's options are stated once, here.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from assistant.cli.common import EXIT_INVALID, EXIT_OK, EXIT_PROBLEMS, open_store
from assistant.cli.parser import add_data_dir
from assistant.cli.pins import add_pin_stdin

VERBS = {
    "checkpoint": "assistant.cli.audit_checkpoint",
    "acknowledge": "assistant.cli.audit_acknowledge",
}
"""``audit VERB``: the module whose ``run(args) -> int`` carries it out."""


def cmd_audit(args: argparse.Namespace) -> int:
    from assistant.core.lifecycle.audit import describe
    from assistant.core.text_safety import printable
    from assistant.services import audit_trail

    if args.target in VERBS:
        return importlib.import_module(VERBS[args.target]).run(args)
    repository = open_store(args)
    if args.target == "verify":
        from assistant.cli.audit_checkpoint import verify_checkpoints

        held = verify_checkpoints(repository, args.checkpoint)  # exit 2 (nothing checked): not a checkpoint
        if held == EXIT_INVALID:
            return held
        from assistant.cli.progress import progress

        with progress("audit verify") as report:
            verdict = audit_trail.check(repository, report)
        for unchecked in verdict.notes:
            print(f"botulax-consult: audit verify: {unchecked}", file=sys.stderr)
        if verdict.ok and held == EXIT_OK:
            print(f"The audit trail holds {verdict.entries} entries; every one and every record version match.")
            return EXIT_OK
        settled = verdict.all_acknowledged
        for problem in verdict.problems:
            print(f"botulax-consult: audit verify {'found' if settled else 'failed'}: {problem}", file=sys.stderr)
        if settled and held == EXIT_OK:
            print(f"The audit trail holds {verdict.entries} entries; every problem found is acknowledged.")
            return EXIT_OK
        return EXIT_PROBLEMS
    entries = audit_trail.entries(repository, args.target)
    if args.format == "json":
        print(json.dumps([e.model_dump(mode="json") for e in entries], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        print("No audit entries" + (f" for consult {args.target}." if args.target else "."))
        return EXIT_OK
    for entry in entries:
        print(printable(describe(entry), multiline=False))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser(
        "audit",
        help="the audit trail (of one consult); `audit verify` checks it, `audit checkpoint` signs its head, "
        "`audit acknowledge ENTRY` marks a known problem",
    )
    audit.add_argument("target", nargs="?", metavar="CONSULT_ID|verify|checkpoint|acknowledge")
    audit.add_argument("entry", nargs="?", metavar="ENTRY", help="for `audit acknowledge`: the entry's number")
    audit.add_argument("--format", choices=("text", "json"), default="text")
    audit.add_argument("--by", metavar="DIRECTOR", help="checkpoint, acknowledge: the medical director who signs")
    audit.add_argument("--reason", metavar="TEXT", help="acknowledge: why the problem is known and explained")
    audit.add_argument("--output", metavar="FILE", help="checkpoint: where to write it")
    audit.add_argument(
        "--checkpoint",
        metavar="FILE",
        nargs="+",
        action="extend",
        default=[],
        help="verify: checkpoints the trail must contain (kept elsewhere)",
    )
    add_pin_stdin(audit)
    add_data_dir(audit)
    audit.set_defaults(handler=cmd_audit)
