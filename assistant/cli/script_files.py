"""``script export --xlsx``, ``script import``: the question script as a workbook trainers edit in a
spreadsheet, and back to YAML (issue 24)."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.cli.common import EXIT_INVALID, EXIT_OK, print_problems, say
from assistant.cli.parser import add_data_dir
from assistant.cli.pins import add_pin_stdin


def _fail(message: str) -> int:
    say(f"botulax-consult: {message}")
    return EXIT_INVALID


def cmd_script_export(args: argparse.Namespace) -> int:
    """``botulax-consult script export --xlsx FILE [--script FILE]``."""
    from assistant import locations
    from assistant.files.loaders import load_script
    from assistant.files.output import OutputError
    from assistant.files.workbook_located import is_workbook
    from assistant.files.workbook_writer import write_workbook

    if not is_workbook(args.xlsx):
        return _fail(f"cannot write {args.xlsx}: a workbook's name ends in .xlsx.")
    loaded = load_script(args.script or locations.SCRIPT_FILE)
    if loaded.value is None:
        print_problems(loaded.problems)
        return _fail("cannot export: the script above has problems (see: botulax-consult check).")
    try:
        written = write_workbook(args.xlsx, loaded.value.script)
    except OutputError as error:
        return _fail(str(error))
    say(f"Wrote {written}: edit it, then check it with `botulax-consult check --script {written}`.")
    return EXIT_OK


def cmd_script_import(args: argparse.Namespace) -> int:
    """``botulax-consult script import FILE.xlsx [--output consult.yaml]``: the workbook as YAML, once
    it has no errors (warnings are printed and the file is written)."""
    from assistant.cli.common import emit
    from assistant.files.loaders import load_script
    from assistant.files.output import OutputError
    from assistant.files.workbook_located import is_workbook
    from assistant.files.workbook_writer import script_yaml

    if not is_workbook(args.workbook):
        return _fail(f"{args.workbook} is not a workbook: `script import` reads an .xlsx file.")
    loaded = load_script(args.workbook)
    print_problems(loaded.problems)
    if loaded.value is None:
        return _fail("nothing written: the workbook above has problems.")
    text = script_yaml(loaded.value.script, args.workbook.name)
    if args.output is None:
        emit(text, end="")
        return EXIT_OK
    from assistant.cli.common import write_file

    try:
        written = write_file(args.output, text, private_data=False)
    except OutputError as error:
        return _fail(str(error))
    say(f"Wrote {written}.")
    return EXIT_OK


def cmd_script_diff(args: argparse.Namespace) -> int:
    """``botulax-consult script diff OLD NEW``: what changed, in words, between two scripts (either
    may be .yaml or .xlsx)."""
    from assistant.cli.common import emit
    from assistant.core.script_diff import script_changes
    from assistant.files.loaders import load_script

    scripts = []
    for path in (args.old, args.new):
        loaded = load_script(path)
        if loaded.value is None:
            print_problems(loaded.problems)
            return _fail(f"cannot compare: {path} has problems (see: botulax-consult check --script {path}).")
        scripts.append(loaded.value.script)
    changes = script_changes(scripts[0], scripts[1])
    emit("\n".join(changes) if changes else "No differences: the two scripts ask the same questions.")
    return EXIT_OK


def cmd_script_approve(args: argparse.Namespace) -> int:
    """``botulax-consult script approve FILE --by DIRECTOR [--pin-stdin]``: a signed act, medical
    director only; a script with errors is not approved."""
    from assistant.cli.common import emit, open_store
    from assistant.cli.pins import PinReader
    from assistant.files.loaders import load_script
    from assistant.services.desk import Desk
    from assistant.services.script_approval import approve

    loaded = load_script(args.file)
    if loaded.value is None:
        print_problems(loaded.problems)
        return _fail(f"not approved: {args.file} has problems (see: botulax-consult check --script {args.file}).")
    script = loaded.value.script
    desk = Desk(open_store(args))
    pin = PinReader(args).read(f"PIN of {args.by}: ")
    try:
        event = approve(desk, args.by, pin, script, args.file)
    except OSError as error:  # gone or changed to a folder since it was checked
        return _fail(f"not approved: {args.file} could not be read again ({error.strerror or 'gone'}).")
    sha = (event.data or {}).get("sha256", "")
    emit(f"Approved script {script.id} version {script.version} (sha256 {sha}), by {event.actor}.")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    script = commands.add_parser(
        "script", help="the question script: export and import a workbook, diff two versions, approve one"
    )
    actions = script.add_subparsers(dest="script_command", metavar="ACTION", required=True)

    export = actions.add_parser("export", help="write the question script as an .xlsx workbook to edit")
    export.add_argument("--xlsx", type=Path, metavar="FILE", required=True, help="the workbook to write")
    export.add_argument(
        "--script", type=Path, metavar="FILE", help="question script (default: the shipped prompts/consult.yaml)"
    )
    export.set_defaults(handler=cmd_script_export)

    import_ = actions.add_parser("import", help="write an edited workbook back as the YAML script")
    import_.add_argument("workbook", type=Path, metavar="FILE.xlsx")
    import_.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (e.g. consult.yaml), not stdout")
    import_.set_defaults(handler=cmd_script_import)

    diff = actions.add_parser("diff", help="what changed between two scripts (.yaml or .xlsx), in words")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.set_defaults(handler=cmd_script_diff)

    approve = actions.add_parser(
        "approve", help="take a script version into use: a medical director's signed act with its SHA-256"
    )
    approve.add_argument("file", type=Path, metavar="FILE")
    approve.add_argument("--by", metavar="DIRECTOR", required=True, help="the medical director who approves it")
    add_pin_stdin(approve)
    add_data_dir(approve)
    approve.set_defaults(handler=cmd_script_approve)
