"""``audit [CONSULT_ID]`` lists the trail; ``audit verify`` checks it against every record."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.cli.common import EXIT_OK, EXIT_PROBLEMS, open_store
from assistant.cli.parser import add_data_dir


def cmd_audit(args: argparse.Namespace) -> int:
    from assistant.core.lifecycle.audit import describe
    from assistant.core.text_safety import printable
    from assistant.services import audit_trail

    repository = open_store(args)
    if args.target == "verify":
        verdict = audit_trail.check(repository)
        if verdict.ok:
            print(f"The audit trail holds {verdict.entries} entries; every one and every record version match.")
            return EXIT_OK
        for problem in verdict.problems:
            print(f"botulax-consult: audit verify failed: {problem}", file=sys.stderr)
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
    audit = commands.add_parser("audit", help="the audit trail (of one consult), or `audit verify` to check it")
    audit.add_argument("target", nargs="?", metavar="CONSULT_ID|verify")
    audit.add_argument("--format", choices=("text", "json"), default="text")
    add_data_dir(audit)
    audit.set_defaults(handler=cmd_audit)
