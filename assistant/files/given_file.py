"""A ``--given`` file: the doses actually injected, one line per zone and side.

::

    lot: BX2311            # optional: the lot and expiry of every line that names none
    expiry: 2027-05-31
    lines:
      - {zone: glabella, units: 20, points: 5}
      - {zone: crows_feet, side: left, units: 8, points: 4, reason: the patient asked for less}
      - {zone: crows_feet, side: right, units: 8, points: 4, reason: the patient asked for less}

A bare list of lines is read the same way. Every problem names the file and the line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.core.lifecycle.given import GivenEntry, GivenProblem
from assistant.files.clinic_file import Loaded, display_path
from assistant.files.problems import FileProblem
from assistant.files.yaml_source import Located, YamlFileError, read_yaml


class _GivenDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lot: str | None = None
    expiry: dt.date | None = None
    lines: list[GivenEntry]


@dataclass
class GivenFile:
    entries: list[GivenEntry]
    lot: str | None
    expiry: dt.date | None
    located: Located
    list_key: tuple[str, ...]
    """Where the lines are in the file: ("lines",), or () for a bare list."""

    def problems_of(self, problems: list[GivenProblem]) -> list[FileProblem]:
        """The core's problems with the lines, at their lines in the file."""
        return [
            self.located.problem((*self.list_key, p.index, p.field), "given", p.message)
            if p.index < len(self.entries)
            else self.located.problem(self.list_key, "given", p.message)
            for p in problems
        ]


def load_given(path: Path) -> Loaded[GivenFile]:
    try:
        located = read_yaml(path, display_path(path))
    except YamlFileError as error:
        return Loaded(None, [error.problem])
    data = located.data
    list_key: tuple[str, ...] = ("lines",)
    if isinstance(data, list):
        data, list_key = {"lines": data}, ()
    if not isinstance(data, dict):
        message = "a given file holds `lines:`, a list of {zone, side, units, points, reason, note}."
        return Loaded(None, [located.problem((), "bad-value", message)])
    try:
        document = _GivenDocument.model_validate(data)
    except ValidationError as error:
        problems = []
        for e in error.errors():
            loc = tuple(e["loc"])
            if not list_key and loc[:1] == ("lines",):
                loc = loc[1:]
            where = ".".join(str(p) for p in e["loc"])
            problems.append(located.problem(loc, "bad-value", f"{where}: {e['msg']}."))
        return Loaded(None, problems)
    return Loaded(GivenFile(document.lines, document.lot, document.expiry, located, list_key))
