"""Long work shows progress: rich's bar on a terminal, plain lines otherwise (``cli/progress.py``).
The work only calls the callback it is given; the commands choose how it is shown."""

from __future__ import annotations

import io

import pytest

from assistant.cli import progress as shown
from assistant.core.progress import counted
from tests.helpers import Cli
from tests.test_cli_pages import seeded  # noqa: F401  (the fixture)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_say_each_tenth_after_the_first_second_and_the_end() -> None:
    stream, clock = io.StringIO(), Clock()
    lines = shown.PlainLines("db import", stream, clock)
    lines(5, 200)
    assert stream.getvalue() == ""  # the first second says nothing
    clock.now += 2
    for done in range(6, 201):
        lines(done, 200)
    lines.finish()
    said = stream.getvalue().splitlines()
    assert said[0] == "db import: 3% (6 of 200)"
    assert [line.split(":")[1].split("%")[0].strip() for line in said[1:-1]] == [str(n) for n in range(10, 101, 10)]
    assert said[-1] == "db import: done, 200 in 2 s"
    assert "\x1b" not in stream.getvalue()  # no terminal codes in a log


def test_plain_lines_without_a_total_come_every_few_seconds() -> None:
    stream, clock = io.StringIO(), Clock()
    lines = shown.PlainLines("recall --all", stream, clock)
    for done in range(1, 101):
        clock.now += 0.2
        lines(done)
    assert stream.getvalue().splitlines() == [
        "recall --all: 5 done", "recall --all: 30 done", "recall --all: 55 done", "recall --all: 80 done",
    ]  # fmt: skip


def test_work_that_ends_within_a_second_says_nothing() -> None:
    stream = io.StringIO()
    with shown.progress("audit verify", stream) as report:
        assert list(counted(range(1000), report, 1000)) == list(range(1000))
    assert stream.getvalue() == ""


def test_a_terminal_gets_richs_bar() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with shown.progress("db import", stream) as report:
        assert not isinstance(report, shown.PlainLines)
        for done in range(1, 11):
            report(done, 10)


def test_a_streamed_export_says_its_progress_in_plain_lines_on_stderr(
    cli: Cli,
    seeded: list[str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shown, "QUIET_FOR", 0.0)
    code, out, err = cli("recall", "BX1", "--all", "--format", "csv")
    assert code == 0 and out.count("Kim Ji-woo") == 5
    assert err.splitlines()[0] == "recall --all: 1 done" and err.splitlines()[-1].startswith("recall --all: done, 5 in")
