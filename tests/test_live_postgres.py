"""Live updates on a real PostgreSQL server (issue 22.3): the record's triggers notify on
``botulax_changes`` in the transaction of the change, another process listening hears a give within
2 seconds, and a listener survives the server's restart and says so."""

from __future__ import annotations

import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path

import pytest

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.live import Change
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records.postgres.listening import Listener
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from tests.conftest import MakeRecord
from tests.helpers import TODAY, keep
from tests.postgres_server import TemporaryServer

pytestmark = pytest.mark.slow

INJECTOR = StaffAccount(
    name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=datetime(2026, 1, 1, tzinfo=UTC)
)

LISTENING_PROCESS = """
import json, sys, threading
from assistant.records.postgres.listening import Listener
from assistant.records.postgres.url import parse_database_url

def heard(change):
    print(json.dumps(None if change is None else change.model_dump()), flush=True)

listener = Listener(parse_database_url(sys.argv[1]), heard).start()
listener.listening.wait(30)
print("listening", flush=True)
sys.stdin.read()  # until the test closes it
listener.stop()
"""


def lines_of(process: subprocess.Popen[str]) -> queue.Queue[str]:
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            found.put(line.strip())

    threading.Thread(target=read, daemon=True).start()
    return found


def next_change(found: queue.Queue[str], kind: str, within: float) -> tuple[dict[str, object], float]:
    """The first change of ``kind`` heard within ``within`` seconds, and when (seconds from now)."""
    start = time.monotonic()
    while (left := within - (time.monotonic() - start)) > 0:
        try:
            line = found.get(timeout=left)
        except queue.Empty:
            break
        change = json.loads(line)
        if change is not None and change["kind"] == kind:
            return change, time.monotonic() - start
    raise AssertionError(f"no {kind!r} heard within {within} s")


def test_another_process_listening_hears_a_give_within_two_seconds(
    postgres_url: str, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOTULAX_WORKSTATION", "Room B")
    server = PostgresStore(parse_database_url(postgres_url))
    record = make_record("Mina Park", patient_id="P-1042")
    listener = subprocess.Popen(
        [sys.executable, "-c", LISTENING_PROCESS, postgres_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "BOTULAX_WORKSTATION": "Room A"},
        cwd=Path(__file__).parent.parent,
    )
    try:
        found = lines_of(listener)
        assert found.get(timeout=30) == "listening"
        keep(server, record)
        saved, _ = next_change(found, "consult saved", within=2)
        assert saved["consult_id"] == record.consult_id and saved["patient_id"] == "P-1042"

        given = rules.give(
            record, lines_from_plan(record.plan, "BX1", None), INJECTOR, datetime.combine(TODAY, clock(11), UTC)
        )
        server.save(given, AuditEvent.for_version(given, INJECTOR.name, datetime.combine(TODAY, clock(11), UTC)))
        change, after = next_change(found, "given", within=2)
        assert after < 2
        assert change == {
            "kind": "given",
            "consult_id": record.consult_id,
            "draft_id": None,
            "patient_id": "P-1042",
            "who": "Ina Choi",
            "workstation": "Room B",  # the workstation that gave it, not the one listening
        }
    finally:
        listener.communicate("", timeout=10)
        server.close()


def test_a_change_rolled_back_is_never_heard(postgres_url: str, postgres_server: TemporaryServer) -> None:
    """The notification is sent in the change's transaction: no commit, no notification."""
    heard: list[Change | None] = []
    listener = Listener(parse_database_url(postgres_url), heard.append).start()
    try:
        assert listener.listening.wait(10)
        database = postgres_url.split("/")[3].split("?")[0]
        postgres_server.psql(
            "BEGIN; INSERT INTO drafts VALUES ('20261205-101010-abcdefgh', now(), '{}'); ROLLBACK;", database
        )
        postgres_server.psql(
            "INSERT INTO drafts VALUES ('20261205-101010-abcdefgh', now(), '{\"staff\": \"Dr Lee\"}')", database
        )
        deadline = time.monotonic() + 2
        while not heard and time.monotonic() < deadline:
            time.sleep(0.05)
        # notifications arrive in commit order: had the rolled-back insert sent one, it would be first
        assert heard == [Change(kind="draft", draft_id="20261205-101010-abcdefgh", who="Dr Lee", workstation="psql")]
    finally:
        listener.stop()


@pytest.mark.stops_postgres
def test_a_listener_survives_a_server_restart_and_says_so(
    postgres_url: str, postgres_server: TemporaryServer, make_record: MakeRecord
) -> None:
    heard: list[Change | None] = []
    said: list[str] = []
    listener = Listener(
        parse_database_url(postgres_url),
        heard.append,
        away=lambda detail: said.append(f"away: {detail}"),
        back=lambda: said.append("back"),
        retry=0.3,
    ).start()
    server = PostgresStore(parse_database_url(postgres_url))
    try:
        assert listener.listening.wait(10)
        postgres_server.stop()
        try:
            deadline = time.monotonic() + 10
            while not said and time.monotonic() < deadline:
                time.sleep(0.05)
            assert said and said[0].startswith("away: "), said
            assert not listener.listening.is_set()
        finally:
            postgres_server.start_again()
        deadline = time.monotonic() + 15
        while not (listener.listening.is_set() and said[-1] == "back") and time.monotonic() < deadline:
            time.sleep(0.05)  # a restarting server may drop the first connection again: away, then back again
        assert listener.listening.is_set() and said[-1] == "back", said
        kinds = [words.split(":")[0] for words in said]
        assert all(a != b for a, b in itertools.pairwise(kinds)), f"away and back said once each time: {said}"
        assert None in heard, "what changed while it was away is read again"

        record = make_record("Mina Park", patient_id="P-1042")
        started = time.monotonic()
        keep(server, record)
        while not any(c is not None and c.kind == "consult saved" for c in heard) and time.monotonic() - started < 2:
            time.sleep(0.02)
        assert any(c is not None and c.consult_id == record.consult_id for c in heard), heard
    finally:
        listener.stop()
        server.close()
