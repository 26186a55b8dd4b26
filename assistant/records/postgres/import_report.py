"""What ``db import`` brought over, and what it left behind and why (the report it prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.records.tinydb.scan import Unusable

KINDS = ("patients", "consults", "versions", "drafts", "staff", "vials", "audit entries")


@dataclass
class ImportReport:
    folder: Path
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    already: int = 0
    skipped: list[str] = field(default_factory=list)
    unusable: list[Unusable] = field(default_factory=list)

    def summary(self) -> str:
        done = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        again = f"; {self.already} already on the server" if self.already else ""
        skipped = f"; {len(self.skipped)} skipped (named above)" if self.skipped else ""
        return f"Imported from {self.folder}: {done}{again}{skipped}."


def held_back(report: ImportReport, path: Path, what: str) -> bool:
    """``path`` (a file or a folder) meets a path the scan named: say that ``what`` stays behind."""
    blocking = next((u for u in report.unusable if u.blocks(path)), None)
    if blocking is not None and what:
        report.skipped.append(f"{what}: not imported, because {blocking.path} (named above) is not read")
    return blocking is not None
