"""``patient find|show|merge|split``: the patient register from the command line.

A patient is named by their register key (``pt:...``, as ``patient find`` and ``run`` list them),
never by a typed name: two people may share one.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from assistant.cli.common import EXIT_INVALID, EXIT_OK, emit, open_store, say
from assistant.cli.parser import add_data_dir, iso_date, one_line_text
from assistant.cli.pins import PinReader, add_pin_stdin

if TYPE_CHECKING:
    from assistant.core.lifecycle.register import Patient
    from assistant.records import ConsultRepository


def _row(patient: object) -> dict[str, object]:
    from assistant.core.lifecycle.register import Patient

    assert isinstance(patient, Patient)
    return {
        "patient_key": patient.patient_key,
        "name": patient.name,
        "date_of_birth": patient.date_of_birth.isoformat() if patient.date_of_birth else None,
        "clinic_number": patient.clinic_number,
        "merged_into": patient.merged_into,
        "joined": list(patient.joined),
        "registered": not patient.legacy,
    }


def _nobody(args: argparse.Namespace) -> str:
    if args.date_of_birth is None:
        return "No patient with that name or clinic number in the register."
    born = args.date_of_birth.isoformat()
    if args.name is None and args.clinic_number is None:
        return f"Nobody in the register was born on {born}."
    return f"No patient with that name or clinic number born on {born} in the register."


def _by_words(repository: ConsultRepository, text: str) -> list[Patient]:
    """Nobody of exactly that name: those whose name's words start with the words typed ("kim ji":
    Kim Ji-woo), as Find a patient (F5) finds them in the UI (``services.chart.search``)."""
    from assistant.services.chart import SearchRefused, search

    try:
        keys = [row.patient_key for row in search(repository, text)]
    except SearchRefused:
        return []
    return [patient for key in keys if (patient := repository.registered(key)) is not None]


def cmd_patient_find(args: argparse.Namespace) -> int:
    """Registered patients (and patients of consults kept before the register) by name or number;
    with ``--date-of-birth``, those of the register born that day (narrowed by the name or number)."""
    repository = open_store(args)
    if args.name is None and args.clinic_number is None and args.date_of_birth is None:
        say("botulax-consult: patient find needs a NAME, a --clinic-number or a --date-of-birth.")
        return EXIT_INVALID
    if args.date_of_birth is None:
        found = repository.register_candidates(args.name or "", args.clinic_number)
        if not found and args.name and args.clinic_number is None:
            found = _by_words(repository, args.name)
    elif args.name is None and args.clinic_number is None:
        found = repository.patients_born(args.date_of_birth)
    else:
        candidates = repository.register_candidates(args.name or "", args.clinic_number)
        found = [p for p in candidates if p.date_of_birth == args.date_of_birth]
    rows = [_row(p) for p in found]
    if args.format == "json":
        emit(json.dumps(rows, indent=2, ensure_ascii=False), json_text=True)
        return EXIT_OK
    if not rows:
        say(_nobody(args))
        return EXIT_OK
    for patient in found:
        merged = f"  (merged into {patient.merged_into})" if patient.merged_into else ""
        legacy = "  (kept before the register)" if patient.legacy else ""
        emit(f"{patient.patient_key}  {patient.words()}{merged}{legacy}")
    return EXIT_OK


def cmd_patient_show(args: argparse.Namespace) -> int:
    from assistant.services import patients

    repository = open_store(args)
    patient = repository.registered(args.key)
    if patient is None:
        say(f"botulax-consult: there is no patient {args.key} in the register.")
        return EXIT_INVALID
    consults = patients.history(repository, args.key)
    if args.format == "json":
        payload = {**_row(patient), "consults": [c.model_dump(mode="json") for c in consults]}
        emit(json.dumps(payload, indent=2, ensure_ascii=False), json_text=True)
        return EXIT_OK
    emit(f"{patient.patient_key}  {patient.words()}")
    if patient.merged_into:
        emit(f"merged into {patient.merged_into}")
    for key in patient.joined:
        emit(f"joined: {key}")
    for summary in consults:
        given = f", {summary.given_units:g} U given on {summary.treated_on}" if summary.given_units else ""
        emit(f"  {summary.consult_id}  {summary.date}  {summary.state}{given}")
    return EXIT_OK


def _two_keys(args: argparse.Namespace, verb: str) -> int:
    from assistant.services import patients
    from assistant.services.desk import Desk

    desk = Desk(open_store(args))
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    if verb == "merge":
        kept = patients.merge(desk, args.kept, args.other, args.by, pin, args.reason)
        say(f"{args.other} is merged into {kept.patient_key} ({kept.words()}): their consults count as one patient's.")
    else:
        other = patients.split(desk, args.kept, args.other, args.by, pin, args.reason)
        say(f"{other.patient_key} ({other.words()}) is a patient of their own again.")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    patient = commands.add_parser("patient", help="the patient register: find, show, merge, split")
    actions = patient.add_subparsers(dest="patient_command", metavar="ACTION", required=True)

    find = actions.add_parser(
        "find", help="patients with this name (any case or spacing), clinic number or date of birth, or all of them"
    )
    find.add_argument("name", type=one_line_text, metavar="NAME", nargs="?")
    find.add_argument("--clinic-number", type=one_line_text, metavar="NUMBER")
    find.add_argument(
        "--date-of-birth", type=iso_date, metavar="YYYY-MM-DD", help="those born that day (with NAME: both)"
    )
    find.add_argument("--format", choices=("text", "json"), default="text")
    add_data_dir(find)
    find.set_defaults(handler=cmd_patient_find)

    show = actions.add_parser("show", help="one patient: identifiers, merges and consults")
    show.add_argument("key", metavar="KEY")
    show.add_argument("--format", choices=("text", "json"), default="text")
    add_data_dir(show)
    show.set_defaults(handler=cmd_patient_show)

    for verb, words in (
        ("merge", "two patients found to be one person: OTHER's consults count as KEPT's (a medical director)"),
        ("split", "undo a merge: OTHER is a patient of their own again (a medical director)"),
    ):
        action = actions.add_parser(verb, help=words)
        action.add_argument("kept", metavar="KEPT")
        action.add_argument("other", metavar="OTHER")
        action.add_argument("--by", metavar="DIRECTOR", required=True, type=one_line_text)
        action.add_argument("--reason", metavar="TEXT", required=True, type=one_line_text)
        add_pin_stdin(action)
        add_data_dir(action)
        action.set_defaults(handler=lambda args, verb=verb: _two_keys(args, verb))
    add_data_dir(patient)
