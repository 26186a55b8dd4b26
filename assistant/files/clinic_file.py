"""Reading clinic settings (TOML). Kept apart from the YAML loaders so that start-up, which reads
the clinic file every time, does not import the YAML parser when the script comes from the cache."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError

from assistant import locations
from assistant.files import private
from assistant.files.problems import FileProblem
from assistant.files.reading import SETTINGS_FILE_LIMIT, UnreadableFile, read_limited
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


@dataclass(frozen=True)
class TomlDocument:
    """A TOML file's values and its text, so a problem with a key can name the key's line."""

    data: dict
    text: str

    def line_of(self, key: object) -> int:
        match = re.search(rf"^[ \t]*[\"']?{re.escape(str(key))}[\"']?[ \t]*=", self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start()) + 1 if match else 1


def read_toml(
    path: Path, name: str, *, check_mode: bool = True, owned: bool = False, what: str = "file"
) -> Loaded[TomlDocument]:
    """A TOML file as a dict, or the problem that stops it being read (its line when known).

    With ``check_mode`` a file that other users could have written is refused: settings decide
    the doses' volumes and what is printed, so nobody else may change them (``owned``: nor own it).
    """
    try:
        if check_mode:
            raw = private.read_private(path, owned=owned, limit=SETTINGS_FILE_LIMIT)
        else:
            raw = read_limited(path, SETTINGS_FILE_LIMIT)
        text = raw.decode("utf-8")
        return Loaded(TomlDocument(tomllib.loads(text), text))
    except FileNotFoundError:
        return Loaded(None, [FileProblem(name, 1, "missing-file", f"the {what} does not exist.")])
    except private.UnsafePath as error:
        return Loaded(None, [FileProblem(name, 1, "unsafe-file", str(error))])
    except UnreadableFile as error:
        return Loaded(None, [FileProblem(name, 1, "unreadable-file", f"{error.reason}.")])
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_toml_error(str(error))
        return Loaded(None, [FileProblem(name, line, "toml-syntax", f"this is not valid TOML: {error}.")])
    except RecursionError:
        return Loaded(None, [FileProblem(name, 1, "toml-syntax", "the file is nested too deeply to be settings.")])
    except (OSError, UnicodeDecodeError) as error:
        return Loaded(None, [FileProblem(name, 1, "unreadable-file", f"cannot read the file: {error}.")])


def load_clinic(path: Path) -> Loaded[ClinicSettings]:
    name = display_path(path)
    # The shipped defaults are part of the program, installed like its code.
    read = read_toml(path, name, check_mode=path != locations.CLINIC_DEFAULTS, what="clinic settings file")
    if read.value is None:
        return Loaded(None, read.problems)
    document = read.value
    try:
        return Loaded(ClinicSettings.model_validate(document.data))
    except ValidationError as error:
        return Loaded(None, settings_problems(name, document, error))


def settings_problems(name: str, document: TomlDocument, error: ValidationError) -> list[FileProblem]:
    """Pydantic's errors on a settings file, each at its key's line."""
    problems = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        line = document.line_of(item["loc"][0]) if item["loc"] else 1
        problems.append(FileProblem(name, line, "bad-value", f"{where}: {message}."))
    return sorted(problems, key=lambda p: p.line)


def _line_from_toml_error(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1
