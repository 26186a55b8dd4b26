"""Timing on the command line, on both stores (issue 19, 2c-2e): the record's doses given set the
timing whatever last treatment is typed; a consult is never dated after the real date, and one
entered later is marked so; a consult that injects nothing has no touch-up window."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from tests.helpers import INJECTOR, PINS, Cli, pin_calendar
from tests.test_cli_lifecycle import clinic, run_consult  # noqa: F401  (clinic: the staff fixture)

FULL_FACE = locations.EXAMPLES_DIR / "full_face.yaml"


def answers(
    tmp_path: Path, today: str, zones: str = "[glabella]", prior: str = "never", prior_zones: str = "[glabella]"
) -> str:
    """Mina Park's full-face answer file, dated ``today``, for ``zones``, the last treatment typed as ``prior``."""
    text = FULL_FACE.read_text(encoding="utf-8").split("\n# What a rehearsal")[0]
    text = text.replace("today: 2026-11-24", f"today: {today}").replace("[glabella, forehead, crows_feet]", zones)
    if prior != "never":
        text = text.replace("prior_treatment_date: never", f"prior_treatment_date: {prior}\nprior_zones: {prior_zones}")
    path = tmp_path / f"{today}-{prior}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def give(cli: Cli, consult_id: str) -> None:
    code, _, err = cli("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err


def plan_json(cli: Cli, path: str, *more: str) -> tuple[int, dict]:
    code, out, err = cli("run", path, "--staff", INJECTOR, "--format", "json", *more)
    assert out, err
    return code, json.loads(out)


# -- 2c: the record wins over the typed last treatment -----------------------------------------------


def test_no_second_touch_up_whatever_last_treatment_is_typed(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    pin_calendar(clinic.monkeypatch, date(2026, 11, 24))
    give(clinic, run_consult(clinic, answers(tmp_path, "2026-09-01"), INJECTOR))  # day 0: 20 U, given

    # day 40, "never" typed: seen planning a full 20 U 40 days after it
    code, plan = plan_json(clinic, answers(tmp_path, "2026-10-11"), "--no-save")
    assert code == 0 and plan["lines"] == []
    assert [(d["zone"], d["not_before"]) for d in plan["deferred"]] == [("glabella", "2026-11-30")]
    [warning] = [w for w in plan["warnings"] if w["code"] == "prior_treatment_record"]
    assert "typed as never" in warning["message"] and "2026-09-01" in warning["message"]

    # day 18: one touch-up, counted from the recorded dose
    code, plan = plan_json(clinic, answers(tmp_path, "2026-09-19", prior="2026-09-01"))
    assert code == 0 and [(line["kind"], line["units"]) for line in plan["lines"]] == [("touch_up", 2)]
    give(clinic, plan["consult_id"])

    # day 38, the touch-up's date typed: seen planning a second 2 U touch-up
    code, plan = plan_json(clinic, answers(tmp_path, "2026-10-09", prior="2026-09-19"))
    assert code == 0 and plan["lines"] == [] and plan["total_units"] == 0
    [deferred] = plan["deferred"]
    assert (deferred["zone"], deferred["not_before"]) == ("glabella", "2026-11-30")
    assert "no second touch-up" in deferred["reason"]
    assert plan["follow_up"]["touch_up_from"] is None, "nothing injected: no touch-up window"

    # a typed date that contradicts the record names both dates
    code, plan = plan_json(clinic, answers(tmp_path, "2026-10-12", prior="2026-06-01"), "--no-save")
    [warning] = [w for w in plan["warnings"] if w["code"] == "prior_treatment_record"]
    assert "2026-06-01" in warning["message"] and "2026-09-19" in warning["message"]
    assert plan["lines"] == []


def test_amending_a_given_consults_answers_does_not_count_its_own_doses(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    pin_calendar(clinic.monkeypatch, date(2026, 11, 24))
    path = answers(tmp_path, "2026-11-24")
    consult_id = run_consult(clinic, path, INJECTOR)
    give(clinic, consult_id)
    changed = Path(path)
    changed.write_text(changed.read_text(encoding="utf-8").replace("age: 38", "age: 39"), encoding="utf-8")
    args = ("amend", consult_id, "--by", INJECTOR, "--reason", "age typed wrong", "--answers", str(changed))
    code, _, err = clinic(*args, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    plan = clinic.json("show", consult_id)["plan"]
    assert plan["total_units"] == 20 and plan["deferred"] == []


# -- 2d: never dated after the real date; a back-entry is marked -----------------------------------


def test_a_consult_dated_after_today_is_refused_with_both_dates(cli: Cli) -> None:
    pin_calendar(cli.monkeypatch, date(2026, 11, 23))
    code, out, err = cli("run", str(FULL_FACE), "--today", "2026-11-24")
    assert code == 2 and out == ""
    assert "--today: the consult date 2026-11-24 is after today (2026-11-23)" in err
    code, _, err = cli("run", str(FULL_FACE))  # the file's today: 2026-11-24
    assert code == 2 and "full_face.yaml:2: today: the consult date 2026-11-24 is after today (2026-11-23)" in err
    assert "Traceback" not in err
    code, out, err = cli("history", "Mina Park")  # a data folder never made is said: no record there
    assert out.startswith("No consults found") or "There is no record at" in err, "nothing was kept"


def test_amending_answers_to_a_future_date_is_refused(cli: Cli, tmp_path: Path) -> None:
    from tests.helpers import DIRECTOR

    pin_calendar(cli.monkeypatch, date(2026, 11, 24))
    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PINS[DIRECTOR],))[0] == 0
    consult_id = run_consult(cli, str(FULL_FACE), DIRECTOR)
    later = answers(tmp_path, "2026-11-25", zones="[glabella, forehead, crows_feet]")
    args = ("amend", consult_id, "--by", DIRECTOR, "--reason", "date", "--answers", later)
    code, _, err = cli(*args, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 2 and "the consult date 2026-11-25 is after today (2026-11-24)" in err
    assert "nothing was amended" in err and cli.json("show", consult_id)["version"] == 1


def test_a_back_entered_consult_is_marked_in_the_record(cli: Cli) -> None:
    pin_calendar(cli.monkeypatch, date(2026, 11, 30))
    code, out, err = cli("run", str(FULL_FACE), "--format", "json")  # dated 2026-11-24, entered 2026-11-30
    assert code == 0, err
    consult_id = json.loads(out)["consult_id"]
    view = cli.json("show", consult_id)
    assert (view["date"], view["entered_on"]) == ("2026-11-24", "2026-11-30")
    code, out, _ = cli("show", consult_id)
    assert "Date 2026-11-24 (BACK-ENTERED on 2026-11-30)" in out
    code, out, _ = cli("print", consult_id, "--what", "summary", "--format", "text")
    assert "BACK-ENTERED: entered on 2026-11-30 for a consult of 2026-11-24" in out
    assert cli("audit", "verify")[0] == 0

    pin_calendar(cli.monkeypatch, date(2026, 11, 24))
    code, out, _ = cli("run", str(FULL_FACE), "--format", "json")
    same_day = json.loads(out)["consult_id"]
    assert cli.json("show", same_day)["entered_on"] is None
    assert "BACK-ENTERED" not in cli("show", same_day)[1]


def test_the_ui_is_not_started_on_a_future_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_calendar(monkeypatch, date(2026, 11, 24))
    assert main(["--today", "2026-11-25", "--data-dir", str(tmp_path)]) == 2
    assert "the consult date 2026-11-25 is after today (2026-11-24)" in capsys.readouterr().err


def test_a_record_kept_before_the_back_entry_mark_hashes_as_it_did(make_record) -> None:  # type: ignore[no-untyped-def]
    from assistant.core.lifecycle.audit import LATER_RECORD_FIELDS, canonical, record_sha, sha256

    record = make_record()
    content = record.model_dump(mode="json")
    for field in LATER_RECORD_FIELDS:  # none of them existed then
        del content[field]
    assert record_sha(record) == sha256(canonical(content)), "audit verify still passes on older records"
    marked = record.model_copy(update={"entered_on": date(2026, 11, 30)})
    assert record_sha(marked) != record_sha(record)


# -- 2e: nothing injected, no touch-up window ----------------------------------------------------


def deferred_only(tmp_path: Path) -> Path:
    """too_soon.yaml with glabella alone, treated 9 days before: every zone asked for is deferred."""
    text = (locations.EXAMPLES_DIR / "too_soon.yaml").read_text(encoding="utf-8").split("\nexpect:")[0]
    path = tmp_path / "deferred.yaml"
    path.write_text(text.replace("[glabella, forehead]", "[glabella]"), encoding="utf-8")
    return path


@pytest.mark.parametrize(("example", "exit_code"), [("contraindicated_pregnant.yaml", 3), ("deferred", 0)])
def test_a_consult_that_injects_nothing_has_no_touch_up_window(
    cli: Cli, tmp_path: Path, example: str, exit_code: int
) -> None:
    path = deferred_only(tmp_path) if example == "deferred" else locations.EXAMPLES_DIR / example
    code, out, err = cli("run", str(path), "--format", "json")
    assert code == exit_code, err
    plan = json.loads(out)
    assert plan["lines"] == []
    follow = plan["follow_up"]
    assert (follow["touch_up_from"], follow["touch_up_to"], follow["next_full_treatment"]) == (None, None, None)
    assert cli.json("due", "--on", "2026-12-12", "--days", "10") == [], "who is due agrees: nobody"
    code, out, _ = cli("print", plan["consult_id"], "--format", "text")
    assert code == 0 and "touch-up window" not in out and "Top-up window" not in out


def test_a_refused_consult_has_no_touch_up_window(cli: Cli, tmp_path: Path) -> None:
    clinic_file = tmp_path / "clinic.toml"
    clinic_file.write_text('name = "Test"\nsession_max_units = 30\n', encoding="utf-8")
    code, out, err = cli("run", str(FULL_FACE), "--clinic", str(clinic_file), "--format", "json")
    assert code == 4, err
    assert json.loads(out)["follow_up"]["touch_up_from"] is None
