"""The ``botulax-consult`` command.

Exit codes are a contract with clinics' scripts: 0 planned (including deferred zones), 1 problems
found by ``check``, 2 invalid input (answers, files, flags), 3 contraindicated, 4 refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.files.clinic_file import Loaded
    from assistant.resources import Resources

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_INVALID = 2
EXIT_CONTRAINDICATED = 3
EXIT_REFUSED = 4

STATUS_EXIT = {"planned": EXIT_OK, "contraindicated": EXIT_CONTRAINDICATED, "refused": EXIT_REFUSED}


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


def _print_problems(problems: Sequence[object]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    from assistant.documents.render import RenderError, make_environment, render
    from assistant.files.loaders import load_answers
    from assistant.headless import consult_date, run_answer_file
    from assistant.resources import load_resources

    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        _print_problems(loaded.problems)
        print("botulax-consult: cannot plan: the files above have problems.", file=sys.stderr)
        return EXIT_INVALID
    resources = loaded.value
    answers = load_answers(args.answers)
    if answers.value is None:
        _print_problems(answers.problems)
        return EXIT_INVALID
    today = consult_date(answers.value, args.today, date.today())
    if not isinstance(today, date):
        _print_problems([f"{answers.value.located.file}:{answers.value.located.line_of(('today',))}: {today}"])
        return EXIT_INVALID
    outcome = run_answer_file(resources, answers.value, today)
    _print_problems(outcome.notes)
    if outcome.plan is None:
        _print_problems(outcome.problems)
        print(
            f"botulax-consult: {len(outcome.problems)} problem(s) in {args.answers}; nothing was planned.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    plan = outcome.plan
    consult_id = None
    if not args.no_save:
        from assistant.recording import make_record, now
        from assistant.records import RecordsError, open_repository
        from assistant.user_config import load_user_config

        assert outcome.consult is not None
        staff = args.staff or load_user_config().staff_name
        record = make_record(plan, outcome.consult.answers, started_at=now(), staff=staff, resources=resources)
        try:
            consult_id = open_repository(_data_dir(args)).save(record)
        except RecordsError as error:
            print(f"botulax-consult: the consult was planned but not saved: {error}", file=sys.stderr)
            return EXIT_INVALID
        print(f"Saved as consult {consult_id}.", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({**plan.model_dump(mode="json"), "consult_id": consult_id}, indent=2, ensure_ascii=False))
    else:
        env = make_environment(resources.templates_dir)
        sources = {s.id: s.title for s in resources.kb.knowledge.sources}
        try:
            print(
                render(env, "dose_summary.txt.j2", {"plan": plan, "clinic": resources.clinic, "sources": sources}),
                end="",
            )
        except RenderError as error:
            print(f"botulax-consult: {error}", file=sys.stderr)
            return EXIT_INVALID
    return STATUS_EXIT[plan.status]


def _data_dir(args: argparse.Namespace) -> Path | None:
    return getattr(args, "data_dir", None)


def cmd_history(args: argparse.Namespace) -> int:
    from assistant.records import RecordsError, open_repository

    try:
        repository = open_repository(_data_dir(args))
        rows = repository.history(args.patient) if args.patient else repository.list_recent(max(1, args.limit))
    except RecordsError as error:
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_INVALID
    rows = rows[: max(1, args.limit)]
    if args.format == "json":
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        who = f" for '{args.patient}'" if args.patient else ""
        print(f"No consults found{who}.")
        return EXIT_OK
    print(f"{'consult':26} {'date':10}  {'patient':24} {'status':15} {'units':>6}  zones")
    for row in rows:
        name = row.patient_name + (f" ({row.patient_id})" if row.patient_id else "")
        units, zones = f"{row.total_units:g}", ", ".join(row.zones)
        print(f"{row.consult_id:26} {row.date.isoformat():10}  {name[:24]:24} {row.status:15} {units:>6}  {zones}")
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    import shutil
    import subprocess
    import tempfile

    from assistant.documents import RenderError
    from assistant.recording import document_name, render_record
    from assistant.records import ConsultNotFound, RecordsError, open_repository, require
    from assistant.resources import load_resources

    if args.to_printer and shutil.which("lp") is None:
        print(
            "botulax-consult: no system print queue here (the 'lp' command is missing); use --output.", file=sys.stderr
        )
        return EXIT_INVALID
    try:
        record = require(open_repository(_data_dir(args)), args.consult_id)
    except ConsultNotFound:
        print(f"botulax-consult: no consult '{args.consult_id}' (see: botulax-consult history).", file=sys.stderr)
        return EXIT_INVALID
    except RecordsError as error:
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_INVALID
    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        _print_problems(loaded.problems)
        return EXIT_INVALID
    whats = ("patient", "summary") if args.what == "both" else (args.what,)
    fmt = "pdf" if args.to_printer else args.format
    outputs: list[tuple[str, str | bytes]] = []
    try:
        for what in whats:
            outputs.append((what, render_record(record, loaded.value, what, fmt, args.paper)))  # type: ignore[arg-type]
    except RenderError as error:
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_INVALID
    if fmt == "text" and args.output is None and not args.to_printer:
        print("\n\n".join(str(content) for _, content in outputs), end="")
        return EXIT_OK
    if args.to_printer:
        folder = Path(tempfile.mkdtemp(prefix="botulax-print-"))
    elif args.output is not None and (len(outputs) > 1 or args.output.is_dir()):
        folder = args.output
    else:
        folder = None
    written = []
    for what, content in outputs:
        path = (
            (folder / document_name(record, what, fmt))
            if folder
            else (args.output or Path(document_name(record, what, fmt)))
        )  # type: ignore[arg-type]
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        path.chmod(0o600)
        written.append(path)
    if args.to_printer:
        for path in written:
            result = subprocess.run(["lp", str(path)], capture_output=True, text=True)
            if result.returncode != 0:
                print(f"botulax-consult: the print queue refused {path.name}: {result.stderr.strip()}", file=sys.stderr)
                return EXIT_INVALID
            print(f"Sent {path.name} to the printer. {result.stdout.strip()}")
        return EXIT_OK
    for path in written:
        print(path)
    return EXIT_OK


def cmd_rehearse(args: argparse.Namespace) -> int:
    from assistant import locations
    from assistant.rehearsal import rehearse, table
    from assistant.resources import load_resources

    folder = args.folder or locations.EXAMPLES_DIR
    if not folder.is_dir():
        print(f"botulax-consult: there is no folder {folder}.", file=sys.stderr)
        return EXIT_INVALID
    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        _print_problems(loaded.problems)
        return EXIT_INVALID
    results = rehearse(loaded.value, folder, date.today())
    if not results:
        print(f"botulax-consult: no answer files (*.yaml) in {folder}.", file=sys.stderr)
        return EXIT_INVALID
    print(table(results, folder))
    return EXIT_OK if all(r.passed for r in results) else EXIT_PROBLEMS


def cmd_check(args: argparse.Namespace) -> int:
    from assistant.lint import lint

    problems = lint(args.script, args.knowledge, _data_dir(args))
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if problems:
        print(f"{errors} error(s), {warnings} warning(s).", file=sys.stderr)
        return EXIT_PROBLEMS
    print("No problems found.", file=sys.stderr)
    return EXIT_OK


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant import locations
    from assistant.core.knowledge import KnowledgeBase
    from assistant.core.search import KnowledgeSearch
    from assistant.files.loaders import load_knowledge

    loaded = load_knowledge(args.knowledge or locations.KNOWLEDGE_DIR)
    if loaded.value is None:
        _print_problems(loaded.problems)
        return EXIT_INVALID
    kb = KnowledgeBase(loaded.value.knowledge)
    hits = KnowledgeSearch.for_knowledge(kb).ask(args.question, limit=max(1, args.limit))
    if args.format == "json":
        rows = [
            {
                "id": h.entry.id,
                "title": h.entry.title,
                "text": h.entry.text,
                "sources": list(h.entry.sources),
                "score": round(h.score, 3),
            }
            for h in hits
        ]
        print(json.dumps({"question": args.question, "answers": rows}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not hits:
        print(f"Nothing found in the knowledge base for '{args.question}'.")
        return EXIT_OK
    for hit in hits:
        sources = ", ".join(hit.entry.sources)
        print(f"{hit.entry.title}\n  {hit.entry.text}\n  [{sources}]\n")
    return EXIT_OK


def cmd_ui(args: argparse.Namespace) -> int:
    """Start the consult UI. When the script and knowledge are unchanged since they last passed
    every check, the first question is drawn before the engine loads (see assistant.startup)."""
    from assistant import locations, startup
    from assistant.tui.app import make_app

    key = startup.cache_key(
        *startup.file_hashes(args.script or locations.SCRIPT_FILE, args.knowledge or locations.KNOWLEDGE_DIR)
    )
    first = startup.read_first(key)
    today = args.today or date.today()

    def loader() -> Loaded[Resources]:
        from assistant.resources import load_resources

        return load_resources(args.script, args.knowledge, args.clinic)

    data_dir = _data_dir(args)
    if first is None:
        loaded = loader()
        if loaded.value is None:
            _print_problems(loaded.problems)
            print(
                "botulax-consult: cannot start: the files above have problems (botulax-consult check).", file=sys.stderr
            )
            return EXIT_INVALID
        app = make_app(loaded.value, today, loader=loader, data_dir=data_dir, trainer=args.trainer)
    else:
        app = make_app(today=today, loader=loader, first=first, data_dir=data_dir, trainer=args.trainer)
    app.run()
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "ask":
            return cmd_ask(args)
        if args.command == "export":
            from assistant.fhir_export import cmd_export

            return cmd_export(args)
        if args.command == "export-script":
            from assistant.fhir_export import cmd_export_script

            return cmd_export_script(args)
        if args.command == "rehearse":
            return cmd_rehearse(args)
        if args.command == "history":
            return cmd_history(args)
        if args.command == "print":
            return cmd_print(args)
        return cmd_ui(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `botulax-consult history | head`: the reader left; nothing is wrong
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
