"""Commands about the question script and the knowledge base: ``ask`` it, ``check`` both for
trainers, ``rehearse`` the example answer files against their expected plans."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, EXIT_PROBLEMS, data_dir, emit, print_problems, say
from assistant.cli.parser import add_data_dir, add_sources
from assistant.core.text import counted


def cmd_rehearse(args: argparse.Namespace) -> int:
    from assistant import locations
    from assistant.files.resources import load_resources
    from assistant.services.rehearsal import rehearse, table

    folder = args.folder or locations.EXAMPLES_DIR
    if not folder.is_dir():
        say(f"botulax-consult: there is no folder {folder}.")
        return EXIT_INVALID
    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        print_problems(loaded.problems)
        return EXIT_INVALID
    results = rehearse(loaded.value, folder, date.today())
    if not results:
        say(f"botulax-consult: no answer files (*.yaml) in {folder}.")
        return EXIT_INVALID
    emit(table(results, folder))
    return EXIT_OK if all(r.passed for r in results) else EXIT_PROBLEMS


def cmd_check(args: argparse.Namespace) -> int:
    from assistant.core.text_safety import printable
    from assistant.services.lint import lint

    problems = lint(args.script, args.knowledge, data_dir(args), args.review_script)
    if problems:
        emit("\n".join(printable(str(problem), multiline=False) for problem in problems))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if problems:
        say(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}.")
        return EXIT_PROBLEMS
    say("No problems found.")
    return EXIT_OK


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant import locations
    from assistant.core.knowledge import KnowledgeBase
    from assistant.core.search import KnowledgeSearch
    from assistant.files.loaders import load_knowledge

    if not args.question.strip():  # "ask ''": nothing to look up, and said so rather than "nothing found"
        say('botulax-consult: ask needs a question, e.g. botulax-consult ask "max glabella"')
        return EXIT_INVALID
    loaded = load_knowledge(args.knowledge or locations.KNOWLEDGE_DIR)
    if loaded.value is None:
        print_problems(loaded.problems)
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
        emit(json.dumps({"question": args.question, "answers": rows}, indent=2, ensure_ascii=False), json_text=True)
        return EXIT_OK
    if not hits:
        emit(f"Nothing found in the knowledge base for '{args.question}'.")
        return EXIT_OK
    emit("\n".join(f"{hit.entry.title}\n  {hit.entry.text}\n  [{', '.join(hit.entry.sources)}]\n" for hit in hits))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    ask = commands.add_parser("ask", help="look something up in the knowledge base, e.g. ask 'max glabella'")
    ask.add_argument("question", metavar="QUESTION")
    ask.add_argument("--format", choices=("text", "json"), default="text")
    ask.add_argument("--limit", type=int, default=3, help="how many entries at most (default 3)")
    ask.add_argument("--knowledge", type=Path, metavar="DIR")
    add_data_dir(ask)
    ask.set_defaults(handler=cmd_ask)

    rehearse = commands.add_parser("rehearse", help="run the example answer files and compare with their expect:")
    rehearse.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="default: the shipped prompts/examples")
    add_sources(rehearse)
    add_data_dir(rehearse)
    rehearse.set_defaults(handler=cmd_rehearse)

    check = commands.add_parser("check", help="lint the question script and knowledge base for trainers")
    check.add_argument("--script", type=Path, metavar="FILE")
    check.add_argument("--knowledge", type=Path, metavar="DIR")
    check.add_argument(
        "--review-script",
        type=Path,
        metavar="FILE",
        help="review script (default: the shipped prompts/review.yaml)",
    )
    add_data_dir(check)
    check.set_defaults(handler=cmd_check)
