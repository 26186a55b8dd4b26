"""Reading a file the program was pointed at: a regular file, and no more of it than its limit.

An answer file, a ``--given`` file, the question script, a knowledge file or the clinic settings can
be any path a person or a script types. A FIFO nobody writes to would hang the command, ``/dev/zero``
or a huge file would fill the memory, a folder would end in a traceback. Every such read goes
through ``read_limited``: opened without waiting (``O_NONBLOCK``, so a FIFO opens at once), checked
on the open file (``fstat``: a regular file, not swapped between check and read), and read to at
most its limit plus one byte; anything else is an ``UnreadableFile`` whose text is the sentence
to show, naming the file.

The limits are all here (README lists them), far above any real file: the shipped script is 13 KB,
the largest knowledge file 11 KB, an answer file 1 KB.

Standard library only: start-up hashes the script and knowledge files through here before the
engine loads.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB

YAML_FILE_LIMIT = 2 * MIB
"""An answer file, a ``--given`` file, the question script, one knowledge file."""

WORKBOOK_FILE_LIMIT = 8 * MIB
"""A script workbook is a few dozen kilobytes; a larger file is refused before it is unzipped."""

SETTINGS_FILE_LIMIT = 256 * KIB
"""The clinic settings, the practitioner's own settings, a database password file."""

CHECKPOINT_FILE_LIMIT = 64 * KIB
"""A checkpoint of the audit trail (``audit verify --checkpoint``): a few hundred bytes."""

REGISTER_COPY_LIMIT = 4 * MIB
"""This computer's copy of the staff register, and its count of wrong PINs (a few KB a clinic)."""

PIN_LINE_LIMIT = 256
"""Characters of one line of ``--pin-stdin`` (a PIN has at most 64)."""


class UnreadableFile(OSError):
    """A path that is not a regular file, or a file over its limit. ``reason`` says which ("it is
    a FIFO (named pipe), not a file, so it is not read"); ``str()`` is the sentence naming it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(reason)
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}."


def _size(limit: int) -> str:
    return f"{limit // MIB} MB" if limit % MIB == 0 else f"{limit // KIB} KB" if limit % KIB == 0 else f"{limit} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular(info: os.stat_result, path: Path | str, limit: int) -> None:
    """``UnreadableFile`` unless ``info`` is a regular file of at most ``limit`` bytes."""
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(path, f"it is {_kind(info.st_mode)}, not a file, so it is not read")
    if info.st_size > limit:
        raise UnreadableFile(path, _too_big(limit))


def _too_big(limit: int) -> str:
    return f"it is larger than {_size(limit)}, the most such a file may be, so it is not read"


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (links followed), at most ``limit`` of them.

    ``FileNotFoundError`` (and other ``OSError``s) as ``open`` raises them; ``UnreadableFile`` for a
    folder, a FIFO, a device or a socket, or a file larger than ``limit`` (also one that grows
    past it while being read).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket (or a device with nothing behind it)
            raise UnreadableFile(path, "it is a socket or a device, not a file, so it is not read") from None
        raise
    try:
        check_regular(os.fstat(fd), path, limit)
        return read_open(fd, path, limit)
    finally:
        os.close(fd)


def read_open(fd: int, path: Path | str, limit: int) -> bytes:
    """The rest of an open regular file, refused (``UnreadableFile``) past ``limit`` bytes: one
    that grew since it was checked is not read to its end."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0 and (chunk := os.read(fd, min(left, MIB))):
        chunks.append(chunk)
        left -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise UnreadableFile(path, _too_big(limit))
    return data
