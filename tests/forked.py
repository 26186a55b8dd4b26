"""``python -c CODE ARGS`` for the tests that start many such processes (saves killed on purpose,
workstations saving at once, PINs tried from several processes), forked from a process that has
imported the records layer once.

Each of them was a new interpreter that imported the program and its libraries (pydantic's models,
SQLAlchemy, psycopg) before its first line: 1-1.5 s of CPU each, about 50 of them in a run, on a
run bound by CPU from its first second. multiprocessing's forkserver starts one clean process (no
threads, no open files or connections of the tests) the first time a worker asks, imports ``PRELOAD``
in it, and forks each child from it. A child is a process of its own as before: its own memory, file
descriptors, file locks and database connections, killed with SIGKILL as before; its standard output
is a pipe the test reads line by line as before, and its exit status is a ``Popen``'s (``-9`` once
killed), and its standard error goes where the test's goes (pytest shows it with a failure). Only
what the command line gave differs in how it is given: the code runs as ``__main__`` with
``sys.argv`` as ``python -c`` sets it, in the folder and environment asked for.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import IO

PRELOAD = [
    "assistant.records",
    "assistant.records.postgres.store",
    "assistant.core.lifecycle.audit",
    "assistant.services.staff",
]
"""What every child would import first: imported once, in the server the children are forked from."""

_context: ForkServerContext | None = None


def _server() -> ForkServerContext:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def _child(code: str, argv: Sequence[str], cwd: str, env: Mapping[str, str], out: Connection, err: Connection) -> None:
    """In the child: standard output into the pipe, standard error where the test's goes, then the
    code as ``python -c`` runs it."""
    for stream, number in ((out, 1), (err, 2)):
        os.dup2(stream.fileno(), number)
        stream.close()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = ["-c", *argv]
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})


class Forked:
    """A child running ``code``; the parts of ``subprocess.Popen`` (text mode, standard output piped)
    the tests use."""

    def __init__(self, code: str, *argv: str, cwd: Path | str, env: Mapping[str, str] | None = None) -> None:
        context = _server()
        reader, writer = context.Pipe(duplex=False)
        environment = dict(os.environ if env is None else env)
        errors = Connection(os.dup(2))  # the test's standard error now (pytest captures it per test)
        arguments = (code, list(argv), str(cwd), environment, writer, errors)
        self._process = context.Process(target=_child, args=arguments)
        self._process.start()
        writer.close()
        errors.close()
        self.pid = self._process.pid
        self.stdout: IO[str] = os.fdopen(os.dup(reader.fileno()), "r", encoding="utf-8")
        reader.close()

    @property
    def returncode(self) -> int | None:
        """As ``Popen``'s: None while it runs, its exit status, or minus the signal that ended it."""
        return self._process.exitcode

    def send_signal(self, signal_number: int) -> None:
        if self._process.exitcode is None:
            os.kill(self._process.pid, signal_number)  # type: ignore[arg-type]

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(f"forked child {self.pid}", timeout or 0)
        self.stdout.close()
        return self._process.exitcode

    def communicate(self, timeout: float | None = None) -> tuple[str, None]:
        """The rest of its standard output, once it has ended (its output is read first: a child
        blocked on a full pipe would never end)."""
        output = self.stdout.read()
        self.wait(timeout)
        return output, None
