"""``consent print`` and ``consent record``: the form to sign, and the record that the patient signed it.

Recording is a signed act like ``give``: the staff member recording it is named with ``--by`` and
identified by their PIN (``--pin-stdin`` for scripts); the witness is the person's name as typed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, open_store, print_problems
from assistant.cli.parser import add_data_dir, add_sources, one_line_text
from assistant.cli.pins import PinReader, add_pin_stdin


def _loaded(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """(the resources, the consent forms), or None when either has problems (said)."""
    from assistant.cli.treatment import _resources

    resources = _resources(args)
    if resources is None:
        return None
    forms = resources.consent_forms()
    if not forms.ok:
        print_problems(forms.problems)
        return None
    return resources, forms


def cmd_consent_print(args: argparse.Namespace) -> int:
    from assistant.files.output import write_output
    from assistant.services.consent import consent_pdf
    from assistant.services.desk import Desk

    if (loaded := _loaded(args)) is None:
        return EXIT_INVALID
    resources, forms = loaded
    pdf = consent_pdf(
        Desk(open_store(args)), args.consult_id, resources.kb, resources.clinic,
        forms=forms, templates_dir=resources.templates_dir,
    )  # fmt: skip
    output = args.output or Path(f"consent-{args.consult_id}.pdf")
    written = write_output(output, pdf)
    print(f"The consent forms of consult {args.consult_id} are in {written}: print them, have them signed.")
    return EXIT_OK


def cmd_consent_record(args: argparse.Namespace) -> int:
    from assistant.services.consent import record_consent
    from assistant.services.desk import Desk

    if (loaded := _loaded(args)) is None:
        return EXIT_INVALID
    resources, forms = loaded
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    record = record_consent(
        Desk(open_store(args)), args.consult_id, args.by, pin, resources.kb,
        version=args.version, witness=args.witness, photos=args.photos == "yes",
        clinic=resources.clinic, forms=forms,
    )  # fmt: skip
    consent = record.consent
    assert consent is not None
    photos = "photos agreed" if consent.photos else "no photos"
    print(
        f"Consent recorded (form '{consent.form}' version {consent.version}, witness {consent.witness}, "
        f"{photos}): consult {record.consult_id}, version {record.version}."
    )
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    consent = commands.add_parser("consent", help="the patient's consent: print the form, record it signed")
    actions = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)

    printing = actions.add_parser("print", help="the consent forms, filled in for the consult's patient, as a PDF")
    printing.add_argument("consult_id", metavar="CONSULT_ID")
    printing.add_argument("--output", type=Path, metavar="FILE", help="default: consent-CONSULT_ID.pdf here")
    add_sources(printing)
    add_data_dir(printing)
    printing.set_defaults(handler=cmd_consent_print)

    record = actions.add_parser("record", help="record that the patient signed the consent form")
    record.add_argument("consult_id", metavar="CONSULT_ID")
    record.add_argument(
        "--version", required=True, metavar="V", help="the form's version signed ('current': the form in use)"
    )
    record.add_argument("--witness", required=True, type=one_line_text, metavar="NAME", help="who saw it signed")
    record.add_argument("--by", required=True, metavar="NAME", help="the staff member recording it (PIN asked)")
    record.add_argument(
        "--photos", choices=("yes", "no"), default="no", help="the patient signed the photo consent too (default: no)"
    )
    add_pin_stdin(record)
    add_sources(record)
    add_data_dir(record)
    record.set_defaults(handler=cmd_consent_record)
