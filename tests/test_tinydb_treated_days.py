"""A TinyDB folder's treatments by day are read for the days that have a file, whatever the period:
a report from the first day there is (``report adverse-events`` without ``--lot``) once read 730,000
file names. The days found are exactly those a day-by-day walk would have read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.records.tinydb.tracing_files import treated_days

TREATED = [dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 1, 15), dt.date(2026, 3, 2)]


def folder_with(root: Path) -> Path:
    folder = root / "treatments"
    for day in TREATED:
        path = folder / day.strftime("%Y-%m") / f"{day.day:02d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")  # names that are not days: passed over
    (folder / "2026-01" / "15.json.tmp").write_text("{}", encoding="utf-8")
    (folder / "2026-02").mkdir()
    (folder / "2026-02" / "31.json").write_text("{}", encoding="utf-8")  # no 31 February
    return folder


def test_an_open_period_reads_the_days_treated_only(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    assert treated_days(folder, dt.date.min, dt.date.max) == TREATED
    assert treated_days(folder, dt.date(2026, 1, 1), dt.date(2026, 1, 14)) == [dt.date(2026, 1, 1)]
    assert treated_days(tmp_path / "none", dt.date.min, dt.date.max) == []


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return folder_with(tmp_path_factory.mktemp("days"))


@settings(max_examples=60, deadline=None)
@given(st.dates(dt.date(2025, 11, 1), dt.date(2026, 4, 30)), st.integers(0, 200))
def test_the_days_are_those_a_day_by_day_walk_finds(folder: Path, start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    assert treated_days(folder, start, end) == [day for day in TREATED if start <= day <= end]
