"""``review CONSULT_ID --answers FILE --by NAME``: the day-14 review kept on the consult's record."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, open_store, print_problems, say
from assistant.cli.parser import add_data_dir
from assistant.cli.pins import PinReader, add_pin_stdin


def cmd_review(args: argparse.Namespace) -> int:
    from assistant import locations
    from assistant.core.knowledge import KnowledgeBase
    from assistant.core.problems import InvalidAnswers
    from assistant.files.loaders import load_answers, load_knowledge
    from assistant.services.desk import Desk
    from assistant.services.reviewing import load_review_script, record_review

    script = load_review_script(args.review_script)
    if script.value is None:
        print_problems(script.problems)
        say("botulax-consult: the review script above has problems (botulax-consult check).")
        return EXIT_INVALID
    answers = load_answers(args.answers)
    if answers.value is None:
        print_problems(answers.problems)
        return EXIT_INVALID
    knowledge = load_knowledge(args.knowledge or locations.KNOWLEDGE_DIR)  # which zones have sides
    if knowledge.value is None:
        print_problems(knowledge.problems)
        return EXIT_INVALID
    kb = KnowledgeBase(knowledge.value.knowledge)
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    try:
        record = record_review(
            Desk(open_store(args)), args.consult_id, args.by, pin, script.value.script, answers.value.answers, kb
        )
    except InvalidAnswers as error:
        print_problems([f"{args.answers}: {problem}" for problem in error.problems])
        say(f"botulax-consult: nothing was recorded for consult {args.consult_id}.")
        return EXIT_INVALID
    review = record.reviews[-1]
    flag = " A serious adverse event is flagged on the patient's chart." if review.serious else ""
    print(f"Review recorded by {review.by}: consult {record.consult_id}, version {record.version}.{flag}")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review", help="record the day-14 review of a treatment (effect, residual difference, adverse events)"
    )
    review.add_argument("consult_id", metavar="CONSULT_ID")
    review.add_argument("--answers", required=True, type=Path, metavar="FILE", help="the review's answers (YAML)")
    review.add_argument("--by", required=True, metavar="NAME", help="who reviewed (their PIN is asked)")
    review.add_argument(
        "--review-script", type=Path, metavar="FILE", help="review script (default: the shipped prompts/review.yaml)"
    )
    review.add_argument(
        "--knowledge", type=Path, metavar="DIR", help="knowledge base folder (default: the shipped knowledge/)"
    )
    add_pin_stdin(review)
    add_data_dir(review)
    review.set_defaults(handler=cmd_review)
