"""``--limit``, ``--after`` and ``--all`` on ``recall``, ``due`` and ``history``, on both stores: each
page ends with where the next starts ("more: --after CURSOR"; JSON stays a bare list, or says
``next`` with ``--paged``), the pages make the whole answer, and a wrong cursor is a sentence, exit 2."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from tests.conftest import MakeRecord
from tests.helpers import Cli
from tests.test_records_contract import AT, INJECTOR, keep

DAYS = [date(2026, 9, 1), date(2026, 9, 3), date(2026, 9, 3), date(2026, 9, 3), date(2026, 9, 8)]
MORE = re.compile(r"^more: --after (\S+)$", re.MULTILINE)


@pytest.fixture
def seeded(cli: Cli, make_record: MakeRecord) -> list[str]:
    """Five treatments from lot BX1 of patients all called Kim Ji-woo (three on one day)."""
    repository = cli.repository()
    ids = []
    for n, day in enumerate(DAYS):
        planned = keep(repository, make_record("Kim Ji-woo", patient_id=f"P-{n}", day=day))
        given = rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, AT)  # type: ignore[arg-type]
        ids.append(keep(repository, given).consult_id)  # type: ignore[attr-defined]
    return ids


def _text_pages(cli: Cli, *args: str) -> list[str]:
    """Every page of a text look-up, following its "more:" lines; the consult ids in order."""
    seen: list[str] = []
    after: list[str] = []
    for _ in range(20):
        code, out, err = cli(*args, *after)
        assert code == 0, err
        seen += re.findall(r"\d{8}-\d{6}-[0-9a-z]{8}", out)
        found = MORE.findall(out)
        if not found:
            return seen
        assert out.rstrip("\n").splitlines()[-1].startswith("more: --after ")
        after = ["--after", found[-1]]
    raise AssertionError("the pages never ended")


def test_recall_pages_in_text_json_and_csv(cli: Cli, seeded: list[str]) -> None:
    newest_first = [seeded[4], seeded[3], seeded[2], seeded[1], seeded[0]]
    assert _text_pages(cli, "recall", "BX1", "--limit", "2") == newest_first
    code, out, err = cli("recall", "BX1", "--limit", "2", "--format", "json")
    page = json.loads(out)
    assert isinstance(page, list) and [r["consult_id"] for r in page] == newest_first[:2]
    cursor = MORE.findall(err)[0]
    code, out, _ = cli("recall", "BX1", "--limit", "2", "--after", cursor, "--format", "json", "--paged")
    paged = json.loads(out)
    assert [r["consult_id"] for r in paged["rows"]] == newest_first[2:4] and paged["next"]
    code, out, _ = cli("recall", "BX1", "--limit", "2", "--after", paged["next"], "--format", "json", "--paged")
    assert json.loads(out) == {"rows": json.loads(out)["rows"], "next": None} and len(json.loads(out)["rows"]) == 1
    code, out, err = cli("recall", "BX1", "--all", "--format", "json")
    assert [r["consult_id"] for r in json.loads(out)] == newest_first and "more:" not in err
    code, out, err = cli("recall", "BX1", "--all", "--format", "csv")
    assert [r["consult_id"] for r in csv.DictReader(io.StringIO(out))] == newest_first
    code, out, _ = cli("recall", "BX1")  # the first page is 50 rows: all five, no "more:"
    assert code == 0 and "more:" not in out and out.count("Kim Ji-woo") == 5


def test_due_pages_make_the_whole_list(cli: Cli, seeded: list[str]) -> None:
    window = ("due", "--on", "2026-09-10", "--days", "100")
    code, out, _ = cli(*window, "--all", "--format", "json")
    whole = json.loads(out)
    assert len(whole) == 15  # each treatment's review, touch-up window and retreatment
    rows: list[dict[str, object]] = []
    after: list[str] = []
    while True:
        code, out, err = cli(*window, "--limit", "4", *after, "--format", "json", "--paged")
        assert code == 0, err
        page = json.loads(out)
        rows += page["rows"]
        if page["next"] is None:
            break
        after = ["--after", page["next"]]
    assert rows == whole
    assert [(r["date"], r["reason"]) for r in rows[:2]] == [("2026-09-15", "review"), ("2026-09-17", "review")]
    assert len(_text_pages(cli, *window, "--limit", "4")) == 0  # the text names no consult ids...
    code, out, _ = cli(*window, "--limit", "4")
    assert len(out.splitlines()) == 5 and MORE.search(out)  # ...but four rows and where the next page starts


def test_history_keeps_its_default_of_20_and_pages_a_common_name(cli: Cli, seeded: list[str]) -> None:
    newest_first = [seeded[4], seeded[3], seeded[2], seeded[1], seeded[0]]
    assert _text_pages(cli, "history", "Kim Ji-woo", "--limit", "2") == newest_first
    code, out, _ = cli("history", "Kim Ji-woo")
    assert "more:" not in out and len(re.findall(r"\d{8}-\d{6}-", out)) == 5
    code, out, _ = cli("history", "Kim Ji-woo", "--all", "--format", "json")
    assert code == 0 and [r["consult_id"] for r in json.loads(out)] == newest_first
    recent = _text_pages(cli, "history", "--limit", "2")  # the most recent consults, by when they were started
    assert sorted(recent) == sorted(seeded) and len(recent) == 5


@pytest.mark.parametrize("command", [["recall", "BX1"], ["due", "--on", "2026-09-10"], ["history", "Kim Ji-woo"]])
def test_a_wrong_cursor_or_limit_is_a_sentence_and_exit_2(cli: Cli, seeded: list[str], command: list[str]) -> None:
    code, out, err = cli(*command, "--after", "not-a-cursor")
    assert code == 2 and out == "" and "the --after cursor is not one this command gave" in err
    code, out, err = cli(*command, "--limit", "0")
    assert code == 2 and out == "" and "--limit is a number of rows from 1 to 10,000" in err
    code, out, err = cli(*command, "--all", "--after", "x")
    assert code == 2 and "--all reads the whole answer from its start" in err
