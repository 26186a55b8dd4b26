"""What every command shares: exit codes, how problems are printed, the data folder option, and
the one way to write output (to a terminal, a file or a pipe).

Everything printed goes through ``say`` (standard error) or ``emit`` (standard output), which show
control and direction characters as inert escapes: a stored record or an answer file cannot drive
the terminal. ``emit`` raises ``OutputError`` when standard output cannot be written.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.core.text_safety import printable

if TYPE_CHECKING:
    from assistant.records import ConsultRepository

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_INVALID = 2
EXIT_CONTRAINDICATED = 3
EXIT_REFUSED = 4
EXIT_NOT_PERMITTED = 5
"""A wrong or locked PIN, a role without the right, a disabled account, a change to a signed record."""

STATUS_EXIT = {"planned": EXIT_OK, "contraindicated": EXIT_CONTRAINDICATED, "refused": EXIT_REFUSED}


def say(message: object) -> None:
    """A line for the person at the terminal (standard error)."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):  # nowhere left to say anything
        print(printable(str(message)), file=stream, flush=True)


def print_problems(problems: Sequence[object]) -> None:
    for problem in problems:
        say(problem)


def emit(text: str, *, end: str = "\n", json_text: bool = False) -> None:
    """Command output on standard output, control characters escaped (JSON's own escapes, so JSON
    output stays valid JSON: ``json_text`` says which it is)."""
    from assistant.files.output import write_stdout

    write_stdout(printable(text) + end)


def flush_output() -> None:
    """Write out what commands printed and Python still buffers; ``OutputError`` when standard
    output cannot take it (a full device), so that it is said in words instead of at exit."""
    if sys.stdout is not None:
        emit("", end="")


def write_file(path: Path, payload: str | bytes, *, private_data: bool = True) -> Path:
    """``--output``: see ``assistant.files.output.write_output``."""
    from assistant.files.output import write_output

    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    return write_output(path, data, private_data=private_data)


def data_dir(args: argparse.Namespace) -> Path | None:
    """``--data-dir`` when given (it may follow any command word), else None: the user's data folder."""
    return getattr(args, "data_dir", None)


def settings_database(args: argparse.Namespace) -> str | None:
    """``[records] database`` of the clinic settings the command uses (``--clinic``, else the user's)."""
    from assistant.files.clinic_file import load_clinic
    from assistant.files.resources import clinic_path
    from assistant.records.errors import RecordsError

    path = clinic_path(getattr(args, "clinic", None))
    loaded = load_clinic(path)
    if loaded.value is None:
        problems = "; ".join(str(p) for p in loaded.problems)
        raise RecordsError(f"the clinic settings cannot be read, so where the record is is not known: {problems}")
    return loaded.value.records.database


def open_store(args: argparse.Namespace) -> ConsultRepository:
    """The record the command works on (``--database``, ``--data-dir``, the environment, the clinic
    settings); a store that cannot be opened raises ``RecordsError``, which ``main`` says in words.
    With the clinic's ``checkpoint_dir`` set, a person's act is followed by the day's checkpoint."""
    from assistant.records import open_repository
    from assistant.records.choose import database_url
    from assistant.services.daily_checkpoint import keeping_checkpoints

    given = getattr(args, "database", None)
    settings = None if given else settings_database(args)
    url, from_settings = database_url(given, settings)
    if url is None and (folder := data_dir(args)) is not None:
        _check_folder(folder, _command_of(args))
    elif url is not None and not given and data_dir(args) is not None:  # a tryout's vials went to the server
        named = "[records] database in the clinic settings" if from_settings else "BOTULAX_CONSULT_DATABASE"
        say(f"botulax-consult: note: the record is the clinic's server ({named}), not --data-dir {data_dir(args)}.")
    repository = open_repository(data_dir(args), given, settings)
    for finished in getattr(repository, "recovered", ()):  # a save a kill cut off, finished at this opening
        say(f"botulax-consult: {finished}")
    return keeping_checkpoints(repository, _checkpoint_dir(args), _warn)


STARTS_A_RECORD = frozenset({"run", "staff add", "setup", "vial open", "db"})
"""The commands that may start a record in a data folder that does not exist yet (the first consult,
account, setting or vial of a clinic). Any other only reads or changes what is kept there."""


def _command_of(args: argparse.Namespace) -> str | None:
    """ "vial open", "history": the command word and its action, when it has actions."""
    command = getattr(args, "command", None)
    action = getattr(args, f"{command}_command", None) if command else None
    return f"{command} {action}" if action else command


def _check_folder(folder: Path, command: str | None) -> None:
    """A ``--data-dir`` that names no record is said, not read as an empty one: a tryout's mistyped
    folder answered ``history`` with "No consults found" (every patient new), and a file named as
    the folder was reported as an index to rebuild."""
    from assistant.records.errors import RecordsError

    if folder.exists() and not folder.is_dir():
        raise RecordsError(f"--data-dir {folder} is a file, not a folder: name the folder the record is kept in.")
    if folder.exists():
        return
    if command not in STARTS_A_RECORD and (command or "").split(" ")[0] not in STARTS_A_RECORD:
        raise RecordsError(
            f"There is no record at {folder}: the folder does not exist. Check --data-dir (the folder your "
            "consults are kept in); nothing was read."
        )
    say(f"botulax-consult: note: {folder} does not exist yet: a new record is started there.")


def _warn(warning: str) -> None:
    say(f"botulax-consult: warning: {warning}")


def _checkpoint_dir(args: argparse.Namespace) -> str | None:
    """``checkpoint_dir`` of the clinic settings the command uses; settings that cannot be read have
    none (a command that needs them says so itself)."""
    from assistant.files.clinic_file import load_clinic
    from assistant.files.resources import clinic_path

    loaded = load_clinic(clinic_path(getattr(args, "clinic", None)))
    return loaded.value.checkpoint_dir if loaded.value is not None else None


def known_error(error: Exception) -> int | None:
    """The exit code of an error every command reports the same way, after saying it; None for others.

    Imported only when something went wrong, so starting the UI pays nothing for it.
    """
    from assistant.cli.pins import PinInputError
    from assistant.core.lifecycle.given import NothingToGive
    from assistant.core.lifecycle.register import RegisterRefused
    from assistant.core.lifecycle.staff import NotPermitted
    from assistant.core.lifecycle.vials import VialRefused
    from assistant.files.output import OutputError
    from assistant.records.errors import ConsultNotFound, RecordsError
    from assistant.records.postgres.url import BadDatabaseUrl

    if isinstance(error, NotPermitted):
        say(f"botulax-consult: {error}")
        return EXIT_NOT_PERMITTED
    if isinstance(error, ConsultNotFound):
        say(f"botulax-consult: {error} (see: botulax-consult history)")
        return EXIT_INVALID
    if isinstance(error, OutputError):  # what the command did before it is in its own messages above
        say(f"botulax-consult: {error}.")
        return EXIT_INVALID
    if isinstance(error, RecordsError | PinInputError | NothingToGive | VialRefused | BadDatabaseUrl | RegisterRefused):
        say(f"botulax-consult: {error}")
        return EXIT_INVALID
    return None


def note_event(repository: ConsultRepository, action: str, consult_id: str, detail: str) -> None:
    """An audit entry for something that changes no record (printed, exported); the actor is the
    remembered staff name, else the computer's user."""
    import getpass

    from assistant.files.user_config import load_user_config
    from assistant.services.audit_trail import note
    from assistant.services.desk import Desk

    actor = load_user_config().staff_name or f"user {getpass.getuser()}"
    note(Desk(repository), action, actor, consult_id, detail)
