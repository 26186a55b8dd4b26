"""How many xdist workers README's test command uses, given here rather than in ``addopts``.

In ``addopts`` the options ``-n``/``--dist`` exist only while pytest-xdist is loaded, so
``-p no:xdist`` (the one way to run tests in this process, for a debugger or a profile) failed with
"unrecognized arguments". This hook adds them when xdist is loaded and nobody chose otherwise: not in
a worker, not when ``-n``/``--numprocesses`` was given (``-n0`` included), not under ``--pdb``.
"""

from __future__ import annotations

import pytest

WORKERS = 3
"""Workers on the 2-core CI machine: more workers than cores, because the tests wait on PostgreSQL,
subprocesses, PDFs and Textual as much as they compute; measured against 2 and 4 in README."""

DIST = "worksteal"
"""Idle workers take tests from busy ones: the slow files are few and long."""


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Runs before xdist's own ``pytest_cmdline_main`` (a conftest registers after the plugin and
    pluggy calls the last registered first), which turns ``numprocesses`` into worker processes."""
    if not config.pluginmanager.has_plugin("xdist") or hasattr(config, "workerinput"):
        return
    if config.getoption("numprocesses", None) is not None or config.getoption("usepdb", False):
        return
    config.option.numprocesses = WORKERS
    if config.getoption("dist", "no") == "no":
        config.option.dist = DIST


LONGEST_FILES = (
    "test_postgres.py",
    "test_give_limits_properties.py",
    "test_verify_any_byte.py",
    "test_records_concurrency.py",
    "test_pin_lockout.py",
    "test_tui_patients.py",
    "test_tui_lifecycle.py",
    "test_tui_same_day.py",
    "test_tui_pin_again.py",
    "test_tui_chart.py",
    "test_planner_properties.py",
    "test_killed_saves.py",
)
"""The files whose tests take seconds each (``--durations=0``, summed per file), run first: the
workers then end on short tests and finish together, instead of one worker still running a
fifteen-second test while the others have nothing left to take."""


def longest_first(items: list[pytest.Item]) -> None:
    """Reorder ``items`` in place: the longest files first, in the order above; the rest as collected.
    Every xdist worker collects and reorders alike, as xdist requires."""
    rank = {name: place for place, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
