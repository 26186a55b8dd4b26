"""This computer's copy of a record server's staff register on disk, and the wrong PINs typed
against it.

One folder per record (``user_state_dir()/register-copy/<16 hex digits>``, the digits a SHA-256 of
the record's description, which never holds a password), so two clinics' servers used from one
laptop never mix. In it ``staff-register.json`` (the copy) and ``wrong-pins.json`` (the count of
wrong PINs and the lockouts, kept here because the server that counts them is away). Both are
written in one step, 0600 in a 0700 folder, and read as regular files under a size limit; the count
is changed under a file lock, so PINs typed at once in two windows are counted one after the other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import filelock
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant import locations
from assistant.core.lifecycle.register_copy import RegisterCopy
from assistant.files import private
from assistant.files.reading import REGISTER_COPY_LIMIT

COPY_NAME = "staff-register.json"
WRONG_PINS_NAME = "wrong-pins.json"
LOCK_SECONDS = 10.0


class CopyUnusable(ValueError):
    """The copy (or its count of wrong PINs) cannot be read or trusted; ``str()`` says why, naming it."""


class Counted(BaseModel):
    model_config = ConfigDict(extra="forbid")

    wrong_pins: int = Field(default=0, ge=0, le=1000)
    locked_until: dt.datetime | None = None


class WrongPins(BaseModel):
    """Wrong PINs typed here against the copy, by account (its compared name)."""

    model_config = ConfigDict(extra="forbid")

    accounts: dict[str, Counted] = Field(default_factory=dict, max_length=10_000)


def folder_for(record: str) -> Path:
    digest = hashlib.sha256(record.encode("utf-8")).hexdigest()[:16]
    return locations.user_state_dir() / "register-copy" / digest


class RegisterCopyFile:
    """The copy of one record's register (``record``: the store's ``describe()``)."""

    def __init__(self, record: str, folder: Path | None = None) -> None:
        self.record = record
        self.folder = folder or folder_for(record)
        self.path = self.folder / COPY_NAME
        self.wrong_pins_path = self.folder / WRONG_PINS_NAME

    def read(self) -> RegisterCopy | None:
        """The copy as written, None when there is none; ``CopyUnusable`` when it cannot be read."""
        data = self._read(self.path)
        if data is None:
            return None
        try:
            return RegisterCopy.model_validate_json(data)
        except ValidationError as error:
            raise CopyUnusable(f"{self.path} is damaged ({_first(error)})") from None

    def write(self, copy: RegisterCopy) -> None:
        private.write_private(self.path, copy.model_dump_json(indent=1).encode("utf-8"), durable=True)

    @contextlib.contextmanager
    def counting(self) -> Iterator[WrongPins]:
        """The wrong PINs counted here, under the folder's lock; kept as they are when the block ends."""
        private.ensure_private_dir(self.folder)
        lock = filelock.FileLock(self.folder / ".lock", timeout=LOCK_SECONDS, mode=private.FILE_MODE)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise CopyUnusable(f"{self.folder} is busy: another window is checking a PIN; try again.") from None
        try:
            data = self._read(self.wrong_pins_path)
            try:
                counts = WrongPins.model_validate_json(data) if data is not None else WrongPins()
            except ValidationError as error:
                raise CopyUnusable(f"{self.wrong_pins_path} is damaged ({_first(error)})") from None
            before = counts.model_dump_json()
            yield counts
            if counts.model_dump_json() != before:
                private.write_private(self.wrong_pins_path, counts.model_dump_json().encode("utf-8"), durable=True)
        finally:
            lock.release()

    def _read(self, path: Path) -> bytes | None:
        try:
            return private.read_private(path, follow=False, limit=REGISTER_COPY_LIMIT)
        except FileNotFoundError:
            return None
        except OSError as error:  # open to others, a link, not a file, too large: said as it is
            raise CopyUnusable(str(error) if str(path) in str(error) else f"{path}: {error}") from None


def _first(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}" if where else problem["msg"]
