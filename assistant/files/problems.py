"""A problem in a file, as every command prints it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileProblem:
    """One problem in one file, printed as ``file:line: [code] message``, or ``file:sheet!cell: [code]
    message`` for a workbook (``line`` is then the cell's row, for sorting)."""

    file: str
    line: int
    code: str
    message: str
    severity: str = "error"
    cell: str | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.cell or self.line}: [{self.code}] {self.message}"
