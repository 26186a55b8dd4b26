"""The consult record under stress: processes killed mid-save, and several terminals saving at once.

Workers are separate Python processes running ``WORKER`` against the same data directory, saving
copies of one real record (planned by the real planner) under new ids.
"""

from __future__ import annotations

import random
import signal
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.lifecycle.audit_verify import verify
from assistant.core.planner import make_plan
from assistant.files.resources import Resources
from assistant.records import ConsultRecord, ConsultRepository, TinyDBStore, new_record_id
from assistant.records.tinydb.atomic import read_tables
from assistant.services import audit_trail
from tests.conftest import REPO
from tests.forked import Forked
from tests.helpers import TODAY, base_answers

WORKER = r"""
import os, sys, time
from datetime import UTC, datetime
from pathlib import Path
from assistant.records import ConsultRecord, Draft, TinyDBStore, new_record_id, open_repository
from assistant.core.lifecycle.audit import AuditEvent

where, template_file, worker, count, go = sys.argv[1:6]
template = ConsultRecord.model_validate_json(Path(template_file).read_text(encoding="utf-8")).model_dump()
store = open_repository(None, where) if where.startswith("postgresql:") else TinyDBStore(where)
draft_id = new_record_id(datetime.now(UTC))
print("ready", flush=True)
while go != "-" and not os.path.exists(go):
    time.sleep(0.002)
i = 0
while int(count) < 0 or i < int(count):
    now = datetime.now(UTC)
    shared = ConsultRecord.model_validate({**template, "consult_id": new_record_id(now)})
    store.save(shared, AuditEvent.for_version(shared, None, now))
    print("saved", shared.consult_id, shared.patient_key, flush=True)
    if i % 5 == 0:
        name = f"Kim W{worker}n{i}"
        new = ConsultRecord.model_validate(
            {**template, "consult_id": new_record_id(now), "patient_name": name, "patient_id": None, "patient_key": ""}
        )
        store.save(new, AuditEvent.for_version(new, None, now))
        print("saved", new.consult_id, new.patient_key, flush=True)
    store.save_draft(Draft(draft_id=draft_id, answers={"patient_name": "Kim", "i": i}, started_at=now,
                           updated_at=now, script_id="s", script_version="1"))
    i += 1
"""


@pytest.fixture
def template(tmp_path: Path, resources: Resources, flow: Flow) -> Path:
    result = flow.read_file(
        base_answers(patient_name="Kim Ji-woo", patient_id="P-0042", zones=["glabella", "forehead"])
    )
    consult = Consult.from_answers(flow, result.answers)
    plan = make_plan(consult, resources.kb, resources.clinic)
    at = datetime(2026, 11, 24, 10, tzinfo=UTC)
    record = ConsultRecord.from_plan(
        consult_id=new_record_id(at), plan=plan, answers=consult.answers, started_at=at, finished_at=at
    )
    assert record.date == TODAY
    path = tmp_path / "template.json"
    path.write_text(record.model_dump_json(), encoding="utf-8")
    return path


def start_worker(data: Path | str, template: Path, worker: str, count: int, go: Path | None) -> Forked:
    """A worker saving ``count`` copies (-1: until killed) of the template, and every fifth time a patient
    named after ``worker`` and the copy's number (so a worker started again meets its own patients).
    ``data``: a TinyDB folder, or a server's URL."""
    process = Forked(WORKER, str(data), str(template), str(worker), str(count), str(go or "-"), cwd=REPO)
    assert process.stdout.readline().strip() == "ready"
    return process


def saved_lines(output: str) -> list[tuple[str, str]]:
    """(consult id, patient key) of every save the worker finished (a cut-off last line is not one)."""
    complete = output.split("\n")[:-1]
    return [(parts[1], parts[2]) for parts in (line.split(" ", 2) for line in complete) if parts[0] == "saved"]


def assert_every_file_whole(data: Path) -> None:
    files = [p for p in data.rglob("*.json") if not p.name.startswith(".")]
    assert files
    for path in files:
        read_tables(path)  # raises DamagedDataFile on a truncated or malformed file
    strays = [p for p in data.rglob(".*") if p.is_file() and p.name != ".lock"]
    assert all(p.name.endswith(".tmp") for p in strays), strays


def assert_all_kept(store: ConsultRepository, saved: list[tuple[str, str]]) -> None:
    by_patient: dict[str, set[str]] = defaultdict(set)
    for consult_id, key in saved:
        by_patient[key].add(consult_id)
    for key, ids in by_patient.items():
        listed = {summary.consult_id for summary in store.history(key)}
        assert ids <= listed, (key, ids - listed)
        for consult_id in ids:
            record = store.get(consult_id)
            assert record is not None and record.patient_key == key
    for key in by_patient:
        if key.startswith("name:"):
            found = [m.patient_key for m in store.find_patients(key.removeprefix("name:"))]
            assert found[0] == key, (key, found)  # the exact name first (longer names it starts may follow)


def test_a_save_killed_at_any_moment_leaves_every_file_whole_and_every_finished_record(
    tmp_path: Path, template: Path
) -> None:
    data = tmp_path / "data"
    rng = random.Random(20261124)
    saved: list[tuple[str, str]] = []
    for _ in range(20):
        process = start_worker(data, template, "k", -1, None)
        assert process.stdout is not None
        finished = "".join(process.stdout.readline() for _ in range(rng.randint(1, 4)))  # some saves, whatever the load
        time.sleep(rng.uniform(0, 0.03))  # then a kill at any moment of the next ones
        process.send_signal(signal.SIGKILL)
        saved += saved_lines(finished + process.stdout.read())
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        assert_every_file_whole(data)
    assert len(saved) >= 20, "every worker finished some saves before it was killed"
    store = TinyDBStore(data)
    assert_all_kept(store, saved)
    assert len(store.drafts()) >= 1
    # the chain never breaks, whatever the moment of a kill (a version may lack its entry: verify names
    # it), and no entry names a version the store lost
    verdict = verify(store.audit_entries(), store.version_hashes(), None)
    assert all("has no audit entry" in problem for problem in verdict.problems), verdict.problems


def test_terminals_saving_at_once_lose_no_record(tmp_path: Path, template: Path) -> None:
    data = tmp_path / "data"
    go = tmp_path / "go"
    workers = [start_worker(data, template, str(n), 50, go) for n in range(3)]
    go.touch()
    saved: list[tuple[str, str]] = []
    for process in workers:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        saved += saved_lines(output)
    assert len(saved) == 3 * (50 + 10)
    assert len({consult_id for consult_id, _ in saved}) == len(saved)
    store = TinyDBStore(data)
    shared = store.history("P-0042")
    assert len(shared) == 150
    assert {s.consult_id for s in shared} == {i for i, key in saved if key == "id:p-0042"}
    assert len(store.find_patients("kim", limit=100)) == 1 + 30
    assert_all_kept(store, saved)
    assert_every_file_whole(data)
    verdict = audit_trail.check(store)
    assert verdict.ok and verdict.entries == len(saved), verdict.problem  # one chain, never forked
