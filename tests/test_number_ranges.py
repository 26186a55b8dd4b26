"""Issue 15, items 13, 14 and 17: every figure is validated to a sane range at load, with its file and
line; doses are positive and ordered; a zone that cannot be planned is said, never dropped."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.core.answers import AnswerError, coerce
from assistant.core.script import DecimalQuestion, Script
from tests.helpers import copy_sources, edit, owner_only_file

FULL_FACE = locations.EXAMPLES_DIR / "full_face.yaml"
TODAY = date(2026, 11, 24)


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    return copy_sources(tmp_path)


def check_output(sources: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    script, knowledge = sources
    code = main(["check", "--script", str(script), "--knowledge", str(knowledge), "--data-dir", str(tmp_path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


# --- 13. numbers at the edges --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("        unit: U\n", "        max: .inf\n        unit: U\n"),  # the asymmetry's extra units
        ("        unit: U\n", "        max: .nan\n        unit: U\n"),
        ("        unit: U\n", "        max: 1e300\n        unit: U\n"),
        ("        unit: U\n", "        step: 1e-30\n        unit: U\n"),
        ("    min_days_from_today: -7300\n", "    min_days_from_today: -99999999\n"),
        ("    max_days_from_today: 0\n", "    max_days_from_today: 5000000\n"),
        ("    max: 100\n", "    max: 10000000000000\n"),
    ],
)
def test_a_script_figure_out_of_range_is_a_check_problem_at_its_line(
    old: str, new: str, sources: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(sources[0], old, new)
    code, out = check_output(sources, tmp_path, capsys)
    assert code == 1
    assert f"consult.yaml:{line}: [bad-value]" in out, out


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("zones.yaml", "      value: 20\n", "      value: .inf\n"),
        ("zones.yaml", "      value: 20\n", "      value: 1e300\n"),
        ("zones.yaml", "      value: 25\n", "      value: .nan\n"),
        ("modifiers.yaml", "factor: 1.04", "factor: 1e300"),
        ("timing.yaml", "review_after_days: 14", "review_after_days: 99999999"),
        ("product.yaml", "saline_ml: ", "saline_ml: 1e300 #"),
    ],
)
def test_a_knowledge_figure_out_of_range_is_a_check_problem_at_its_line(
    file: str, old: str, new: str, sources: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = edit(sources[1] / file, old, new)
    code, out = check_output(sources, tmp_path, capsys)
    assert code == 1
    assert f"{file}:{line}: [bad-value]" in out, out


@pytest.mark.parametrize(
    "setting",
    ["price_per_unit = inf", "price_per_unit = 1e300", "saline_ml = nan", "vial_units = 1e300", "saline_ml = true"],
)
def test_a_clinic_figure_out_of_range_is_refused_at_its_line(
    setting: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clinic = owner_only_file(tmp_path / "clinic.toml", f'name = "Ours"\ncurrency = "EUR"\n{setting}\n')
    assert main(["run", str(FULL_FACE), "--no-save", "--format", "json", "--clinic", str(clinic)]) == 2
    captured = capsys.readouterr()
    assert f"clinic.toml:3: [bad-value] {setting.split()[0]}:" in captured.err
    assert "Infinity" not in captured.out and "Traceback" not in captured.err


def test_a_priced_consult_is_valid_json_and_printable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clinic = owner_only_file(tmp_path / "clinic.toml", "price_per_unit = 999999\n")
    data = tmp_path / "data"
    assert main(["run", str(FULL_FACE), "--format", "json", "--clinic", str(clinic), "--data-dir", str(data)]) == 0
    plan = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    args = ["print", plan["consult_id"], "--format", "text", "--clinic", str(clinic), "--data-dir", str(data)]
    assert main(args) == 0


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_a_consult_date_past_the_calendar_is_a_sentence(
    today: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(FULL_FACE), "--no-save", "--today", today])
    assert exit_.value.code == 2
    assert "outside the dates this program works with" in capsys.readouterr().err
    answers = tmp_path / "answers.yaml"
    text = re.sub(r"^today:.*$", f"today: {today}", FULL_FACE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    answers.write_text(text, encoding="utf-8")
    assert main(["run", str(answers), "--no-save"]) == 2
    err = capsys.readouterr().err
    assert "answers.yaml:" in err and "outside the dates" in err and "Traceback" not in err


@pytest.mark.parametrize("prior", ["0001-01-01", "9999-12-31"])
def test_a_date_answer_past_the_calendar_is_refused(
    prior: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    text = re.sub(
        r"^prior_treatment_date:.*$",
        f"prior_treatment_date: {prior}",
        FULL_FACE.read_text(encoding="utf-8"),
        flags=re.M,
    )
    answers.write_text(text, encoding="utf-8")
    assert main(["run", str(answers), "--no-save"]) == 2
    assert "prior_treatment_date" in capsys.readouterr().err


@pytest.mark.parametrize("typed", ["1e300", "-1e300", "1e99999", "123456789012345678901234567890"])
def test_a_huge_decimal_answer_is_refused_not_a_crash(typed: str, script: Script) -> None:
    question = DecimalQuestion(id="volume", prompt="?", type="decimal", step=0.5)
    with pytest.raises(AnswerError, match="too large"):
        coerce(script, question, typed, TODAY)


# --- 14. doses positive and ordered; a zone that cannot be planned is said -----------------------------------


@pytest.mark.parametrize(
    "edits",
    [
        {"      min: 15\n": "      min: 0\n", "      value: 20\n": "      value: 0\n"},  # a zero dose
        {"      min: 15\n": "      min: -10\n", "      value: 20\n": "      value: -5\n"},  # a negative one
        {"      min: 15\n": "      min: -1\n"},
        {"      value: 20\n": "      value: 0\n"},
        {"      value: 25\n": "      value: 18\n"},  # caution below the default
    ],
    ids=["zero", "negative", "negative minimum", "below the minimum", "caution below default"],
)
def test_a_zero_negative_or_disordered_dose_is_a_check_problem(
    edits: dict[str, str], sources: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for old, new in edits.items():
        edit(sources[1] / "zones.yaml", old, new)
    code, out = check_output(sources, tmp_path, capsys)
    assert code == 1
    assert "zones.yaml:" in out and "[bad-value]" in out, out


def test_a_zone_whose_dose_rounds_to_nothing_is_said_never_silently_dropped(
    sources: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    script, knowledge = sources
    edit(knowledge / "modifiers.yaml", "factor: 1.04", "factor: 0.001")  # age >= 50: every full dose rounds to 0 U
    older = knowledge.parent / "older.yaml"
    older.write_text(
        re.sub(r"^age:.*$", "age: 55", FULL_FACE.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8"
    )
    args = ["run", str(older), "--no-save", "--format", "json", "--script", str(script), "--knowledge", str(knowledge)]
    code = main(args)
    captured = capsys.readouterr()
    asked = {"glabella", "forehead", "crows_feet"}  # the zones of full_face.yaml
    if code == 0:  # planned: every zone asked for has its lines or a warning that names it
        plan = json.loads(captured.out)
        planned = {line["zone"] for line in plan["lines"]}
        warned = {w["zone"] for w in plan["warnings"] if w["severity"] == "danger"}
        assert asked <= planned | warned
    else:  # or nothing is planned, and the zone is named
        assert code == 2 and "Glabella" in captured.err and "nothing was planned" in captured.err


# --- 17. the smaller ones -----------------------------------------------------------------------------------


@pytest.mark.parametrize("currency", ["XYZ", "usd", "US$", "ABC"])
def test_a_currency_that_is_not_iso_4217_is_refused(
    currency: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clinic = owner_only_file(tmp_path / "clinic.toml", f'currency = "{currency}"\n')
    assert main(["run", str(FULL_FACE), "--no-save", "--clinic", str(clinic)]) == 2
    assert "clinic.toml:1: [bad-value] currency:" in capsys.readouterr().err


@pytest.mark.parametrize("currency", ["USD", "KRW", "EUR", "JPY"])
def test_real_currencies_are_taken(currency: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clinic = owner_only_file(tmp_path / "clinic.toml", f'currency = "{currency}"\nprice_per_unit = 10\n')
    assert main(["run", str(FULL_FACE), "--no-save", "--format", "json", "--clinic", str(clinic)]) == 0
    assert json.loads(capsys.readouterr().out)["currency"] == currency


@pytest.mark.parametrize("value", ["0", "-10"])
def test_a_session_maximum_of_zero_or_below_is_a_check_problem(
    value: str, sources: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(sources[1] / "safety.yaml", "    value: 400\n", f"    value: {value}\n")
    code, out = check_output(sources, tmp_path, capsys)
    assert code == 1 and "safety.yaml:" in out and "session_max_units" in out, out


def test_a_touch_up_window_that_ends_before_it_starts_is_a_check_problem(
    sources: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(sources[1] / "timing.yaml", "touch_up_to_day: 21", "touch_up_to_day: 10")
    code, out = check_output(sources, tmp_path, capsys)
    assert code == 1 and "timing.yaml:" in out and "ends (day 10) before it starts (day 18)" in out, out


def test_a_record_error_says_its_prefix_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(FULL_FACE), "--data-dir", str(tmp_path), "--format", "json"]) == 0
    consult_id = json.loads(capsys.readouterr().out)["consult_id"]
    record = next((tmp_path / "consults").rglob(f"{consult_id}.json"))
    record.unlink()
    record.mkdir()  # unreadable as a file: every read of it fails with an operating-system error
    assert main(["history", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("cannot be used") == 1, err
