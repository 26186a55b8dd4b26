"""``export`` and ``export-script``: a kept consult, or the question script, as FHIR R4 JSON.

The FHIR models are imported by these two commands alone, when they run: every command builds the
whole parser, so a module-level import made each of them (``check``, ``give``, ``history`` ...)
load the FHIR resource classes first, about 0.1 s of a command's start."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.common import EXIT_INVALID, EXIT_OK, emit, note_event, open_store, say, write_file
from assistant.cli.parser import add_data_dir

if TYPE_CHECKING:
    from assistant.core.dose_bounds import DoseBounds
    from assistant.core.script import Script
    from assistant.records.repository import ConsultRepository


def _fail(message: str) -> int:
    say(f"botulax-consult: {message}")
    return EXIT_INVALID


def _needs_fhir(args: argparse.Namespace, command: str) -> bool:
    if getattr(args, "fhir", False):
        return True
    from assistant.exchange.fhir import FHIR_RELEASE

    _fail(f"{command} needs a format: add --fhir (FHIR {FHIR_RELEASE} JSON, the only format for now).")
    return False


def _load_script(path: Path | None) -> Script | None:
    from assistant import locations
    from assistant.files.loaders import load_script

    loaded = load_script(path or locations.SCRIPT_FILE)
    if loaded.value is None:
        for problem in loaded.problems:
            say(problem)
        _fail("cannot export: the script above has problems (see: botulax-consult check).")
        return None
    return loaded.value.script


def _dose_bounds(args: argparse.Namespace) -> dict[str, DoseBounds] | None:
    """The bounds the consult asks dose questions within, for the clinic settings in use (None:
    the knowledge base or the settings have problems, said on stderr)."""
    from assistant.core.dilution import answer_bounds
    from assistant.files.resources import load_resources

    loaded = load_resources(
        getattr(args, "script", None), getattr(args, "knowledge", None), getattr(args, "clinic", None)
    )
    if loaded.value is None:
        for problem in loaded.problems:
            say(problem)
        _fail("cannot export: the files above have problems (see: botulax-consult check).")
        return None
    return answer_bounds(loaded.value.kb, loaded.value.clinic)


def _emit(text: str, output: Path | None, default_name: str, *, private: bool) -> int:
    """Write to standard output, or to ``output`` (a file, or a folder for ``default_name``).

    A consult (``private``) is readable by its owner only. A device or pipe named as the output is
    written into, never replaced (see ``assistant.files.output``).
    """
    from assistant.files.output import OutputError

    try:
        if output is None:
            emit(text, json_text=True)
            return EXIT_OK
        path = output / default_name if output.is_dir() else output
        emit(str(write_file(path, text + "\n", private_data=private)))
    except OutputError as error:
        return _fail(f"{error}.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """``botulax-consult export CONSULT_ID --fhir [--output FILE] [--script FILE] [--data-dir DIR]``."""
    from assistant.exchange.fhir import FhirExportError, questionnaire_response_model, to_json
    from assistant.records import ConsultNotFound, RecordsError, require

    if not _needs_fhir(args, "export"):
        return EXIT_INVALID
    try:
        repository = open_store(args)
        record = require(repository, args.consult_id)
    except ConsultNotFound:
        return _fail(f"no consult '{args.consult_id}' (see: botulax-consult history).")
    except RecordsError as error:
        return _fail(str(error))
    script = _load_script(getattr(args, "script", None))
    if script is None:
        return EXIT_INVALID
    try:
        if getattr(args, "response_only", False):
            resource = questionnaire_response_model(record, script)
        else:
            from assistant.exchange.fhir.bundle import record_bundle

            photos = {ref.sha256: _photo_bytes(repository, ref.sha256) for ref in record.photos}
            resource = record_bundle(record, script, repository.versions(record.consult_id), photos)
    except FhirExportError as error:
        return _fail(f"cannot export consult {record.consult_id}: {error}")
    code = _emit(to_json(resource), getattr(args, "output", None), f"{record.consult_id}.fhir.json", private=True)
    if code == EXIT_OK:
        note_event(repository, "exported", record.consult_id, "FHIR R4 " + type(resource).__name__)
    return code


def _photo_bytes(repository: ConsultRepository, sha256: str) -> bytes | None:
    kept = repository.photo(sha256)
    return kept.data if kept is not None else None


def cmd_export_script(args: argparse.Namespace) -> int:
    """``botulax-consult export-script --fhir [--output FILE] [--script FILE]``."""
    from assistant.exchange.fhir import FhirExportError, fhir_id, questionnaire_model, to_json

    if not _needs_fhir(args, "export-script"):
        return EXIT_INVALID
    script = _load_script(getattr(args, "script", None))
    if script is None:
        return EXIT_INVALID
    bounds = _dose_bounds(args)
    if bounds is None:
        return EXIT_INVALID
    try:
        resource = questionnaire_model(script, bounds)
    except FhirExportError as error:
        return _fail(f"cannot export the script: {error}")
    return _emit(
        to_json(resource), getattr(args, "output", None), f"{fhir_id(script.id)}.questionnaire.json", private=False
    )


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write a kept consult for a records system (FHIR R4)")
    export.add_argument("consult_id", metavar="CONSULT_ID")
    export.add_argument(
        "--fhir",
        action="store_true",
        help="as a FHIR R4 Bundle (JSON): patient, answers, planned and given doses, warnings, lots, signatures; "
        "required, the only format",
    )
    export.add_argument(
        "--response-only", action="store_true", help="only the QuestionnaireResponse (the answers), not the Bundle"
    )
    export.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (or into a folder), not to stdout")
    export.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="the question script the consult ran with (default: the shipped prompts/consult.yaml)",
    )
    add_data_dir(export)
    export.set_defaults(handler=cmd_export)

    export_script = commands.add_parser("export-script", help="write the question script as a FHIR R4 Questionnaire")
    export_script.add_argument("--fhir", action="store_true", help="as FHIR R4 JSON; required, the only format")
    export_script.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (or into a folder)")
    export_script.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="question script (default: the shipped prompts/consult.yaml)",
    )
    export_script.add_argument(
        "--knowledge", type=Path, metavar="DIR", help="knowledge base folder (default: the shipped knowledge/)"
    )
    export_script.add_argument(
        "--clinic",
        type=Path,
        metavar="FILE",
        help="clinic settings whose syringe and dilution bound the dose questions (default: your clinic.toml)",
    )
    add_data_dir(export_script)
    export_script.set_defaults(handler=cmd_export_script)
