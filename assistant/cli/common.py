"""What every command shares: exit codes, how problems are printed, the data folder option."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

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


def print_problems(problems: Sequence[object]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


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
    settings); a store that cannot be opened raises ``RecordsError``, which ``main`` says in words."""
    from assistant.records import open_repository

    given = getattr(args, "database", None)
    return open_repository(data_dir(args), given, None if given else settings_database(args))


def known_error(error: Exception) -> int | None:
    """The exit code of an error every command reports the same way, after saying it; None for others.

    Imported only when something went wrong, so starting the UI pays nothing for it.
    """
    from assistant.cli.pins import PinInputError
    from assistant.core.lifecycle.given import NothingToGive
    from assistant.core.lifecycle.staff import NotPermitted
    from assistant.core.lifecycle.vials import VialRefused
    from assistant.records.errors import ConsultNotFound, RecordsError
    from assistant.records.postgres.url import BadDatabaseUrl

    if isinstance(error, NotPermitted):
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_NOT_PERMITTED
    if isinstance(error, ConsultNotFound):
        print(f"botulax-consult: {error} (see: botulax-consult history)", file=sys.stderr)
        return EXIT_INVALID
    if isinstance(error, RecordsError | PinInputError | NothingToGive | VialRefused | BadDatabaseUrl):
        print(f"botulax-consult: {error}", file=sys.stderr)
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
