"""Reading clinic settings (TOML). Kept apart from the YAML loaders so that start-up, which reads
the clinic file every time, does not import the YAML parser when the script comes from the cache."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError

from assistant.files.problems import FileProblem
from assistant.settings import ClinicSettings

T = TypeVar("T")


@dataclass
class Loaded(Generic[T]):
    """A model loaded from files, or None, with every problem found on the way."""

    value: T | None
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[FileProblem]:
        return [p for p in self.problems if p.severity == "error"]


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_clinic(path: Path) -> Loaded[ClinicSettings]:
    name = display_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Loaded(None, [FileProblem(name, 1, "missing-file", "the clinic settings file does not exist.")])
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_toml_error(str(error))
        return Loaded(None, [FileProblem(name, line, "toml-syntax", f"this is not valid TOML: {error}.")])
    except (OSError, UnicodeDecodeError) as error:
        return Loaded(None, [FileProblem(name, 1, "unreadable-file", f"cannot read the file: {error}.")])
    try:
        return Loaded(ClinicSettings.model_validate(data))
    except ValidationError as error:
        return Loaded(
            None,
            [
                FileProblem(name, 1, "bad-value", f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}.")
                for e in error.errors()
            ],
        )


def _line_from_toml_error(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1
