"""Progress of the commands that can run for more than a second (``db import``, ``audit verify``,
``reindex``, look-ups with ``--all``, the records bench's bulk load): one choice, made here.

On a terminal (standard error is one) it is rich's progress bar, gone when the work ends. Otherwise
(a script, a log) it is plain lines on standard error, and only for work that lasts: nothing in the
first second, then a line at every tenth of the total (or every ``EVERY`` seconds when the total is
not known), and a last line when it ends. The work itself only calls the callback
(``core.progress.Progress``).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from assistant.core.progress import Progress

QUIET_FOR = 1.0
"""Seconds of work before the first plain line (a short command prints nothing)."""
EVERY = 5.0
"""Seconds between plain lines when the total is not known."""


class PlainLines:
    """Progress as plain lines, for a standard error that is not a terminal."""

    def __init__(self, what: str, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.what, self.stream, self.clock = what, stream, clock
        self.started = clock()
        self.said_at: float | None = None
        self.tenth = 0
        self.done, self.total = 0, None

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done, self.total = done, total
        now = self.clock()
        if now - self.started < QUIET_FOR:
            return
        if total:
            tenth = min(10, done * 10 // total)
            if tenth > self.tenth or self.said_at is None:
                self.tenth = tenth
                self._say(now, f"{self.what}: {done * 100 // total}% ({done:,} of {total:,})")
        elif self.said_at is None or now - self.said_at >= EVERY:
            self._say(now, f"{self.what}: {done:,} done")

    def _say(self, now: float, line: str) -> None:
        self.said_at = now
        with contextlib.suppress(OSError, ValueError):
            print(line, file=self.stream, flush=True)

    def finish(self) -> None:
        if self.said_at is not None:
            seconds = self.clock() - self.started
            self._say(self.clock(), f"{self.what}: done, {self.done:,} in {seconds:.0f} s")


@contextlib.contextmanager
def progress(what: str, stream: TextIO | None = None) -> Iterator[Progress]:
    """A ``Progress`` for ``what`` (a few words: "db import", "audit verify"), shown as this module says."""
    stream = stream if stream is not None else sys.stderr
    if stream is None:
        from assistant.core.progress import quiet

        yield quiet
        return
    if not _is_terminal(stream):
        lines = PlainLines(what, stream)
        yield lines
        lines.finish()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=stream), transient=True) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int | None = None) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
