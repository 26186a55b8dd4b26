"""``recall LOT``, ``due`` and ``report usage``: from a lot to its patients, and who comes back when.

``recall`` and ``due`` print a page (``--limit``, ``--after``) or the whole answer streamed (``--all``):
see ``paging.py``."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from assistant.cli import paging
from assistant.cli.common import EXIT_INVALID, EXIT_OK, emit, open_store, print_problems, say
from assistant.cli.parser import add_data_dir, add_sources, iso_date

REASON_WORDS = {"review": "review", "touch_up": "touch-up window", "retreatment": "retreatment due"}


def _write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Every text cell neutralised (``csv_cell``): a name typed as ``=HYPERLINK(...)`` stays text.
    Rows are written as they come, so ``--all`` streams."""
    from assistant.core.text_safety import csv_cell

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])


def _kb(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from assistant.files.resources import load_resources

    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        print_problems(loaded.problems)
        return None
    return loaded.value.kb


def _rows(args: argparse.Namespace, read: Callable[[str | None, int], Any]) -> paging.Rows | None:
    """The page (or the whole answer) asked for; None, said, when the flags or the cursor are wrong."""
    from assistant.core.lifecycle.pages import BadCursor

    if problem := paging.problem(args):
        say(f"botulax-consult: {problem}")
        return None
    try:
        return paging.Rows(args, read)
    except BadCursor as error:
        say(f"botulax-consult: {error}")
        return None


def cmd_recall(args: argparse.Namespace) -> int:
    from assistant.core.text_safety import printable
    from assistant.services.adverse_events import with_events
    from assistant.services.pages import recall_page

    repository = open_store(args)
    rows = _rows(
        args, lambda after, limit: with_events(repository, recall_page(repository, args.lot, after, limit), args.lot)
    )
    if rows is None:
        return EXIT_INVALID
    if args.format == "json":
        paging.emit_json(args, rows, lambda r: r.model_dump(mode="json"))
        return EXIT_OK
    if args.format == "csv":
        fields = ("patient_name", "patient_id", "consult_id", "date", "zones", "units", "given_by", "adverse_events")
        _write_csv(
            fields,
            (
                [
                    r.patient_name,
                    r.patient_id or "",
                    r.consult_id,
                    r.date.isoformat(),
                    " ".join(r.zones),
                    f"{r.units:g}",
                    r.given_by,
                    "; ".join(r.adverse_events),
                ]
                for r in rows
            ),
        )
        paging.say_more(rows.next)
        return EXIT_OK
    lot = printable(args.lot, multiline=False)
    said = False
    for r in rows:
        if not said:
            emit(f"Patient visits that received lot {lot}, newest first (the units and zones of this lot):")
            said = True
        who = printable(r.patient_name + (f" ({r.patient_id})" if r.patient_id else ""), multiline=False)
        zones = ", ".join(r.zones)
        emit(f"  {r.date.isoformat()}  {who:32} {r.units:>6g} U  {zones:30} by {r.given_by}  [{r.consult_id}]")
        if r.adverse_events:
            emit(f"    ADVERSE EVENT: {', '.join(r.adverse_events)}")
    if not said:
        emit(f"No patient received lot {lot}" + (" after that cursor." if args.after else "."))
    if line := paging.more_line(rows.next):
        emit(line)
    return EXIT_OK


def cmd_due(args: argparse.Namespace) -> int:
    from assistant.core.text_safety import printable
    from assistant.services.due_pages import due_page

    kb = _kb(args)
    if kb is None:
        return EXIT_INVALID
    if args.days < 1 or args.days > 3660:
        print("botulax-consult: --days is a number of days from 1 to 3660.", file=sys.stderr)
        return EXIT_INVALID
    on = args.on or dt.date.today()
    repository = open_store(args)
    entries = _rows(args, lambda after, limit: due_page(repository, kb.timing, on, args.days, after, limit))
    if entries is None:
        return EXIT_INVALID
    if args.format == "json":
        paging.emit_json(args, entries, lambda e: e.model_dump(mode="json"))
    elif args.format == "csv":
        fields = ("date", "reason", "patient_name", "patient_id", "consult_id", "until", "detail")
        _write_csv(
            fields,
            (
                [
                    e.date.isoformat(),
                    e.reason,
                    e.patient_name,
                    e.patient_id or "",
                    e.consult_id,
                    e.until.isoformat() if e.until else "",
                    e.detail,
                ]
                for e in entries
            ),
        )
        paging.say_more(entries.next)
    elif args.format == "ics":
        from assistant.exchange.calendar import due_calendar

        sys.stdout.write(due_calendar(list(entries), dt.datetime.now(dt.UTC)).decode("utf-8"))
        paging.say_more(entries.next)
    else:
        last = on + dt.timedelta(days=args.days - 1)
        said = False
        for e in entries:
            said = True
            who = printable(e.patient_name + (f" ({e.patient_id})" if e.patient_id else ""), multiline=False)
            emit(f"{e.date.isoformat()}  {REASON_WORDS[e.reason]:16} {who:32} {e.detail}")
        if not said:
            emit(
                f"Nobody is due from {on.isoformat()} to {last.isoformat()}"
                + (" after that cursor." if args.after else ".")
            )
        if line := paging.more_line(entries.next):
            emit(line)
    return EXIT_OK


def cmd_report_usage(args: argparse.Namespace) -> int:
    from assistant.services.tracing import stock

    if args.to < args.start:
        print("botulax-consult: --to is before --from.", file=sys.stderr)
        return EXIT_INVALID
    report = stock(open_store(args), args.start, args.to)
    if args.format == "csv":
        fields = ("month", "lot", "vials_opened", "units_opened", "units_given", "units_wasted", "units_left_now")
        _write_csv(
            fields,
            [
                [
                    r.month,
                    r.lot,
                    r.vials_opened,
                    f"{r.units_opened:g}",
                    f"{r.units_given:g}",
                    f"{r.units_wasted:g}",
                    f"{report.left.get(r.lot, 0):g}",
                ]
                for r in report.rows
            ],
        )
        return EXIT_OK
    print(f"Usage from {args.start.isoformat()} to {args.to.isoformat()}")
    print(f"{'month':8} {'lot':16} {'vials':>5} {'opened U':>9} {'given U':>8} {'wasted U':>9}")
    for r in report.rows:
        print(
            f"{r.month:8} {r.lot:16} {r.vials_opened:>5} {r.units_opened:>9g} {r.units_given:>8g} {r.units_wasted:>9g}"
        )
    vials = sum(r.vials_opened for r in report.rows)
    opened = sum(r.units_opened for r in report.rows)
    given = sum(r.units_given for r in report.rows)
    wasted = sum(r.units_wasted for r in report.rows)
    print(f"{'total':8} {'':16} {vials:>5} {opened:>9g} {given:>8g} {wasted:>9g}")
    if report.left:
        print("Left in open vials now: " + ", ".join(f"lot {lot} {units:g} U" for lot, units in report.left.items()))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    recall = commands.add_parser("recall", help="every patient who received a lot (an advisory on a lot)")
    recall.add_argument("lot", metavar="LOT")
    recall.add_argument("--format", choices=("text", "json", "csv"), default="text")
    paging.add_paging(recall, paging.DEFAULT_LIMIT)
    add_data_dir(recall)
    recall.set_defaults(handler=cmd_recall)

    due = commands.add_parser("due", help="who is due for a review, a touch-up or retreatment")
    due.add_argument("--on", type=iso_date, metavar="YYYY-MM-DD", help="from this date (default: today)")
    due.add_argument("--days", type=int, default=7, metavar="N", help="how many days from it (default 7)")
    due.add_argument("--format", choices=("text", "json", "csv", "ics"), default="text")
    paging.add_paging(due, paging.DEFAULT_LIMIT)
    add_sources(due)
    add_data_dir(due)
    due.set_defaults(handler=cmd_due)

    report = commands.add_parser(
        "report", help="reports: usage (units given, wasted, left per lot and month), adverse events by lot"
    )
    kinds = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    usage = kinds.add_parser("usage", help="units given, wasted and left, per lot and per month; vials opened")
    usage.add_argument("--from", dest="start", required=True, type=iso_date, metavar="DATE")
    usage.add_argument("--to", required=True, type=iso_date, metavar="DATE")
    usage.add_argument("--format", choices=("text", "csv"), default="text")
    add_data_dir(usage)
    usage.set_defaults(handler=cmd_report_usage)
    from assistant.cli.adverse_report import register_report

    register_report(kinds, add_data_dir)
    add_data_dir(report)
