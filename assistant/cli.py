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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "check":
            return cmd_check(args)
        parser.print_help()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
