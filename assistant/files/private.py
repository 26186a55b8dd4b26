"""Owner-only folders and files: what another user of the computer must not be able to change.

The validated cache, the practitioner's config, the clinic settings and the data folder decide
what the program shows and doses. Folders it creates are 0700 and files 0600 whatever the umask
(the mode is set explicitly, never inherited), and a file it reads that other users could have
written is refused with a sentence naming it and the ``chmod`` that fixes it.

Standard library only: start-up reads its snapshot through here before the engine loads.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from assistant.files import reading

DIR_MODE = 0o700
FILE_MODE = 0o600
TEMP_SUFFIX = ".tmp"


class UnsafePath(OSError):
    """A file or folder that others could have changed, or a link where none may be.

    An ``OSError`` so that code which already reports operating-system errors in words reports this
    one too; ``str()`` is the whole sentence.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


def _ours(uid: int) -> bool:
    return uid in (os.geteuid(), 0)


def problem_with(info: os.stat_result, path: Path | str, *, owned: bool = True) -> str | None:
    """Why a file or folder with this ``stat`` cannot be trusted, or None.

    Writable by group or others is refused everywhere; ``owned`` also refuses one that belongs to
    another user (root excepted), for our own folders where nobody else has any business.
    """
    folder = stat.S_ISDIR(info.st_mode)
    fix = f"chmod {'700' if folder else '600'} {path}"
    what = "folder" if folder else "file"
    if info.st_mode & 0o022:
        return (
            f"The {what} {path} can be changed by other users (mode {stat.S_IMODE(info.st_mode):04o}), so it is "
            f"not used. If its contents are yours, make it yours alone with `{fix}` and try again."
        )
    if owned and not _ours(info.st_uid):
        return (
            f"The {what} {path} belongs to another user (uid {info.st_uid}), so it is not used. "
            "Move it aside; the program will write its own."
        )
    return None


def check(path: Path | str, *, owned: bool = True) -> None:
    """Raise ``UnsafePath`` when ``path`` (followed if a link) fails ``problem_with``."""
    problem = problem_with(os.stat(path), path, owned=owned)
    if problem is not None:
        raise UnsafePath(path, problem)


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents, each 0700; an existing ``path`` must be a folder
    that only its owner can change (``UnsafePath`` otherwise). Existing parents are left alone."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        _make(path)
        return
    _check_dir(info, path)


def _make(path: Path) -> None:
    if path.parent != path and not os.path.exists(path.parent):
        _make(path.parent)
    try:
        os.mkdir(path, DIR_MODE)
    except FileExistsError:  # made meanwhile by another process, or a link to nowhere
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise UnsafePath(path, f"{path} is a link to nowhere; remove it and try again.") from None
        _check_dir(info, path)
        return
    os.chmod(path, DIR_MODE)  # the umask may have taken bits away, or (umask 000) none


def _check_dir(info: os.stat_result, path: Path) -> None:
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(20, "Not a directory", str(path))
    problem = problem_with(info, path)
    if problem is not None:
        raise UnsafePath(path, problem)


def claim_dir(path: Path) -> None:
    """``ensure_private_dir`` for a folder that only ever holds what the program can rebuild (the
    cache): one of ours left open to others by an older version is closed (0700) rather than
    refused. Its files are still checked one by one when read."""
    try:
        ensure_private_dir(path)
    except UnsafePath:
        info = os.stat(path)
        if not (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()):
            raise
        os.chmod(path, DIR_MODE)


def read_private(path: Path, *, owned: bool = True, follow: bool = True, limit: int | None = None) -> bytes:
    """A regular file's bytes, refused (``UnsafePath``) when others could have written it.

    The checks are made on the opened file, so it cannot be swapped between check and read;
    ``follow=False`` refuses a link (cache files are never links). With ``limit``, a file larger
    than that many bytes is refused (``reading.UnreadableFile``) without being read.
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(path, f"{path} is not a regular file, so it is not read.")
        problem = problem_with(info, path, owned=owned)
        if problem is not None:
            raise UnsafePath(path, problem)
        if limit is not None:
            reading.check_regular(info, path, limit)
            return reading.read_open(fd, path, limit)
        chunks = [os.read(fd, info.st_size + 1)]  # the whole file at once, as a rule
        if len(chunks[0]) <= info.st_size:
            return chunks[0]
        while chunk := os.read(fd, 1 << 20):  # it grew while being read
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_private(path: Path, payload: bytes, *, durable: bool = False) -> None:
    """Replace ``path`` with ``payload`` in one step; the new file is 0600 and its folder 0700.

    Written to a temporary file in the same folder, then renamed over ``path``: a kill leaves the
    old file or the new one. ``durable`` also fsyncs the file and the folder (power-cut proof).
    """
    ensure_private_dir(path.parent)
    replace_file(path, payload, FILE_MODE, durable=durable)


def replace_file(path: Path, payload: bytes, mode: int, *, durable: bool) -> None:
    """The one-step replace under ``write_private`` (and ``--output``): a temporary file in the same
    folder, created with ``mode`` (set explicitly), renamed over ``path``; removed on any failure."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` survive a power cut (where the platform allows it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
