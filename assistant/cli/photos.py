"""``photo add``: photos of the patient added to a consult (issue 23.3).

Every file given is checked (a JPEG or PNG that Pillow decodes), stripped of its location and kept
with a thumbnail; nothing is added unless all of them may be. Exit 2: a file is not such a photo;
4: over the clinic's size limit; 5: no photo consent, a wrong PIN or a role that may not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, EXIT_REFUSED, open_store, say
from assistant.cli.parser import add_data_dir, one_line_text
from assistant.cli.pins import PinReader, add_pin_stdin
from assistant.core.text import counted


def cmd_photo_add(args: argparse.Namespace) -> int:
    from assistant.files.clinic_file import load_clinic
    from assistant.files.resources import clinic_path
    from assistant.services import photos
    from assistant.services.desk import Desk

    loaded = load_clinic(clinic_path(args.clinic))
    if loaded.value is None:
        for problem in loaded.problems:
            say(f"botulax-consult: {problem}")
        return EXIT_INVALID
    settings = loaded.value.photos
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    try:
        record = photos.add(Desk(open_store(args)), args.consult_id, args.files, args.kind, args.by, pin, settings)
    except photos.PhotosNotRead as error:
        for problem in error.problems:
            say(f"botulax-consult: {problem}")
        say("botulax-consult: no photo was added.")
        return EXIT_INVALID
    except photos.OverPhotoLimit as error:
        for problem in error.problems:
            say(f"botulax-consult: {problem}")
        say("botulax-consult: no photo was added (the limits are [photos] in the clinic settings).")
        return EXIT_REFUSED
    added = record.photos[-len(args.files) :]
    print(
        f"Added {counted(len(added), f'{args.kind} photo')} to consult {record.consult_id}, version "
        f"{record.version}: " + ", ".join(f"{ref.name} (sha256 {ref.sha256[:12]})" for ref in added) + "."
    )
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    photo = commands.add_parser("photo", help="photos of the patient: add them to a consult")
    actions = photo.add_subparsers(dest="photo_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="add photos (JPEG or PNG; location stripped, a thumbnail kept); needs the photo consent"
    )
    add.add_argument("consult_id", metavar="CONSULT_ID")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument("--kind", required=True, choices=("before", "after", "review"))
    add.add_argument("--by", required=True, type=one_line_text, metavar="NAME", help="who adds them (their PIN)")
    add.add_argument(
        "--clinic", type=Path, metavar="FILE", help="clinic settings TOML, for [photos] (default: your clinic.toml)"
    )
    add_pin_stdin(add)
    add_data_dir(add)
    add.set_defaults(handler=cmd_photo_add)
