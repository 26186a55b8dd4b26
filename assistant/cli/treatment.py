"""From plan to signed record on the command line: ``give``, ``sign``, ``amend`` and ``show``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.common import EXIT_INVALID, EXIT_OK, EXIT_REFUSED, open_store, print_problems, say
from assistant.cli.parser import add_data_dir, add_sources
from assistant.cli.pins import PinReader, add_pin_stdin
from assistant.cli.recorded_warnings import recorded_warnings
from assistant.core.text import counted

if TYPE_CHECKING:
    from assistant.files.given_file import GivenFile
    from assistant.files.resources import Resources
    from assistant.services.desk import Desk


def _desk(args: argparse.Namespace, resources: Resources | None = None) -> Desk:
    from assistant.services.desk import Desk

    require_cosign = resources.clinic.require_cosign if resources is not None else False
    return Desk(open_store(args), require_cosign=require_cosign)


def _resources(args: argparse.Namespace) -> Resources | None:
    from assistant.files.resources import load_resources

    loaded = load_resources(getattr(args, "script", None), getattr(args, "knowledge", None), args.clinic)
    if loaded.value is None:
        print_problems(loaded.problems)
        print("botulax-consult: the files above have problems (botulax-consult check).", file=sys.stderr)
    return loaded.value


def _given_file(path: Path) -> GivenFile | None:
    from assistant.files.given_file import load_given

    loaded = load_given(path)
    if loaded.value is None:
        print_problems(loaded.problems)
    return loaded.value


def _saved(record_words: str, consult_id: str, version: int) -> int:
    print(f"{record_words}: consult {consult_id}, version {version}.")
    return EXIT_OK


def _over_limit(breaches: tuple[object, ...]) -> int:
    """Exit 4: each limit passed, with both figures, and how a medical director may record it."""
    for breach in breaches:
        say(f"botulax-consult: {getattr(breach, 'message', breach)}.")
    say(
        "botulax-consult: nothing was recorded. A medical director may record it past the limit with "
        "--by THEIR NAME --override-reason TEXT (and their PIN)."
    )
    return EXIT_REFUSED


def cmd_give(args: argparse.Namespace) -> int:
    from assistant.core.lifecycle.override import OverLimit
    from assistant.services.treatment import InvalidGiven, give

    resources = _resources(args)
    if resources is None:
        return EXIT_INVALID
    given = _given_file(args.given) if args.given else None
    if args.given and given is None:
        return EXIT_INVALID
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    notes: list[str] = []
    try:
        record = give(
            _desk(args, resources),
            args.consult_id,
            args.by,
            pin,
            resources.kb,
            given.entries if given else None,
            lot=given.lot if given else None,
            expiry=given.expiry if given else None,
            vial_ids=[] if args.no_vial else args.vial,
            clinic=resources.clinic,
            override_reason=args.override_reason,
            forms=resources.consent_forms(),
            notes=notes,
        )
    except InvalidGiven as error:
        if given is not None:
            print_problems(given.problems_of(error.problems))
        else:  # the plan's own lines (its lot, the vials'): no file to point into
            print_problems([f"consult {args.consult_id}: {problem.message}" for problem in error.problems])
        print("botulax-consult: nothing was recorded.", file=sys.stderr)
        return EXIT_INVALID
    except OverLimit as error:
        return _over_limit(error.breaches)
    assert record.given is not None
    recorded_warnings(args, record, notes)
    drawn = record.given.vials_in_words()
    words = f"Recorded as given by {record.given.by} ({record.given.total_units:g} U{', ' if drawn else ''}{drawn})"
    if record.given.override is not None:
        words += f", past a limit: {record.given.override.words()}"
    return _saved(words, record.consult_id, record.version)


def cmd_sign(args: argparse.Namespace) -> int:
    from assistant.services.treatment import sign

    pin = PinReader(args).read(f"PIN of {args.by}: ")
    resources = _resources(args)
    if resources is None:
        return EXIT_INVALID
    record = sign(_desk(args, resources), args.consult_id, args.by, pin, args.meaning)
    signature = record.signatures[-1]
    words = "Co-signed" if signature.kind == "cosignature" else "Signed"
    if record.awaiting_cosign:
        words += " (a medical director's co-signature is still needed)"
    return _saved(f"{words} by {signature.name}, {signature.meaning}", record.consult_id, record.version)


def cmd_amend(args: argparse.Namespace) -> int:
    from assistant.services import treatment

    resources = _resources(args)
    if resources is None:
        return EXIT_INVALID
    desk = _desk(args, resources)
    if args.given:
        given = _given_file(args.given)
        if given is None:
            return EXIT_INVALID
        from assistant.core.lifecycle.override import OverLimit

        pin = PinReader(args).read(f"PIN of {args.by}: ")
        notes: list[str] = []
        try:
            record = treatment.amend_given(
                desk, args.consult_id, args.by, pin, args.reason, resources.kb, given.entries,
                lot=given.lot, expiry=given.expiry, clinic=resources.clinic, override_reason=args.override_reason,
                forms=resources.consent_forms(), notes=notes,
            )  # fmt: skip
        except treatment.InvalidGiven as error:
            print_problems(given.problems_of(error.problems))
            print("botulax-consult: nothing was amended.", file=sys.stderr)
            return EXIT_INVALID
        except OverLimit as error:
            return _over_limit(error.breaches)
        assert record.given is not None
        recorded_warnings(args, record, notes)
        return _saved("Amended (what was given)", record.consult_id, record.version)
    return _amend_answers(args, resources, desk)


def _amend_answers(args: argparse.Namespace, resources: Resources, desk: Desk) -> int:
    """``--answers FILE``: only the answers that change, merged onto the current version, read as a
    whole and planned again (``services.amend_answers``)."""
    from assistant import clock
    from assistant.core.lifecycle.amended_answers import contraindicated_after_giving
    from assistant.files.loaders import load_answers
    from assistant.records.repository import require
    from assistant.services import treatment
    from assistant.services.amend_answers import replan

    current = require(desk.repository, args.consult_id)
    changes = load_answers(args.answers)
    if changes.value is None:
        print_problems(changes.problems)
        return EXIT_INVALID
    replanned = replan(desk, resources, current, changes.value, clock.today())
    if not replanned.ok:
        print_problems(replanned.problems)
        problems = counted(len(replanned.problems), "problem")
        print(f"botulax-consult: {problems} in {args.answers}; nothing was amended.", file=sys.stderr)
        return EXIT_INVALID
    outcome = replanned.outcome
    assert outcome.plan is not None and outcome.consult is not None
    if warning := contraindicated_after_giving(current, outcome.plan):
        print(f"warning: {warning}", file=sys.stderr)
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    record = treatment.amend_answers(
        desk, args.consult_id, args.by, pin, args.reason, resources.script, outcome.plan, outcome.consult.answers
    )
    return _saved("Amended (answers and plan)", record.consult_id, record.version)


def cmd_show(args: argparse.Namespace) -> int:
    from assistant.records.errors import ConsultNotFound
    from assistant.services.record_view import record_view

    repository = open_store(args)
    versions = repository.versions(args.consult_id)
    if not versions:
        raise ConsultNotFound(args.consult_id)
    if args.version is not None and not 1 <= args.version <= len(versions):
        print(
            f"botulax-consult: consult {args.consult_id} has versions 1 to {len(versions)}, not {args.version}.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    view = record_view(versions, args.version)
    if args.answers_file is not None:
        from assistant.files.answer_file_writer import write_answer_file

        record = versions[(args.version or len(versions)) - 1]
        written = write_answer_file(args.answers_file, record.answers, record.date, record.consult_id, record.version)
        print(f"The answers of consult {record.consult_id}, version {record.version}, are in {written}.")
        return EXIT_OK
    if args.format == "json":
        print(json.dumps(view, indent=2, ensure_ascii=False))
        return EXIT_OK
    from assistant.cli.show_text import show_text

    print(show_text(view), end="")
    return EXIT_OK


def _add_override_reason(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--override-reason",
        metavar="TEXT",
        help="a medical director (--by) records doses past a zone's limit or the session maximum, with this reason",
    )


def register(commands: argparse._SubParsersAction) -> None:
    give = commands.add_parser("give", help="record the doses injected (by default exactly the plan)")
    give.add_argument("consult_id", metavar="CONSULT_ID")
    give.add_argument("--by", required=True, metavar="NAME", help="the injector (their PIN is asked)")
    give.add_argument("--given", type=Path, metavar="FILE", help="YAML lines given, where they differ from the plan")
    vial = give.add_mutually_exclusive_group()
    vial.add_argument(
        "--vial",
        action="append",
        metavar="VIAL_ID",
        help="the vial drawn from (repeat to span two, drawn in that order); default: the one open vial"
        " (of the consult's lot, when it names one)",
    )
    vial.add_argument("--no-vial", action="store_true", help="no vial of the ledger: traced to the consult's lot")
    _add_override_reason(give)
    add_pin_stdin(give)
    add_sources(give)
    add_data_dir(give)
    give.set_defaults(handler=cmd_give)

    sign = commands.add_parser("sign", help="sign a record (it is locked from then on)")
    sign.add_argument("consult_id", metavar="CONSULT_ID")
    sign.add_argument("--by", required=True, metavar="NAME")
    sign.add_argument("--meaning", metavar="TEXT", help='default: "reviewed and approved the treatment given"')
    add_pin_stdin(sign)
    add_sources(sign)
    add_data_dir(sign)
    sign.set_defaults(handler=cmd_sign)

    amend = commands.add_parser("amend", help="amend a record: a new version with its reason; the original stays")
    amend.add_argument("consult_id", metavar="CONSULT_ID")
    amend.add_argument("--by", required=True, metavar="NAME")
    amend.add_argument("--reason", required=True, metavar="TEXT")
    what = amend.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        help="only the answers that change (merged onto the current ones; planned again)",
    )
    what.add_argument("--given", type=Path, metavar="FILE", help="the doses given, corrected")
    _add_override_reason(amend)
    add_pin_stdin(amend)
    add_sources(amend)
    add_data_dir(amend)
    amend.set_defaults(handler=cmd_amend)

    show = commands.add_parser("show", help="a kept consult: state, versions, plan, given, signatures")
    show.add_argument("consult_id", metavar="CONSULT_ID")
    show.add_argument("--version", type=int, metavar="N", help="an earlier version (default: the latest)")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument(
        "--answers-file", type=Path, metavar="FILE", help="write the answers as an answer file (for run or amend)"
    )
    add_data_dir(show)
    show.set_defaults(handler=cmd_show)
