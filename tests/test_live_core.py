"""What a change made elsewhere means for what is shown (``core/lifecycle/live.py``), the outage
line's words, and the log file the server's own words go to (``files/log_file.py``)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.live import Change, away_line, concerns, follow
from assistant.core.lifecycle.staff import StaffAccount
from assistant.files import log_file
from tests.conftest import MakeRecord

SEOUL = dt.timezone(dt.timedelta(hours=9))
INJECTOR = StaffAccount(
    name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
)


def test_a_consult_given_elsewhere_is_followed_with_who_where_and_when(make_record: MakeRecord) -> None:
    planned = make_record("Mina Park")
    at = dt.datetime(2026, 12, 5, 1, 42, tzinfo=dt.UTC)
    given = rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, at)

    followed = follow(planned, given, "Room B", SEOUL)
    assert followed is not None and followed.record is given
    assert followed.notice == "Given in Room B by Ina Choi at 10:42", "local time"
    assert follow(planned, given, None, dt.UTC).notice == "Given by Ina Choi at 01:42"  # type: ignore[union-attr]


def test_nothing_is_followed_when_the_record_read_is_not_newer(make_record: MakeRecord) -> None:
    planned = make_record("Mina Park")
    given = rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, dt.datetime.now(dt.UTC))
    assert follow(given, given, "Room B", SEOUL) is None, "already shown (this window gave it)"
    assert follow(given, planned, "Room B", SEOUL) is None, "an older version read late"
    assert follow(planned, None, "Room B", SEOUL) is None, "could not be read"
    assert follow(planned, make_record("Someone Else"), "Room B", SEOUL) is None, "another consult"


def test_which_changes_may_concern_a_consult() -> None:
    assert concerns(None, "c1") and concerns(Change(kind="record"), "c1")
    assert concerns(Change(kind="given", consult_id="c1"), "c1")
    assert not concerns(Change(kind="given", consult_id="c2"), "c1")


def test_a_payload_that_is_not_ours_is_ignored() -> None:
    assert Change.from_payload('{"kind": "given", "consult_id": "c1", "who": "Ina Choi", "x": 1}') == Change(
        kind="given", consult_id="c1", who="Ina Choi"
    )
    assert Change.from_payload("not json") is None
    assert Change.from_payload('{"consult_id": "c1"}') is None, "no kind"


def test_the_outage_line_says_since_when_in_local_time_and_no_server_detail() -> None:
    since = dt.datetime(2026, 12, 5, 1, 42, tzinfo=dt.UTC)
    assert away_line(since, SEOUL) == "Server away since 10:42: saving on this computer; retrying"


def test_the_log_file_is_in_the_user_log_folder_or_where_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(log_file.ENV, raising=False)
    assert log_file.log_path().name == "botulax-consult.log"
    assert "botulax-consult" in log_file.log_path().parent.as_posix()
    target = tmp_path / "logs" / "consult.log"
    monkeypatch.setenv(log_file.ENV, str(target))
    assert log_file.log_path() == target

    assert log_file.start_logging() == target.resolve()
    assert log_file.start_logging() == target.resolve(), "once per file"
    logger = logging.getLogger("assistant.records.postgres.listening")
    logger.warning("not listening to the record server: connection refused")
    for handler in logging.getLogger(log_file.LOGGER).handlers:
        handler.flush()
    assert "connection refused" in target.read_text(encoding="utf-8")
    handlers = [
        h
        for h in logging.getLogger(log_file.LOGGER).handlers
        if getattr(h, "baseFilename", "") == str(target.resolve())
    ]
    assert len(handlers) == 1 and handlers[0].maxBytes == log_file.MAX_BYTES  # type: ignore[attr-defined]
    other = tmp_path / "other.log"
    assert log_file.start_logging(other) == other.resolve()
    files = [getattr(h, "baseFilename", "") for h in logging.getLogger(log_file.LOGGER).handlers]
    assert files.count(str(other.resolve())) == 1 and str(target.resolve()) not in files, "one log file a process"
