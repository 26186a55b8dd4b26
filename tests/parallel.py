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
