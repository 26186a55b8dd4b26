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

from assistant.core.safe_text import json_printable, printable

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_INVALID = 2
EXIT_CONTRAINDICATED = 3
EXIT_REFUSED = 4

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
    """Command output on standard output: JSON (``json_text``) keeps its escapes, text its lines."""
    from assistant.files.output import write_stdout

    write_stdout((json_printable(text) if json_text else printable(text)) + end)


def write_file(path: Path, payload: str | bytes, *, private_data: bool = True) -> Path:
    """``--output``: see ``assistant.files.output.write_output``."""
    from assistant.files.output import write_output

    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    return write_output(path, data, private_data=private_data)


def data_dir(args: argparse.Namespace) -> Path | None:
    """``--data-dir`` when given (it may follow any command word), else None: the user's data folder."""
    return getattr(args, "data_dir", None)
