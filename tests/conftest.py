"""Shared fixtures: the shipped script, knowledge base and clinic, loaded from the real files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from assistant import locations
from assistant.core.flow import Flow
from assistant.core.knowledge import KnowledgeBase
from assistant.core.script import Script
from assistant.files.resources import Resources, load_resources
from tests.helpers import TODAY

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own config and data out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


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
