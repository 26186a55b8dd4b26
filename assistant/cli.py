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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="botulax-consult",
        description="Consultation assistant for Botulax (letibotulinumtoxinA). "
        "Decision support: the practitioner decides.",
    )
    _add_sources(parser)
    parser.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help="the consult date (default: today)")
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
    _add_sources(run)

    ask = commands.add_parser("ask", help="look something up in the knowledge base, e.g. ask 'max glabella'")
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--format", choices=("text", "json"), default="text")
    ask.add_argument("--limit", type=int, default=3, help="how many entries at most (default 3)")
    ask.add_argument("--knowledge", type=Path, metavar="DIR")

    check = commands.add_parser("check", help="lint the question script and knowledge base for trainers")
    check.add_argument("--script", type=Path, metavar="FILE")
    check.add_argument("--knowledge", type=Path, metavar="DIR")
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
    if args.format == "json":
        print(json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False))
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


def cmd_check(args: argparse.Namespace) -> int:
    from assistant.lint import lint

    problems = lint(args.script, args.knowledge)
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

    key = startup.cache_key(args.script or locations.SCRIPT_FILE, args.knowledge or locations.KNOWLEDGE_DIR)
    first = startup.read_first(key)
    today = args.today or date.today()

    def loader() -> Loaded[Resources]:
        from assistant.resources import load_resources

        return load_resources(args.script, args.knowledge, args.clinic)

    if first is None:
        loaded = loader()
        if loaded.value is None:
            _print_problems(loaded.problems)
            print(
                "botulax-consult: cannot start: the files above have problems (botulax-consult check).", file=sys.stderr
            )
            return EXIT_INVALID
        app = make_app(loaded.value, today)
    else:
        app = make_app(today=today, loader=loader, first=first)
    app.run()
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "ask":
            return cmd_ask(args)
        return cmd_ui(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
