"""The command line's options: the consult UI's own, and every command's."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from datetime import date
from importlib import import_module
from pathlib import Path


def iso_date(text: str) -> date:
    from assistant.core.dates import date_problem
    from assistant.core.text_safety import printable

    try:
        value = date.fromisoformat(text)
    except ValueError:
        shown = printable(text, multiline=False)
        raise argparse.ArgumentTypeError(f"'{shown}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24") from None
    problem = date_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def one_line_text(text: str) -> str:
    """A name given on the command line: refused when it holds control or direction characters."""
    from assistant.core.text_safety import text_problem

    problem = text_problem(text, "This name")
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return text


def add_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--script", type=Path, metavar="FILE", help="question script (default: the shipped prompts/consult.yaml)"
    )
    parser.add_argument(
        "--knowledge", type=Path, metavar="DIR", help="knowledge base folder (default: the shipped knowledge/)"
    )
    parser.add_argument(
        "--clinic",
        type=Path,
        metavar="FILE",
        help="clinic settings TOML (default: your clinic.toml or the shipped defaults)",
    )


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    """Where the record is: ``--data-dir`` (this computer's folder) or ``--database`` (the clinic's server)."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where consults are kept (default: your user data folder)",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="the clinic's PostgreSQL server, postgresql://USER@HOST/DB (default: $BOTULAX_CONSULT_DATABASE, "
        "then [records] database in the clinic settings, else the data folder)",
    )


FAMILIES = (
    "consult", "script_and_knowledge", "records", "treatment", "staff", "vials", "tracing", "audit", "db", "export",
    "setup", "patients", "reindex", "waiting", "script_files", "consent", "photos", "reviews",
)  # fmt: skip
"""The modules of ``assistant.cli`` that add commands; each has ``register(commands)``."""

COMMANDS = frozenset(
    {
        "run", "history", "print", "ask", "export", "export-script", "rehearse", "check",
        "give", "sign", "amend", "show", "staff", "audit", "vial", "recall", "due", "report", "db",
        "setup", "patient", "reindex", "waiting", "script", "consent", "photo", "review",
    }
)  # fmt: skip
"""Every command word (a test keeps it equal to the full parser's), so that the UI's own parser can
tell at once that a command line is not for it."""


def _ui_parser(**options: bool) -> argparse.ArgumentParser:
    """The options of the consult UI (no command given)."""
    parser = argparse.ArgumentParser(
        prog="botulax-consult",
        description="Consultation assistant for Botulax (letibotulinumtoxinA). "
        "Decision support: the practitioner decides.",
        **options,
    )
    add_sources(parser)
    add_data_dir(parser)
    parser.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help="the consult date (default: today)")
    parser.add_argument(
        "--trainer", action="store_true", help="trainer mode: reload files with Ctrl+R; a dry run that saves nothing"
    )
    return parser


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Starting the UI is the everyday case and needs only the UI's options; building every
    command's parser as well would delay the first question by a few milliseconds. Whenever the
    UI's options alone do not take the whole command line (a command, --help, a mistake), the full
    parser reads it, so help and error messages are always the full ones."""
    words = list(sys.argv[1:] if argv is None else argv)
    if not COMMANDS.intersection(words):
        try:
            args, rest = _ui_parser(add_help=False, exit_on_error=False).parse_known_args(words)
        except argparse.ArgumentError:
            rest = ["(an error)"]
        if not rest:
            args.command = None
            return args
    parser = full_parser()
    args = parser.parse_args(words)
    if args.command is not None and args.command not in TAKES_TODAY and args.today is not None:
        parser.error(
            f"--today is the date of a consult (botulax-consult run FILE --today YYYY-MM-DD, or the consult UI); "
            f"the command {args.command} does not take it"
        )
    return args


TAKES_TODAY = frozenset({"run"})
"""The commands the consult's date (``--today``, before or after the command word) is for. Given to
another, it was read and silently dropped: a tryout's back-entry was dated the day it was typed."""


@functools.cache
def full_parser() -> argparse.ArgumentParser:
    """Every command's parser, built once per process: building it takes 25-30 ms of CPU (some 150
    parsers and their options), which a program that runs commands in-process (the tests run
    thousands) paid on each. Reading a command line changes nothing in it."""
    return build_parser()


def build_parser() -> argparse.ArgumentParser:
    parser = _ui_parser()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for family in FAMILIES:
        import_module(f"assistant.cli.{family}").register(commands)
    return parser
