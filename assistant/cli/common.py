"""What every command shares: exit codes, how problems are printed, the data folder option."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_INVALID = 2
EXIT_CONTRAINDICATED = 3
EXIT_REFUSED = 4

STATUS_EXIT = {"planned": EXIT_OK, "contraindicated": EXIT_CONTRAINDICATED, "refused": EXIT_REFUSED}


def print_problems(problems: Sequence[object]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def data_dir(args: argparse.Namespace) -> Path | None:
    """``--data-dir`` when given (it may follow any command word), else None: the user's data folder."""
    return getattr(args, "data_dir", None)
