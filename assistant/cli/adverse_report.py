"""``report adverse-events [--lot LOT] [--from DATE --to DATE] [--format text|csv|json]``: what the
reviews found, per lot given (the JSON and CSV fields are a contract with clinics' scripts)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable

from assistant.cli.common import EXIT_INVALID, EXIT_OK, emit, open_store, say
from assistant.cli.parser import iso_date

FIELDS = (
    "date", "consult_id", "patient_id", "patient_name", "lot", "event", "severity", "treated_on", "zones",
    "reviewed_by", "note",
)  # fmt: skip


def cmd_report_adverse_events(args: argparse.Namespace) -> int:
    from assistant.core.text_safety import csv_cell, printable
    from assistant.services.adverse_events import adverse_events

    if args.start is not None and args.to is not None and args.to < args.start:
        say("botulax-consult: --to is before --from.")
        return EXIT_INVALID
    rows = adverse_events(open_store(args), args.lot, args.start, args.to)
    if args.format == "json":
        emit(json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False), json_text=True)
        return EXIT_OK
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")  # every cell neutralised, as recall's
        writer.writerow(FIELDS)
        for r in rows:
            cells = (r.date.isoformat(), r.consult_id, r.patient_id or "", r.patient_name, r.lot, r.event, r.severity)
            cells += (r.treated_on.isoformat(), " ".join(r.zones), r.reviewed_by or "", r.note or "")
            writer.writerow([csv_cell(cell) for cell in cells])
        return EXIT_OK
    scope = f" of lot {printable(args.lot, multiline=False)}" if args.lot else ""
    if not rows:
        emit(f"No adverse event found at reviews{scope}.")
        return EXIT_OK
    emit(f"Adverse events found at reviews{scope}, oldest first:")
    for r in rows:
        who = printable(r.patient_name + (f" ({r.patient_id})" if r.patient_id else ""), multiline=False)
        serious = "  SERIOUS" if r.severity == "serious" else ""
        emit(f"  {r.date.isoformat()}  {r.event} ({r.severity}){serious}  lot {r.lot or '-'}  {who}  [{r.consult_id}]")
    return EXIT_OK


def register_report(kinds: argparse._SubParsersAction, add_data_dir: Callable[[argparse.ArgumentParser], None]) -> None:
    report = kinds.add_parser("adverse-events", help="adverse events found at reviews, per lot given")
    report.add_argument("--lot", metavar="LOT", help="only this lot's patients (any case or spacing)")
    report.add_argument("--from", dest="start", type=iso_date, metavar="DATE", help="events from this date")
    report.add_argument("--to", type=iso_date, metavar="DATE", help="events up to this date")
    report.add_argument("--format", choices=("text", "csv", "json"), default="text")
    add_data_dir(report)
    report.set_defaults(handler=cmd_report_adverse_events)
