"""Where each part of a script read from a workbook sits: ``('questions', 3, 'show_if')`` is
``questions!F5``. ``WorkbookLocated`` plays the part ``Located`` plays for YAML, so the same checks
name a sheet and a cell, in the workbook's words (``show-if``, not ``show_if``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.files.problems import FileProblem
from assistant.files.workbook_layout import COLUMNS, QUESTIONS, header_of

_LATER = re.compile(
    r"the condition reads '(\w+)', which is asked later; a condition can only use answers given before it\."
)

_PATH_PREFIX = re.compile(r"^(?:questions|lists)\.[\w.]+: ")
"""The YAML path a message starts with (``questions.3.min_selected: ...``); the cell says where instead."""
_PATH_AT = re.compile(r" \(at [\w.]+\)")


def is_workbook(path: Path) -> bool:
    """Whether ``--script`` names a workbook (by its suffix, as the trainer chose it)."""
    return path.suffix.lower() in (".xlsx", ".xlsm")


class WorkbookError(Exception):
    """A file that cannot be read as a workbook; carries the problem to print."""

    def __init__(self, problem: FileProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class WorkbookLocated:
    """A script read from a workbook, with the cell each part came from."""

    file: str
    data: Any
    cells: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    """Where each part sits: ``('questions', 3, 'show_if')`` -> ``questions!F5``."""
    id_cells: dict[str, str] = field(default_factory=dict)
    """The id cell of every question, by id (a group's questions as ``group.id`` too)."""
    letters: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each sheet's column letter by script key, as the trainer's header row has them."""
    sheet_problems: list[FileProblem] = field(default_factory=list)
    """What was found while reading: formulas, merged cells, hidden sheets, unknown columns, ..."""

    def cell_of(self, loc: Sequence[str | int]) -> str:
        """The cell of the deepest part of ``loc`` the workbook has (a union tag or a missing key is skipped)."""
        best = self.cells.get((), f"{QUESTIONS}!A1")
        prefix: tuple[str | int, ...] = ()
        for part in loc:
            if (*prefix, part) in self.cells:
                prefix = (*prefix, part)
                best = self.cells[prefix]
            elif isinstance(part, str) and (missing := self._missing_cell(best, part)) is not None:
                return missing  # a key the row leaves empty: its own cell in that row
            elif isinstance(part, str):
                continue
            else:
                break
        return best

    def _missing_cell(self, row_cell: str, key: str) -> str | None:
        sheet, _, ref = row_cell.partition("!")
        letter = self.letters.get(sheet, {}).get(key)
        row = row_of(row_cell)
        return f"{sheet}!{letter}{row}" if letter is not None and row > 1 and ref else None

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The row of ``cell_of`` (what a caller that sorts by line needs)."""
        return row_of(self.cell_of(loc))

    def problem(self, loc: Sequence[str | int], code: str, message: str, severity: str = "error") -> FileProblem:
        cell = self.cell_of(loc)
        return FileProblem(self.file, row_of(cell), code, self._in_words(loc, message), severity, cell=cell)

    def _in_words(self, loc: Sequence[str | int], message: str) -> str:
        """The message with the workbook's headers for the script's keys, and where a later question is asked."""
        key = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
        later = _LATER.search(message)
        if later is not None:
            name = later.group(1)
            where = self.id_cells.get(name, "")
            asked = f" (asked at {where})" if where else ""
            message = message.replace(
                later.group(0), f"{header_of(key)} refers to {name}, which is not asked above{asked}."
            )
        message = _PATH_PREFIX.sub(f"{header_of(key)}: " if key else "", message)
        message = _PATH_AT.sub("", message)
        for column in COLUMNS[QUESTIONS]:
            if "_" in column.key:
                message = message.replace(column.key, column.header)
        return message


def row_of(cell: str) -> int:
    digits = "".join(ch for ch in cell.rpartition("!")[2] if ch.isdigit())
    return int(digits) if digits else 1


def lock_file_beside(path: Path) -> Path | None:
    """Excel's owner file (``~$name.xlsx``) beside a workbook that is open in Excel, if there is one."""
    for name in (f"~${path.name}", f"~${path.name[2:]}"):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None
