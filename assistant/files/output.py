"""Writing what a command produces to a path the user named (``--output``), or to standard output.

The one helper every command uses, so that all of them treat a user's path the same way:

- a new file, or an existing regular file, is replaced in one step (a temporary file in the same
  folder, renamed over it); the new file is 0600 for patient data, 0644 otherwise, set explicitly;
- anything else already there (``/dev/null``, a terminal, a named pipe) is only opened and written,
  never replaced, renamed or chmod-ed: what we did not create keeps its kind and mode;
- missing folders on the way are created 0700.

Every failure is an ``OutputError`` whose message says what could not be written and why, so a
command can add whether its consult was kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from assistant.files import private


class OutputError(OSError):
    """Something could not be written; ``str()`` is a sentence naming where and why. An ``OSError``,
    so that callers which already report operating-system errors report this one too."""


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if error.errno == errno.ENXIO:
        return "nothing is reading from it"
    return error.strerror or str(error)


def _make_folders(folder: Path) -> None:
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, private.DIR_MODE)
            os.chmod(path, private.DIR_MODE)


def _write_into(path: Path, payload: bytes) -> None:
    """Write into something that exists and is not a regular file, by opening it only."""
    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        os.set_blocking(fd, True)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def write_output(path: Path, payload: bytes, *, private_data: bool = True) -> Path:
    """Write ``payload`` to ``path`` (followed when it is a link, as a shell's ``>`` would); returns
    the path written. ``OutputError`` when it cannot be written, with nothing half-written left."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        try:
            info = os.stat(target)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise OutputError(f"cannot write {path}: it is a folder")
        if info is not None and not stat.S_ISREG(info.st_mode):
            _write_into(target, payload)
        else:
            _make_folders(target.parent)
            private.replace_file(target, payload, private.FILE_MODE if private_data else 0o644, durable=True)
    except OutputError:
        raise  # said in words already ("it is a folder"): not wrapped in a second "cannot write"
    except OSError as error:
        raise OutputError(f"cannot write {path}: {_reason(error)}") from None
    return path


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output and flush it; ``OutputError`` when it cannot be written
    (closed, a full device). A ``BrokenPipeError`` (the reader left) is passed on as it is."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output is closed, so nothing could be shown")
    with _in_words():
        stream.write(text)
        stream.flush()


@contextlib.contextmanager
def _in_words() -> Iterator[None]:
    try:
        yield
    except (BrokenPipeError, OutputError):
        raise
    except (OSError, ValueError) as error:
        _discard_stdout()
        reason = _reason(error) if isinstance(error, OSError) else "it is closed"
        raise OutputError(f"cannot write to standard output: {reason}") from None


class _WordedStdout:
    """Standard output whose write errors are ``OutputError`` sentences (see ``stdout_in_words``)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with _in_words():
            return self._stream.write(text)

    def flush(self) -> None:
        with _in_words():
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def stdout_in_words() -> Iterator[None]:
    """While a command runs, a failed write to standard output (``print`` included) raises
    ``OutputError`` with a sentence, instead of a traceback now or an "Exception ignored" at exit."""
    original = sys.stdout
    if original is None:
        yield
        return
    sys.stdout = _WordedStdout(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = original


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so what is still buffered does not fail again at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
