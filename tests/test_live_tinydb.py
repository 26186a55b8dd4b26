"""Live updates on a TinyDB data folder (issue 22.3): a save made by another process (another
window on this workstation) is heard by the watcher, naming the consult; and what a batch of
changed files means."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.core.lifecycle.live import Change
from assistant.records.tinydb.watching import Watcher, changes_in
from tests.conftest import MakeRecord

SAVING_PROCESS = """
import json, sys
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.record import ConsultRecord
from assistant.records import TinyDBStore

record = ConsultRecord.model_validate_json(sys.stdin.read())
TinyDBStore(sys.argv[1]).save(record, AuditEvent.for_version(record, record.staff, record.finished_at))
"""


@pytest.mark.slow
def test_a_save_in_another_process_is_heard_by_the_watcher(tmp_path: Path, make_record: MakeRecord) -> None:
    folder = tmp_path / "data"
    heard: list[Change | None] = []
    watcher = Watcher(folder, heard.append).start()
    try:
        assert watcher.watching.wait(10)
        record = make_record("Mina Park", patient_id="P-1042")
        subprocess.run(
            [sys.executable, "-c", SAVING_PROCESS, str(folder)],
            input=record.model_dump_json(),
            text=True,
            check=True,
            cwd=Path(__file__).parent.parent,
            timeout=60,
        )
        saved = time.monotonic()
        wanted = Change(kind="consult", consult_id=record.consult_id)
        while wanted not in heard and time.monotonic() - saved < 2:
            time.sleep(0.02)
        assert wanted in heard, heard
        assert heard.count(wanted) == 1, "one save, heard once for its consult"
    finally:
        watcher.stop()


def test_what_a_batch_of_changed_files_means(tmp_path: Path) -> None:
    data = tmp_path / "data"
    paths = [
        data / "consults" / "2026-12" / "20261205-101010-abcdefgh.json",
        data / "consults" / "2026-12" / ".20261205-101010-abcdefgh.json.tmp",  # a save's temporary file
        data / "drafts" / "20261205-090000-zzzzzzzz.json",
        data / "audit" / "000000.json",
        data / "audit" / "head.json",
        data / "audit" / "head.json.lock",
        data / "vials" / "open.json",  # the ledger: what the lot question and G's form offer
        tmp_path / "elsewhere.json",  # not in the folder
    ]
    assert changes_in(data, [str(p) for p in paths]) == [
        Change(kind="consult", consult_id="20261205-101010-abcdefgh"),
        Change(kind="draft", draft_id="20261205-090000-zzzzzzzz"),
        Change(kind="record"),
        Change(kind="vials"),
    ]
    assert changes_in(data, [str(paths[1])]) == [], "only temporary files: nothing to tell"
