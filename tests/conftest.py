"""Shared fixtures: the shipped script, knowledge base and clinic, loaded from the real files."""

from __future__ import annotations

import itertools
from collections.abc import Callable
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
from assistant.records import ConsultRecord, new_record_id
from tests.helpers import TODAY, base_answers

REPO = Path(__file__).resolve().parent.parent

MakeRecord = Callable[..., ConsultRecord]


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
