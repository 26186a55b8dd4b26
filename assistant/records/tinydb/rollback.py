"""Undo for a save that fails half-way (a read-only folder, a full disk): each step that wrote
something registers how to take it back, and a failure takes them back newest first.

Files only this save may touch (it holds their lock) are put back byte for byte; shared index
files are changed back by the inverse operation under their own lock, so another terminal's
change made meanwhile is never undone with ours. If even the undo fails, ``PartialSave`` says
which file still holds part of the save, so the practitioner is told the truth.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from assistant.records.errors import RecordsError
from assistant.records.tinydb.atomic import write_atomic


class PartialSave(RecordsError):
    """The save failed and could not be taken back completely."""

    def __init__(self, error: BaseException, left: list[str]) -> None:
        self.error = error
        self.left = left
        super().__init__(
            f"The save failed ({error}) and could not be undone completely: {'; '.join(left)}. "
            "Nothing else was changed; check those files before saving again."
        )


class Rollback:
    def __init__(self, durable: bool) -> None:
        self.durable = durable
        self._steps: list[tuple[str, Callable[[], None]]] = []

    @contextlib.contextmanager
    def writing(self, path: Path) -> Iterator[None]:
        """Around a write of ``path``: once the write has succeeded, it is taken back by putting the
        file as it was before (or removing it). A write that failed changed nothing (writes are atomic)."""
        try:
            before: bytes | None = path.read_bytes()
        except FileNotFoundError:
            before = None

        def restore() -> None:
            if before is None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            else:
                write_atomic(path, before, durable=self.durable)

        yield
        self._steps.append((str(path), restore))

    def step(self, what: str, undo: Callable[[], None]) -> None:
        """A step that succeeded, and how to take it back."""
        self._steps.append((what, undo))

    def undo(self, error: BaseException) -> None:
        """Take every step back; raise ``PartialSave`` naming what could not be."""
        left = []
        for what, undo in reversed(self._steps):
            try:
                undo()
            except Exception:
                left.append(what)
        self._steps.clear()
        if left:
            raise PartialSave(error, left) from error
