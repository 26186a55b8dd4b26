"""A data folder looked over before anything is copied out of it (``db import``).

The store refuses, file by file as it reads, a link, a file or folder others could change, and a
file it may not open (``atomic.py``). Read that way, an import would stop half-way, with the staff
already on the server and the rest not. ``unusable`` walks the whole folder first, following no
link, and names every such path, so that the import skips them from the start, says why, and
brings the rest; the folder itself is only looked at, never changed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from assistant.files import private

_KINDS = {stat.S_IFIFO: "a pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


@dataclass(frozen=True)
class Unusable:
    """A path of the folder that is not read, and the sentence that says why."""

    path: Path
    why: str

    def __str__(self) -> str:
        return self.why

    def covers(self, path: Path) -> bool:
        """``path`` is this one or lies below it (a folder not read hides everything in it)."""
        return path == self.path or self.path in path.parents

    def blocks(self, path: Path) -> bool:
        """Reading ``path`` (a file, or a whole folder) would meet this one."""
        return self.covers(path) or path in self.path.parents


def unusable(folder: Path) -> list[Unusable]:
    """Every link, file or folder of ``folder`` the store would refuse to read, in path order.
    Names starting with a dot (lock and temporary files) and files other than ``*.json`` are never
    read by the store, so only a link among them is named."""
    found: list[Unusable] = []
    waiting = [folder]
    while waiting:
        directory = waiting.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            found.append(Unusable(directory, f"The folder {directory} cannot be read ({_reason(error)})."))
            continue
        for entry in entries:
            problem = _problem(Path(entry.path), entry.name)
            if isinstance(problem, Unusable):
                found.append(problem)
            elif problem:
                waiting.append(Path(entry.path))
    return sorted(found, key=lambda u: str(u.path))


def _problem(path: Path, name: str) -> Unusable | bool | None:
    """Why ``path`` is not read; True for a folder to look into; None when it is fine (or ignored)."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return Unusable(path, f"{path} cannot be looked at ({_reason(error)}).")
    if stat.S_ISLNK(info.st_mode):
        if name.startswith("."):
            return None
        return Unusable(
            path, f"{path} is a link (to {os.readlink(path)}); nothing is read through a link in the data folder."
        )
    if name.startswith("."):
        return None
    if stat.S_ISDIR(info.st_mode):
        unsafe = private.problem_with(info, path)
        return Unusable(path, unsafe) if unsafe else True
    if not name.endswith(".json"):
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        return Unusable(path, f"{path} is {kind}, not a data file.")
    unsafe = private.problem_with(info, path)
    if unsafe:
        return Unusable(path, unsafe)
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC))
    except OSError as error:
        return Unusable(path, f"{path} cannot be read ({_reason(error)}).")
    return None


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
