"""Crash-safe, owner-only JSON files for TinyDB, and the locks that keep two terminals apart.

``AtomicJSONStorage`` is a TinyDB storage whose every write goes to a temporary file in the same
directory (created 0600), is flushed and fsynced, then ``os.replace()``d over the old file: a kill at
any moment leaves the old file or the new one, never a truncated one (a stray ``.*.tmp`` file at
most). A file that cannot be read (not JSON, or not TinyDB's ``{table: {id: document}}``) raises
``DamagedDataFile`` and is never written over. ``BufferedStorage`` reads a file once and writes it
once, so that several table operations make one atomic replace.

Below a data folder (``confine``), every folder must be the practitioner's own and closed to
others, and no file or folder may be a link: a link planted there (``consults/2026-12 ->
elsewhere``) is refused with a sentence, never written through. A data file that others could
have written is not read. Owner-only modes are set explicitly (``assistant.files.private``).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import filelock
from tinydb import TinyDB
from tinydb.middlewares import Middleware
from tinydb.storages import Storage

from assistant.files import private
from assistant.records.errors import DamagedDataFile, StoreBusy

DIR_MODE = private.DIR_MODE
FILE_MODE = private.FILE_MODE
TEMP_SUFFIX = private.TEMP_SUFFIX
LOCK_NAME = ".lock"

Tables = dict[str, dict[str, Any]]

_DATA_DIRS: set[str] = set()

_CHECKED: set[str] = set()
"""Folders of a data folder found to be real folders of ours, closed to others. Nobody else can
add or swap anything inside such a folder, so each is looked at once per process."""


def confine(data_dir: Path) -> None:
    """Treat ``data_dir`` as a data folder: nothing below it is followed through a link, and every
    folder from it down must be the practitioner's own (see the module docstring)."""
    _DATA_DIRS.add(os.path.abspath(data_dir))


def check_inside(path: Path) -> None:
    """``private.UnsafePath`` when ``path`` lies in a data folder and it, or a folder on the way to
    it, is a link or can be changed by others. Parts that do not exist yet are fine."""
    absolute = os.path.abspath(path)
    if os.path.dirname(absolute) in _CHECKED:  # the usual case: only the last part is new
        _check_part(absolute, root=False)
        return
    for root in _DATA_DIRS:
        if absolute != root and not absolute.startswith(root.rstrip(os.sep) + os.sep):
            continue
        current = root
        parts = [""] + [part for part in absolute[len(root) :].split(os.sep) if part]
        for part in parts:
            current = os.path.join(current, part) if part else current
            if current not in _CHECKED and not _check_part(current, root=current == root):
                break


def _check_part(current: str, *, root: bool) -> bool:
    """Check one part of a path in a data folder; False when it does not exist (nor what is below it)."""
    try:
        info = os.stat(current) if root else os.lstat(current)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode):
        raise private.UnsafePath(
            current,
            f"{current} is a link (to {os.readlink(current)}); nothing is read or written through a link in "
            "the data folder. Put the real folder or file there instead and try again.",
        )
    if stat.S_ISDIR(info.st_mode):
        problem = private.problem_with(info, current)
        if problem is not None:
            raise private.UnsafePath(current, problem)
        _CHECKED.add(current)
    return True


def ensure_dir(path: Path) -> None:
    """Create ``path`` and any missing parents, each owner-only; an existing one must be closed to others."""
    check_inside(path)
    private.ensure_private_dir(path)


def parse_tables(raw: bytes, path: Path) -> Tables:
    """TinyDB's file shape, checked: a JSON object of tables, each an object of numbered documents."""
    if not raw.strip():
        raise DamagedDataFile(path, "the file is empty")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise DamagedDataFile(path, f"not valid JSON: {error}") from None
    except RecursionError:
        raise DamagedDataFile(path, "nested too deeply to be a data file") from None
    if not isinstance(data, dict):
        raise DamagedDataFile(path, "expected a JSON object of tables")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise DamagedDataFile(path, f"table '{name}' is not a JSON object")
        for doc_id, document in table.items():
            if not doc_id.isdigit() or not isinstance(document, dict):
                raise DamagedDataFile(path, f"table '{name}' holds something that is not a document ({doc_id!r})")
    return data


def read_tables(path: Path) -> Tables | None:
    """The file's tables, or None when there is no file (``private.UnsafePath`` for a link, or a
    file that others could have written)."""
    check_inside(path)
    try:
        raw = private.read_private(path, follow=False)
    except FileNotFoundError:
        return None
    return parse_tables(raw, path)


def dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_atomic(path: Path, payload: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``payload`` in one step; the file is created owner-only."""
    ensure_dir(path.parent)
    check_inside(path)
    private.write_private(path, payload, durable=durable)


class AtomicJSONStorage(Storage):
    """TinyDB storage: validated reads, atomic owner-only writes, and never a write over a damaged file."""

    def __init__(self, path: str | os.PathLike[str], *, durable: bool = True) -> None:
        self.path = Path(path)
        self.durable = durable
        self._read_ok = False

    def read(self) -> Tables | None:
        data = read_tables(self.path)
        self._read_ok = True
        return data

    def write(self, data: Tables) -> None:
        if not self._read_ok:
            self.read()  # raises DamagedDataFile rather than overwrite what could not be read
        write_atomic(self.path, dump(data), durable=self.durable)


class BufferedStorage(Middleware):
    """Reads the file once; writes are held until ``commit()``, which writes once (if anything changed)."""

    def __init__(self, storage_cls: type[Storage] = AtomicJSONStorage) -> None:
        super().__init__(storage_cls)
        self._data: Tables | None = None
        self._loaded = False
        self._dirty = False

    def read(self) -> Tables | None:
        if not self._loaded:
            self._data = self.storage.read()
            self._loaded = True
        return self._data

    def write(self, data: Tables) -> None:
        self._data = data
        self._loaded = True
        self._dirty = True

    def commit(self) -> None:
        if self._dirty and self._data is not None:
            self.storage.write(self._data)
            self._dirty = False

    def close(self) -> None:
        """Closing never writes: only ``commit()`` does, so a failed operation leaves the file as it was."""


@contextlib.contextmanager
def table_file(path: Path, *, durable: bool = True, write: bool = False) -> Iterator[TinyDB]:
    """A TinyDB over one file, read at most once; with ``write=True`` its changes are committed at the end.

    An exception inside the block commits nothing.
    """
    buffered = BufferedStorage(AtomicJSONStorage)
    db = TinyDB(path, storage=buffered, durable=durable)
    yield db
    if write:
        buffered.commit()


@contextlib.contextmanager
def locked(directory: Path, timeout: float) -> Iterator[None]:
    """Hold ``directory/.lock`` (an OS file lock, released even if the process is killed)."""
    ensure_dir(directory)
    lock = filelock.FileLock(directory / LOCK_NAME, timeout=timeout, mode=FILE_MODE)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise StoreBusy(directory, timeout) from None
    try:
        yield
    finally:
        lock.release()
