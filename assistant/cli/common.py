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


def open_store(args: argparse.Namespace) -> ConsultRepository:
    """The record the command works on (``--data-dir``); a store that cannot be opened raises
    ``RecordsError``, which ``main`` turns into a sentence and exit code 2."""
    from assistant.records import open_repository

    return open_repository(data_dir(args))


def known_error(error: Exception) -> int | None:
    """The exit code of an error every command reports the same way, after saying it; None for others.

    Imported only when something went wrong, so starting the UI pays nothing for it.
    """
    from assistant.cli.pins import PinInputError
    from assistant.core.lifecycle.given import NothingToGive
    from assistant.core.lifecycle.staff import NotPermitted
    from assistant.records.errors import ConsultNotFound, RecordsError

    if isinstance(error, NotPermitted):
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_NOT_PERMITTED
    if isinstance(error, ConsultNotFound):
        print(f"botulax-consult: {error} (see: botulax-consult history)", file=sys.stderr)
        return EXIT_INVALID
    if isinstance(error, RecordsError | PinInputError | NothingToGive):
        print(f"botulax-consult: {error}", file=sys.stderr)
        return EXIT_INVALID
    return None
