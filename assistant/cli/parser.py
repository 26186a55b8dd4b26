"""The command line's options: the consult UI's own, and every command's."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24") from None


def _add_sources(parser: argparse.ArgumentParser) -> None:
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


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where consults are kept (default: your user data folder)",
    )


COMMANDS = frozenset({"run", "history", "print", "ask", "export", "export-script", "rehearse", "check"})


def _ui_parser(**options: bool) -> argparse.ArgumentParser:
    """The options of the consult UI (no command given)."""
    parser = argparse.ArgumentParser(
        prog="botulax-consult",
        description="Consultation assistant for Botulax (letibotulinumtoxinA). "
        "Decision support: the practitioner decides.",
        **options,
    )
    _add_sources(parser)
    _add_data_dir(parser)
    parser.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help="the consult date (default: today)")
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
    return build_parser().parse_args(words)


def build_parser() -> argparse.ArgumentParser:
    parser = _ui_parser()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="plan a consult from an answer file and print the dose summary")
    run.add_argument("answers", type=Path, metavar="ANSWERS.yaml")
    run.add_argument(
        "--today",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the consult date (default: the file's today:, else the system date)",
    )
    run.add_argument("--format", choices=("text", "json"), default="text")
    run.add_argument("--no-save", action="store_true", help="plan only; keep no record")
    run.add_argument("--staff", metavar="NAME", help="who ran the consult (default: your remembered name)")
    _add_sources(run)
    _add_data_dir(run)

    history = commands.add_parser("history", help="list consults, of one patient (id or name) or the most recent")
    history.add_argument("patient", nargs="?", metavar="PATIENT")
    history.add_argument("--format", choices=("text", "json"), default="text")
    history.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    _add_data_dir(history)

    printing = commands.add_parser("print", help="print or save a kept consult's documents")
    printing.add_argument("consult_id", metavar="CONSULT_ID")
    printing.add_argument("--what", choices=("patient", "summary", "both"), default="both")
    printing.add_argument("--format", choices=("pdf", "html", "text"), default="pdf")
    printing.add_argument("--output", type=Path, metavar="PATH", help="a file, or a folder for --what both")
    printing.add_argument("--paper", choices=("a4", "letter"), default="a4")
    printing.add_argument("--to-printer", action="store_true", help="send to the system print queue (lp)")
    _add_sources(printing)
    _add_data_dir(printing)

    ask = commands.add_parser("ask", help="look something up in the knowledge base, e.g. ask 'max glabella'")
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--format", choices=("text", "json"), default="text")
    ask.add_argument("--limit", type=int, default=3, help="how many entries at most (default 3)")
    ask.add_argument("--knowledge", type=Path, metavar="DIR")
    _add_data_dir(ask)

    export = commands.add_parser("export", help="write a kept consult for a records system (FHIR R4)")
    export.add_argument("consult_id", metavar="CONSULT_ID")
    export.add_argument(
        "--fhir", action="store_true", help="as a FHIR R4 QuestionnaireResponse (JSON); required, the only format"
    )
    export.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (or into a folder), not to stdout")
    export.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="the question script the consult ran with (default: the shipped prompts/consult.yaml)",
    )
    _add_data_dir(export)

    export_script = commands.add_parser("export-script", help="write the question script as a FHIR R4 Questionnaire")
    export_script.add_argument("--fhir", action="store_true", help="as FHIR R4 JSON; required, the only format")
    export_script.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (or into a folder)")
    export_script.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="question script (default: the shipped prompts/consult.yaml)",
    )
    _add_data_dir(export_script)

    rehearse = commands.add_parser("rehearse", help="run the example answer files and compare with their expect:")
    rehearse.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="default: the shipped prompts/examples")
    _add_sources(rehearse)
    _add_data_dir(rehearse)

    check = commands.add_parser("check", help="lint the question script and knowledge base for trainers")
    check.add_argument("--script", type=Path, metavar="FILE")
    check.add_argument("--knowledge", type=Path, metavar="DIR")
    _add_data_dir(check)
    return parser
