"""The TinyDB store's one promise about errors: the interface raises only ``RecordsError``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from assistant.records.errors import DataFolderUnusable

P = ParamSpec("P")
R = TypeVar("R")


class InAFolder(Protocol):
    data_dir: Path


S = TypeVar("S", bound=InAFolder)


def in_words(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """An operating-system error (the data folder is a file, is not writable, the disk is full)
    becomes ``DataFolderUnusable``, a plain sentence naming the folder."""

    @functools.wraps(method)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error

    return wrapper
