"""Shared fixtures: the shipped script, knowledge base and clinic, loaded from the real files."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from assistant import locations
from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.knowledge import KnowledgeBase
from assistant.core.planner import make_plan
from assistant.core.script import Script
from assistant.files.resources import Resources, load_resources
from assistant.records import ConsultRecord, ConsultRepository, TinyDBStore, new_record_id
from tests.bytecode import compile_program, compile_tests
from tests.helpers import TODAY, Cli, base_answers
from tests.parallel import longest_first, pytest_cmdline_main
from tests.postgres_server import ServerUnavailable, TemporaryServer
from tests.slow import mark_slow
from tests.staff_register import StaffRegisters
from tests.textual_pace import quicken

REPO = Path(__file__).resolve().parent.parent

MakeRecord = Callable[..., ConsultRecord]

__all__ = ["pytest_cmdline_main"]  # README's test command runs in parallel (tests/parallel.py)


def pytest_configure(config: pytest.Config) -> None:
    quicken()  # in every process that runs tests: see tests/textual_pace.py
    if not hasattr(config, "workerinput"):  # once per run, before xdist starts its workers
        compile_program()
        compile_tests(config)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_slow(items)
    longest_first(items)


@pytest.fixture(scope="session")
def _worker_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the tests of this worker: see ``_isolated_user_dirs``."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's own config and data out of every test.

    The cache folder is shared by the tests of one worker, as it is by every start on a clinic's
    computer: it holds only the validated script and knowledge base, keyed by the SHA-256 of their
    files, so an edited script is a miss. A fresh folder per test made every test's first command
    parse all the YAML again (about 0.5 s of CPU, the largest part of a command line test). Tests
    of the cache itself (``fresh_cache``) plant files in it and get their own."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    fresh = request.node.get_closest_marker("fresh_cache") is not None
    cache = home / "cache" if fresh else request.getfixturevalue("_worker_cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


@pytest.fixture(scope="session")
def resources() -> Resources:
    loaded = load_resources(clinic=locations.CLINIC_DEFAULTS)
    assert loaded.value is not None, loaded.problems
    return loaded.value


@pytest.fixture(scope="session")
def script(resources: Resources) -> Script:
    return resources.script


@pytest.fixture(scope="session")
def kb(resources: Resources) -> KnowledgeBase:
    return resources.kb


@pytest.fixture(scope="session")
def staff_registers(tmp_path_factory: pytest.TempPathFactory) -> StaffRegisters:
    """Staff registers hashed once per worker and copied into each test (tests/staff_register.py)."""
    return StaffRegisters(tmp_path_factory.mktemp("staff-registers"))


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def flow(script: Script) -> Flow:
    return Flow(script, TODAY)


BreakKnowledge = Callable[[str, str, str], tuple[Path, Path, int]]


@pytest.fixture
def broken_kb(tmp_path: Path) -> BreakKnowledge:
    """Copy the shipped knowledge/ and replace one piece of text once; gives (folder, file, line where
    the replaced text starts)."""

    def make(file_name: str, old: str, new: str) -> tuple[Path, Path, int]:
        directory = tmp_path / "knowledge"
        shutil.copytree(locations.KNOWLEDGE_DIR, directory)
        path = directory / file_name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {file_name}"
        start = text.index(old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        return directory, path, text[:start].count("\n") + 1

    return make


@pytest.fixture
def make_record(resources: Resources) -> MakeRecord:
    """A finished consult's record, planned by the real planner for ``day``."""
    seconds = itertools.count()

    def make(
        name: str = "Test Patient",
        *,
        day: date = TODAY,
        patient_id: str | None = None,
        zones: tuple[str, ...] = ("glabella",),
        **answers: Any,
    ) -> ConsultRecord:
        flow = Flow(resources.script, day)
        raw = base_answers(patient_name=name, zones=list(zones), **answers)
        if patient_id is not None:
            raw["patient_id"] = patient_id
        result = flow.read_file(raw)
        assert result.ok, result.problems
        consult = Consult.from_answers(flow, result.answers)
        plan = make_plan(consult, resources.kb, resources.clinic)
        finished = datetime.combine(day, time(10), UTC) + timedelta(seconds=next(seconds))
        return ConsultRecord.from_plan(
            consult_id=new_record_id(finished),
            plan=plan,
            answers=consult.answers,
            started_at=finished - timedelta(minutes=20),
            finished_at=finished,
            staff="Dr Test",
            lot_number="BTX-2211",
            lot_expiry=date(2027, 6, 30),
            script_hash="sha256:abc",
            knowledge_hash="sha256:def",
        )

    return make


