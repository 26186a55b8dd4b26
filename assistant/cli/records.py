"""Commands that read the consult record: ``history`` and ``print``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.cli import paging
from assistant.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    data_dir,
    emit,
    note_event,
    open_store,
    print_problems,
    say,
    write_file,
)
from assistant.cli.parser import add_data_dir, add_sources

if TYPE_CHECKING:
    from assistant.core.lifecycle.pages import Page
    from assistant.records.repository import ConsultRepository


def cmd_history(args: argparse.Namespace) -> int:
    """Each consult once, at its latest version, with its state, a page at a time (``paging.py``); a
    damaged record is named, the others still listed."""
    from assistant.core.lifecycle.pages import BadCursor
    from assistant.core.text_safety import printable

    if problem := paging.problem(args):
        say(f"botulax-consult: {problem}")
        return EXIT_INVALID
    repository = open_store(args)
    try:
        rows = paging.Rows(args, _history_reader(repository, args.patient))
    except BadCursor as error:
        say(f"botulax-consult: {error}")
        return EXIT_INVALID
    if args.format == "json":
        paging.emit_json(args, rows, lambda r: r.model_dump(mode="json"))
        return EXIT_OK
    header = f"{'consult':26} {'date':10}  {'patient':24} {'status':15} {'state':8} {'v':>2} {'units':>6}  zones"
    said, patients = False, dict[str, str | None]()
    for row in rows:
        if not said:
            emit(header)
            said = True
        patients.setdefault(row.patient_key, row.patient_id)
        # One line per consult, whatever an older record's name holds (a line break would forge a row).
        name = printable(row.patient_name + (f" ({row.patient_id})" if row.patient_id else ""), multiline=False)
        units, zones = f"{row.total_units:g}", printable(", ".join(row.zones), multiline=False)
        emit(
            f"{row.consult_id:26} {row.date.isoformat():10}  {name[:24]:24} {row.status:15} {row.state:8} "
            f"{row.version:>2} {units:>6}  {zones}"
        )
    if args.patient and len(patients) > 1:  # one name, several people: said, not left to the ID column
        which = printable(", ".join(number or key for key, number in patients.items()), multiline=False)
        emit(f"These are the consults of {len(patients)} patients ({which}): a clinic number or key lists one's.")
    if not said:
        who = f" for '{printable(args.patient, multiline=False)}'" if args.patient else ""
        emit(f"No consults found{who}" + (" after that cursor." if args.after else "."))
    if line := paging.more_line(rows.next):
        emit(line)
    return EXIT_OK


def _history_reader(repository: ConsultRepository, patient: str | None) -> Callable[[str | None, int], Page[Any]]:
    """How a page of ``history`` is read: a patient's consults (by key: every key joined to hers), or
    the most recent consults, whose damaged records are named as they are met."""
    from assistant.core.lifecycle.ids import is_patient_key
    from assistant.core.lifecycle.pages import Page, decode_id_key, encode
    from assistant.services.pages import history_page

    if patient:
        from assistant.services.patients import group, holder_of_number

        query = patient.strip()
        key = query if is_patient_key(query) else holder_of_number(repository, query)  # a clinic number
        if key is not None:
            keys = list(group(repository, key))
            return lambda after, limit: history_page(repository, keys, after, limit)
        return lambda after, limit: history_page(repository, [patient], after, limit)

    def recent(after: str | None, limit: int) -> Page[Any]:
        rows, damaged = repository.recent(limit + 1, decode_id_key("recent", after))
        for problem in damaged:
            say(f"botulax-consult: {problem}")
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows=tuple(rows), next=encode("recent", (rows[-1].consult_id,)) if more else None)

    return recent


def cmd_print(args: argparse.Namespace) -> int:
    from assistant.documents import RenderError
    from assistant.files.output import OutputError
    from assistant.files.resources import load_resources
    from assistant.records import ConsultNotFound, RecordsError, require
    from assistant.services.paperwork import amendments_of, document_name, previous_record, render_record, thumbnails
    from assistant.services.printing import documents_folder, send_to_printer

    try:
        repository = open_store(args)
        record = require(repository, args.consult_id)
        previous = previous_record(repository, record)
        amendments = amendments_of(repository, record)
        trail = repository.audit_head()
        photos = thumbnails(repository, record) if args.what == "photos" else []
    except ConsultNotFound:
        say(f"botulax-consult: no consult '{args.consult_id}' (see: botulax-consult history).")
        return EXIT_INVALID
    except RecordsError as error:
        say(f"botulax-consult: {error}")
        return EXIT_INVALID
    loaded = load_resources(args.script, args.knowledge, args.clinic)
    if loaded.value is None:
        print_problems(loaded.problems)
        return EXIT_INVALID
    if args.what == "photos" and not photos:
        say(
            f"botulax-consult: consult {record.consult_id} has no photos (add them with photo add); "
            "nothing was printed."
        )
        return EXIT_INVALID
    whats = ("patient", "summary") if args.what == "both" else (args.what,)
    fmt = "pdf" if args.to_printer else args.format
    if len(whats) > 1 and args.output is not None and args.output.suffix and not args.output.is_dir():
        two = "names one file, and --what both makes two documents: name a folder (made if missing)"
        say(f"botulax-consult: --output {args.output} {two}, or ask for --what patient or --what summary.")
        return EXIT_INVALID
    paper = args.paper or loaded.value.clinic.paper
    outputs: list[tuple[str, str | bytes]] = []
    try:
        for what in whats:
            content = render_record(record, loaded.value, what, fmt, paper, previous, amendments, trail, photos)  # type: ignore[arg-type]
            outputs.append((what, content))
    except RenderError as error:
        say(f"botulax-consult: {error}")
        return EXIT_INVALID
    if fmt == "text" and args.output is None and not args.to_printer:
        emit("\n\n".join(str(content) for _, content in outputs), end="")
        return EXIT_OK
    if args.to_printer and args.output is None:  # saved first, so a queue that cannot print loses nothing
        folder = documents_folder(data_dir(args))
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
        try:
            written.append(write_file(path, content))
        except OutputError as error:
            done = f" ({', '.join(str(p) for p in written)} written)" if written else ""
            say(f"botulax-consult: {error}{done}.")
            return EXIT_INVALID
    note_event(repository, "printed", record.consult_id, ", ".join(p.name for p in written))
    if args.to_printer:
        outcome = send_to_printer(written, loaded.value.clinic, paper)
        if not outcome.printed:
            say(f"botulax-consult: {outcome.message}")
            return EXIT_INVALID
        emit(outcome.message)
        return EXIT_OK
    emit("\n".join(str(path) for path in written))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    history = commands.add_parser("history", help="list consults, of one patient (id or name) or the most recent")
    history.add_argument("patient", nargs="?", metavar="PATIENT")
    history.add_argument("--format", choices=("text", "json"), default="text")
    paging.add_paging(history, 20)
    add_data_dir(history)
    history.set_defaults(handler=cmd_history)

    printing = commands.add_parser("print", help="print or save a kept consult's documents")
    printing.add_argument("consult_id", metavar="CONSULT_ID")
    printing.add_argument(
        "--what",
        choices=("patient", "summary", "both", "photos"),
        default="both",
        help="photos: the dose summary with a page of the consult's photos (before, and after or review beside them)",
    )
    printing.add_argument("--format", choices=("pdf", "html", "text"), default="pdf")
    printing.add_argument("--output", type=Path, metavar="PATH", help="a file, or a folder for --what both")
    printing.add_argument(
        "--paper", choices=("a4", "letter"), default=None, help="paper size (default: the clinic settings', else a4)"
    )
    printing.add_argument(
        "--to-printer",
        action="store_true",
        help="save the PDFs (into --output or the data folder's documents/), then send them to the clinic's "
        "printer (clinic setting `printer`, else the system's default queue)",
    )
    add_sources(printing)
    add_data_dir(printing)
    printing.set_defaults(handler=cmd_print)
