"""``db upgrade [--workstations ROLE]``, ``db status`` and ``db import DIR --by DIRECTOR``: the clinic's PostgreSQL
server. An import is a medical director's act, of a folder whose own trail verifies (``services/import_check``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, EXIT_PROBLEMS, say, settings_database
from assistant.cli.parser import add_data_dir, one_line_text
from assistant.cli.pins import PinReader, add_pin_stdin

NO_SERVER = (
    "no database is configured: give --database postgresql://USER@HOST/DB, or set BOTULAX_CONSULT_DATABASE, "
    "or [records] database in the clinic settings (see README, 'A clinic with several workstations')."
)


def _address(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from assistant.records.choose import database_url
    from assistant.records.postgres.url import parse_database_url

    given = getattr(args, "database", None)
    url, from_settings = database_url(given, None if given else settings_database(args))
    if not url:
        return None
    return parse_database_url(url, from_settings=from_settings)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from assistant.records.postgres.migrate import upgrade

    address = _address(args)
    if address is None:
        print(f"botulax-consult: {NO_SERVER}", file=sys.stderr)
        return EXIT_INVALID
    done = upgrade(address, args.workstations)
    if done.before == done.after:
        print(f"{address.where[:1].upper()}{address.where[1:]} is at schema version {done.after}: nothing to do.")
    else:
        print(f"Upgraded {address.where} from {done.before or 'an empty database'} to schema version {done.after}.")
    for role in done.workstations:
        print(
            f"The workstations' role {role} may read the record and add to it; it cannot change or remove an audit "
            "entry or a kept version, nor alter a table or disable its triggers."
        )
    return EXIT_OK


def cmd_db_status(args: argparse.Namespace) -> int:
    from assistant.records.postgres.migrate import status

    address = _address(args)
    if address is None:
        print(f"botulax-consult: {NO_SERVER}", file=sys.stderr)
        return EXIT_INVALID
    found = status(address)
    print(f"Server: {address.shown}")
    if found.role is not None:
        print(f"Connected as: {found.role.described}")
        for warning in found.role.warnings:
            say(warning)
    if found.version is None:
        print(f"Schema: none yet (this program needs version {found.wanted}): run botulax-consult db upgrade.")
        return EXIT_INVALID
    state = "current" if found.current else f"this program needs {found.wanted}: run botulax-consult db upgrade"
    print(f"Schema: version {found.version} ({state})")
    for name, count in found.counts.items():
        print(f"  {name:18} {count:>10,}")
    return EXIT_OK if found.current else EXIT_INVALID


def cmd_db_import(args: argparse.Namespace) -> int:
    from assistant.core.text_safety import reason_problem
    from assistant.records import TinyDBStore
    from assistant.records.postgres.importer import import_folder
    from assistant.records.postgres.store import PostgresStore
    from assistant.services import import_check

    if args.accept_unverified and not (args.reason or "").strip():
        say("botulax-consult: --accept-unverified needs its reason (--reason TEXT); nothing was imported.")
        return EXIT_INVALID
    if args.reason and (problem := reason_problem(args.reason, "The reason")):
        say(f"botulax-consult: {problem}")
        return EXIT_INVALID
    address = _address(args)
    if address is None:
        print(f"botulax-consult: {NO_SERVER}", file=sys.stderr)
        return EXIT_INVALID
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"botulax-consult: there is no folder {folder}.", file=sys.stderr)
        return EXIT_INVALID
    server, source = PostgresStore(address), TinyDBStore(folder)
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    desk, director = import_check.director(server, source, args.by, pin)
    from assistant.cli.progress import progress

    with progress(f"checking {folder}") as checking:
        verdict = import_check.folder_verdict(folder, source, checking)
    if not verdict.ok and not args.accept_unverified:
        for problem in verdict.problems:
            say(f"botulax-consult: db import refused: {problem}")
        say(
            f"Nothing was imported: the audit trail of {folder} does not verify. A medical director may import it "
            "anyway with --accept-unverified --reason TEXT (kept in the trail)."
        )
        return EXIT_PROBLEMS
    with progress("db import") as importing:
        report = import_folder(folder, server, os.environ.get("USER"), progress=importing)
    import_check.record(desk, director, folder, verdict, args.reason)
    for problem in report.skipped:
        print(f"botulax-consult: skipped: {problem}", file=sys.stderr)
    print(report.summary())
    return EXIT_OK if not report.skipped else EXIT_INVALID


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="the clinic's PostgreSQL server: upgrade, status, import")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="create or upgrade the schema (safe to run again)")
    add_data_dir(upgrade)
    upgrade.add_argument(
        "--workstations",
        metavar="ROLE",
        help="grant this role (which every workstation's URL names) exactly what the program needs (again: the same)",
    )
    upgrade.add_argument("--clinic", type=Path, metavar="FILE", help="clinic settings naming [records] database")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    status = actions.add_parser("status", help="the schema version and how many of each are kept")
    add_data_dir(status)
    status.add_argument("--clinic", type=Path, metavar="FILE", help="clinic settings naming [records] database")
    status.set_defaults(handler=cmd_db_status)
    importing = actions.add_parser("import", help="copy a TinyDB data folder in (run twice, imports nothing twice)")
    importing.add_argument("folder", type=Path, metavar="DIR")
    importing.add_argument(
        "--by", metavar="DIRECTOR", required=True, type=one_line_text, help="the medical director who imports"
    )
    importing.add_argument(
        "--accept-unverified",
        action="store_true",
        help="import a folder whose audit trail does not verify (with --reason; kept in the trail)",
    )
    importing.add_argument("--reason", metavar="TEXT", type=one_line_text, help="why an unverified folder is imported")
    add_pin_stdin(importing)
    add_data_dir(importing)
    importing.add_argument("--clinic", type=Path, metavar="FILE", help="clinic settings naming [records] database")
    importing.set_defaults(handler=cmd_db_import)
    add_data_dir(db)