@pytest.fixture(params=["tinydb", "postgres"])
def cli(
    request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """The command line on each store in turn (see ``stores`` below)."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        return Cli(tmp_path / "data", capsys, monkeypatch, url, request.getfixturevalue("postgres_server"))
    return Cli(tmp_path / "data", capsys, monkeypatch)


# -- the record stores: every contract test runs on both -------------------------------------------


WORKSTATIONS = "botulax_workstations"
"""The role the tests' workstations connect as: as README sets a clinic up, never the tables' owner,
so every store and CLI test also shows the program needs no more than ``roles.RIGHTS``."""


RUN = os.getpid()
"""Names made on the server carry this process's id: with pytest-xdist every worker is a process of
its own, and ``.ci/run``'s one server serves them all (databases and roles are the whole server's)."""

TEMPLATE = f"migrated_{RUN}"


def _server_or_skip(start: Callable[[], TemporaryServer]) -> TemporaryServer:
    try:
        return start()
    except (ServerUnavailable, OSError, ValueError) as why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL tests must run in CI: {why}")
        pytest.skip(f"no PostgreSQL here: {why}")


def _migrated(server: TemporaryServer) -> TemporaryServer:
    """The workstations' role (once per server; two workers may race to make it) and this process's
    migrated template database."""
    from assistant.records.postgres.migrate import upgrade
    from assistant.records.postgres.url import parse_database_url

    server.psql(
        f"DO $$ BEGIN CREATE ROLE {WORKSTATIONS} LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN END $$"
    )
    upgrade(parse_database_url(server.create_database(TEMPLATE)), WORKSTATIONS)
    return server


def _shared_by_workers() -> bool:
    """Whether the session's server is ``.ci/run``'s, used by other xdist workers at the same time."""
    return bool(os.environ.get("BOTULAX_TEST_POSTGRES") and os.environ.get("PYTEST_XDIST_WORKER"))


@pytest.fixture(scope="session")
def _session_postgres_server() -> Iterator[TemporaryServer]:
    """One throwaway PostgreSQL server for the session (the one ``.ci/run`` started, or our own: one
    per xdist worker, each in its own folder and socket), migrated once into a template database."""
    started_by_ci = os.environ.get("BOTULAX_TEST_POSTGRES")
    if started_by_ci:
        server = _server_or_skip(
            lambda: TemporaryServer.attach(json.loads(Path(started_by_ci).read_text(encoding="utf-8")))
        )
    else:
        server = _server_or_skip(lambda: TemporaryServer().start(for_tests=True))
    try:
        yield _migrated(server)
    finally:
        if not started_by_ci:
            server.close()


@pytest.fixture(scope="session")
def _own_postgres_server() -> Iterator[TemporaryServer]:
    """A server of this worker's own, started only when a test that stops its server runs here while
    ``.ci/run``'s server is shared: stopping that one would fail the other workers' tests."""
    server = _server_or_skip(lambda: TemporaryServer().start(for_tests=True))
    try:
        yield _migrated(server)
    finally:
        server.close()


@pytest.fixture
def postgres_server(request: pytest.FixtureRequest) -> TemporaryServer:
    """The session's server; a test marked ``stops_postgres`` (it stops and starts the server, an
    outage) gets one no other worker uses."""
    if request.node.get_closest_marker("stops_postgres") is not None and _shared_by_workers():
        return request.getfixturevalue("_own_postgres_server")
    return request.getfixturevalue("_session_postgres_server")


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres_server: TemporaryServer) -> str:
    """A fresh, migrated database for one test, as the workstations' role sees it."""
    name = f"test_{RUN}_{next(_databases)}"
    postgres_server.copy_database(name, TEMPLATE)
    return postgres_server.url(name).replace(f"//{postgres_server.user}@", f"//{WORKSTATIONS}@", 1)


@pytest.fixture(params=["tinydb", "postgres"])
def repository(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConsultRepository]:
    """Each store in turn, empty: the repository contract holds for both."""
    if request.param == "tinydb":
        yield TinyDBStore(tmp_path / "data")
        return
    from assistant.records.postgres.store import PostgresStore
    from assistant.records.postgres.url import parse_database_url

    store = PostgresStore(parse_database_url(request.getfixturevalue("postgres_url")))
    yield store
    store.close()


@pytest.fixture(autouse=True)
def _keys_wait_on_the_key_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pilot.press`` waits for each key to be applied rather than for the CPU to look idle
    (``tests/key_by_key.py``): the same keys one at a time, tens of seconds less sleeping per test."""
    from textual.app import App

    from tests.key_by_key import press_keys

    monkeypatch.setattr(App, "_press_keys", press_keys)
