"""How long work says how far it got: a callback it is handed, called as it goes.

The core and the services never draw anything: they call ``progress(done, total)`` (``total`` None
when it is not known) and the command line decides how it is shown (``assistant/cli/progress.py``:
a bar on a terminal, plain lines otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


def quiet(done: int, total: int | None = None) -> None:
    """The progress of work nobody watches."""


def counted(items: Iterable[T], progress: Progress, total: int | None = None) -> Iterator[T]:
    """``items``, saying each one done as it is handed on."""
    for done, item in enumerate(items, 1):
        yield item
        progress(done, total)
