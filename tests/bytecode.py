"""The program's and the tests' bytecode, compiled once when the test run starts, before its workers.

Where ``PYTHONDONTWRITEBYTECODE`` is set (as on our development and CI machines), nothing ever writes
the ``__pycache__`` of the editable install: pip compiles the packages it installs, not a folder
installed with ``-e``. So each xdist worker, and each Python process a test starts (about 80 in a
run: the command line, saves killed on purpose, a second workstation, a PIN tried from several
processes), compiled the modules it imported from their source again, about 0.1-0.2 s of CPU each.
``compileall`` writes whatever that setting says; a module whose compiled file is up to date is
skipped, so a second run pays a directory walk. A module edited later is compiled again in memory by
Python, as before, because the file's time stamp no longer matches.

The test modules are pytest's to compile: it rewrites their ``assert`` statements first, and caches
the result beside them only where bytecode may be written. On a fresh clone every worker rewrote all
of them, 4.5-5 s of CPU each (half of a worker's collection, and the run is bound by CPU from its
first second), where once is enough: ``compile_tests`` rewrites them in the controller, in two
processes, and writes pytest's own cache, which pytest reads whatever that setting says. Pytest checks
each cached file against its source's time stamp and size, so an edited test is rewritten as before.
"""

from __future__ import annotations

import compileall
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from assistant import locations

TESTS = Path(__file__).resolve().parent


def compile_program() -> None:
    """Compile the ``assistant`` package, and the tests' helper modules, where they lie. A folder that
    cannot be written is left as it is: the processes then compile in memory, as before."""
    compileall.compile_dir(locations.PACKAGE_DIR, quiet=2, workers=1)
    for helper in TESTS.glob("*.py"):
        if not _rewritten_by_pytest(helper):
            compileall.compile_file(helper, quiet=2)


def compile_tests(config: pytest.Config) -> None:
    """Rewrite and cache the test modules the run names (files or folders) not cached already, when
    xdist workers will import them and pytest rewrites them as we do (no assertion-pass hook)."""
    if not config.getoption("numprocesses", None) or config.getoption("assertmode") != "rewrite":
        return
    if config.getini("enable_assertion_pass_hook"):
        return
    paths = [Path(config.invocation_params.dir, arg) for arg in config.args]
    files = sorted({file for path in paths for file in _test_modules(path)})
    stale = [file for file in files if _cached(file) is None]
    if len(stale) < 8:  # a file or two: the workers do them as fast as a pool would start
        return
    try:
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_rewrite, stale, chunksize=8))
    except (OSError, BrokenProcessPool):  # no processes to be had here: the workers rewrite them, as before
        return


def _rewritten_by_pytest(path: Path) -> bool:
    return path.name == "conftest.py" or (path.name.startswith("test_") and path.suffix == ".py")


def _test_modules(path: Path) -> list[Path]:
    path = Path(str(path).split("::", 1)[0]).resolve()
    if path.is_dir():
        return [file for file in path.rglob("*.py") if _rewritten_by_pytest(file) and "__pycache__" not in file.parts]
    return [path] if path.is_file() and _rewritten_by_pytest(path) else []


def _pyc(file: Path) -> Path:
    from _pytest.assertion import rewrite

    return rewrite.get_cache_dir(file) / (file.name[:-3] + rewrite.PYC_TAIL)


def _cached(file: Path) -> object | None:
    from _pytest.assertion import rewrite

    return rewrite._read_pyc(file, _pyc(file))


def _rewrite(file: Path) -> None:
    """As pytest's import hook does for a module it has no cache of (``AssertionRewritingHook.exec_module``),
    with its defaults (no assertion-pass hook): rewritten, compiled, written atomically."""
    from _pytest.assertion import rewrite

    pyc = _pyc(file)
    if not rewrite.try_makedirs(pyc.parent):
        return
    try:
        source_stat, code = rewrite._rewrite_test(file, None)  # type: ignore[arg-type]
    except (OSError, SyntaxError, ValueError):  # the worker that imports it reports it, as without this
        return
    rewrite._write_pyc(_Quiet(), code, source_stat, pyc)  # type: ignore[arg-type]


class _Quiet:
    """The one thing ``_write_pyc`` asks of pytest's assertion state: somewhere to trace to."""

    def trace(self, message: str) -> None:
        pass
