"""The command line: exit codes, the JSON contract, messages on stderr, and every shipped example."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assistant import locations
from assistant.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = locations.EXAMPLES_DIR

Json = dict[str, Any]


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages name files relative to the working folder; tmp files then keep their full path."""
    monkeypatch.chdir(REPO)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, Json]:
    code, out, err = run(capsys, "run", str(path), "--format", "json", *args)
    assert out, err
    return code, json.loads(out)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    [number] = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(needle)]
    return number


# --- run: plans ----------------------------------------------------------------------------------


def test_run_prints_a_readable_dose_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "run", str(EXAMPLES / "full_face.yaml"))
    assert code == 0
    assert out.startswith("DOSE SUMMARY")
    assert "Mina Park" in out
    assert "PLANNED" in out
    assert "Glabella (frown lines)" in out
    assert "52 U" in out, "the total"
    assert "2026-12-08" in out, "the review date"
    assert err.startswith("Saved as consult "), "the only line on stderr says where the consult was kept"


def test_run_json_has_the_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, plan = run_json(capsys, EXAMPLES / "asymmetry_masseter.yaml")
    assert code == 0
    assert {
        "status",
        "reasons",
        "today",
        "lines",
        "deferred",
        "total_units",
        "vials",
        "cost",
        "warnings",
        "follow_up",
        "modifiers",
    } <= set(plan)
    assert plan["status"] == "planned"
    assert plan["today"] == "2026-11-24"
    assert plan["cost"] is None
    for line in plan["lines"]:
        assert {
            "zone",
            "side",
            "kind",
            "points",
            "units_per_point",
            "units",
            "ml_per_point",
            "syringe_marks",
            "off_label",
            "sources",
        } <= set(line)
        assert line["syringe_marks"] == round(line["ml_per_point"] * 100, 3), "U-100: 100 marks to the mL"
    for warning in plan["warnings"]:
        assert {"code", "message"} <= set(warning)
    assert plan["follow_up"] == {
        "review_date": "2026-12-08",
        "touch_up_from": "2026-12-12",
        "touch_up_to": "2026-12-15",
        "next_full_treatment": None,
    }
    assert plan["syringe"]["id"] == "u100_0_3ml_half"
    assert plan["syringe"]["units_per_step"] == 0.2
    assert plan["total_units"] == 53
    assert plan["vials"] == 1


def test_run_json_modifiers_deferred_and_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    _, plan = run_json(capsys, EXAMPLES / "too_soon.yaml")
    [deferred] = plan["deferred"]
    assert deferred == deferred | {"zone": "glabella", "not_before": "2026-12-03"}
    assert deferred["reason"]
    [modifier] = plan["modifiers"]
    assert {"name", "factor", "reason"} <= set(modifier)
    assert (modifier["name"], modifier["factor"]) == ("sex", 1.1)
    code, contraindicated = run_json(capsys, EXAMPLES / "contraindicated_allergy.yaml")
    assert code == 3
    [reason] = contraindicated["reasons"]
    assert {"code", "message", "source"} <= set(reason)
    assert (reason["code"], reason["source"]) == ("toxin_allergy", "letybo-pi")
    assert contraindicated["lines"] == []


def test_today_flag_overrides_the_files_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, plan = run_json(capsys, EXAMPLES / "returning_touch_up.yaml", "--today", "2026-11-28")
    assert code == 0
    assert plan["today"] == "2026-11-28"
    assert plan["lines"] == []
    assert {d["zone"] for d in plan["deferred"]} == {"glabella", "crows_feet"}, "day 23: wait for day 90"


def test_cost_and_dilution_from_the_clinic_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    clinic = write(
        tmp_path / "clinic.toml",
        'name = "Seoul Skin"\nprice_per_unit = 10\ncurrency = "KRW"\nsaline_ml = 1.25\nvial_units = 50\n',
    )
    code, plan = run_json(capsys, EXAMPLES / "full_face.yaml", "--clinic", str(clinic))
    assert code == 0
    assert plan["cost"] == 520
    assert plan["vials"] == 2
    code, out, _ = run(capsys, "run", str(EXAMPLES / "full_face.yaml"), "--clinic", str(clinic))
    assert "Seoul Skin" in out
    assert "cost: ₩520\n" in out, "one money format: Babel's for the currency (the won has no minor unit)"


# --- run: exit codes other than 0 ----------------------------------------------------------------


INVALID = """\
today: 2026-11-24
patient_name: Test Patient
sex: female
pregnant_or_breastfeeding: no
neuromuscular_disorder: maybe
infection_at_site: no
toxin_allergy: no
aminoglycosides: no
zones: [glabella, nose]
age: 17
prior_treatment_date: 2027-01-01
agee: 40
"""


def test_invalid_answers_list_every_problem_with_file_line_and_question(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "invalid.yaml", INVALID)
    code, out, err = run(capsys, "run", str(path))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    for question in ("neuromuscular_disorder", "zones", "age", "prior_treatment_date", "agee"):
        expected = f"{path}:{line_of(INVALID, question + ':')}: {question}: "
        assert any(line.startswith(expected) for line in err.splitlines()), (expected, err)
    assert "Did you mean 'age'?" in err
    assert "5 problems" in err


@pytest.mark.parametrize("example", ["asymmetry_masseter.yaml", "asymmetry_at_cap.yaml"])
def test_an_impossible_asymmetry_names_extra_units(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: str
) -> None:
    """Named at its line, in the list of entries and in a file written with the older single questions."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    text = text.replace("zones: [masseter]", "zones: [gummy_smile]").replace("zone: masseter", "zone: gummy_smile")
    path = write(tmp_path / "impossible.yaml", text)
    code, _, err = run(capsys, "run", str(path))
    assert code == 2
    where = "extra_units:" if example == "asymmetry_at_cap.yaml" else "  - {zone: gummy_smile"
    assert f"{path}:{line_of(text, where)}: asymmetries.0.extra_units: " in err, err
    assert "typical minimum" in err
    assert "Traceback" not in err


def test_a_bad_today_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["run", str(EXAMPLES / "full_face.yaml"), "--today", "2026-13-01"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("today", ["someday", "2026-02-30", "24.11.2026"])
def test_a_bad_today_in_the_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, today: str) -> None:
    text = (EXAMPLES / "full_face.yaml").read_text(encoding="utf-8").replace("today: 2026-11-24", f"today: {today}")
    path = write(tmp_path / "bad_today.yaml", text)
    code, out, err = run(capsys, "run", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith(f"{path}:{line_of(text, 'today:')}: ")
    assert "Traceback" not in err


def test_a_pinned_today_with_a_time_of_day_is_that_day(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (EXAMPLES / "too_soon.yaml").read_text(encoding="utf-8")
    path = write(tmp_path / "with_time.yaml", text.replace("today: 2026-11-24", "today: 2026-11-24 10:30:00"))
    code, plan = run_json(capsys, path)
    assert code == 0
    assert plan["today"] == "2026-11-24"
    assert [d["not_before"] for d in plan["deferred"]] == ["2026-12-03"]


def test_a_key_that_is_not_text_is_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (EXAMPLES / "full_face.yaml").read_text(encoding="utf-8") + "1: oops\n"
    path = write(tmp_path / "number_key.yaml", text)
    code, _, err = run(capsys, "run", str(path))
    assert code == 2
    assert f"{path}:{line_of(text, '1: oops')}: 1: '1' is not a question" in err
    assert "Traceback" not in err


def test_a_missing_answer_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "run", str(tmp_path / "nowhere.yaml"))
    assert code == 2
    assert "[missing-file]" in err
    assert "does not exist" in err


def test_an_answer_file_with_a_yaml_error_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "broken.yaml", "patient_name: A\nzones: [glabella\nage: 40\n")
    code, _, err = run(capsys, "run", str(path))
    assert code == 2
    assert "[yaml-syntax]" in err


def test_contraindicated_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", str(EXAMPLES / "contraindicated_pregnant.yaml"))
    assert code == 3
    assert "CONTRAINDICATED" in out
    assert "pregnancy or breastfeeding" in out
    assert "letybo-eu" in out


def test_refused_above_the_clinics_session_maximum_exits_4(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    clinic = write(tmp_path / "clinic.toml", "session_max_units = 40\n")
    code, plan = run_json(capsys, EXAMPLES / "full_face.yaml", "--clinic", str(clinic))
    assert code == 4
    assert plan["status"] == "refused"
    assert plan["lines"] == []
    assert [r["code"] for r in plan["reasons"]] == ["session_max"]
    code, out, _ = run(capsys, "run", str(EXAMPLES / "full_face.yaml"), "--clinic", str(clinic))
    assert code == 4
    assert "REFUSED" in out


def test_a_broken_clinic_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    clinic = write(tmp_path / "clinic.toml", "session_max_unit = 40\n")
    code, out, err = run(capsys, "run", str(EXAMPLES / "full_face.yaml"), "--clinic", str(clinic))
    assert code == 2
    assert out == ""
    assert f"{clinic}:1: [bad-value]" in err
    assert "session_max_unit" in err


# --- check ---------------------------------------------------------------------------------------


def test_check_passes_on_the_shipped_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check")
    assert code == 0
    assert out == ""
    assert "No problems found." in err


def test_check_reports_a_broken_script_by_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = locations.SCRIPT_FILE.read_text(encoding="utf-8").replace(
        "    show_if: sex == 'female'", "    show_if: sex == 'femal'"
    )
    script = write(tmp_path / "consult.yaml", text)
    code, out, err = run(capsys, "check", "--script", str(script))
    assert code == 1
    assert out.splitlines() == [
        f"{script}:{line_of(text, '    show_if: sex')}: [unknown-code] question 'pregnant_or_breastfeeding': "
        "'femal' is not a code of 'sex' (female, male). Did you mean 'female'?"
    ]
    assert "1 error," in err


def test_run_refuses_to_plan_with_a_broken_script(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = locations.SCRIPT_FILE.read_text(encoding="utf-8").replace("  - id: age\n", "  - id: patient_name\n")
    script = write(tmp_path / "consult.yaml", text)
    code, out, err = run(capsys, "run", str(EXAMPLES / "full_face.yaml"), "--script", str(script))
    assert code == 2
    assert out == ""
    assert "[duplicate-id]" in err


# --- every shipped example -----------------------------------------------------------------------


def _warning_codes(plan: Json) -> set[str]:
    return {w["code"] for w in plan["warnings"]}


def _units(plan: Json, zone: str, side: str) -> float:
    lines = [line for line in plan["lines"] if line["zone"] == zone and line["side"] == side]
    return float(sum(Decimal(str(line["units"])) for line in lines))


def _kinds(plan: Json) -> set[str]:
    return {line["kind"] for line in plan["lines"]}


EXPECTED: dict[str, tuple[int, Callable[[Json], bool]]] = {
    "full_face.yaml": (0, lambda p: p["total_units"] == 52 and not p["warnings"]),
    "returning_touch_up.yaml": (
        0,
        lambda p: _kinds(p) == {"touch_up"} and len(p["lines"]) == 3 and "touch_up_early" not in _warning_codes(p),
    ),
    "early_touch_up.yaml": (0, lambda p: _kinds(p) == {"touch_up"} and "touch_up_early" in _warning_codes(p)),
    "too_soon.yaml": (
        0,
        lambda p: (
            [(d["zone"], d["not_before"]) for d in p["deferred"]] == [("glabella", "2026-12-03")]
            and {line["zone"] for line in p["lines"]} == {"forehead"}
        ),
    ),
    "retreat_wait.yaml": (
        0,
        lambda p: (
            p["lines"] == [] and [(d["zone"], d["not_before"]) for d in p["deferred"]] == [("glabella", "2027-01-13")]
        ),
    ),
    "retreat_due.yaml": (0, lambda p: _kinds(p) == {"full"} and p["deferred"] == [] and p["total_units"] == 40),
    "contraindicated_pregnant.yaml": (
        3,
        lambda p: [r["code"] for r in p["reasons"]] == ["pregnant_or_breastfeeding"] and p["lines"] == [],
    ),
    "contraindicated_allergy.yaml": (3, lambda p: [r["code"] for r in p["reasons"]] == ["toxin_allergy"]),
    "caution_aminoglycosides.yaml": (0, lambda p: _warning_codes(p) == {"caution"} and p["lines"] != []),
    "older_thick_skin.yaml": (
        0,
        lambda p: "caution" in _warning_codes(p) and {m["name"] for m in p["modifiers"]} == {"age", "skin_thickness"},
    ),
    "cap_glabella.yaml": (
        0,
        lambda p: (
            _units(p, "glabella", "center") == 25
            and [w["zone"] for w in p["warnings"] if w["code"] == "cap"] == ["glabella"]
        ),
    ),
    "asymmetry_masseter.yaml": (
        0,
        lambda p: (
            (_units(p, "masseter", "left"), _units(p, "masseter", "right")) == (28, 25)
            and "asymmetry" in _warning_codes(p)
        ),
    ),
    "asymmetry_small.yaml": (
        0,
        lambda p: (
            (_units(p, "crows_feet", "left"), _units(p, "crows_feet", "right")) == (10, 11)
            and "asymmetry" not in _warning_codes(p)
        ),
    ),
    "asymmetry_at_cap.yaml": (
        0,
        lambda p: (
            (_units(p, "masseter", "left"), _units(p, "masseter", "right")) == (30, 27)
            and {"cap", "asymmetry"} <= _warning_codes(p)
        ),
    ),
    "all_zones.yaml": (0, lambda p: len({line["zone"] for line in p["lines"]}) == 8 and p["vials"] == 2),
    "subtle.yaml": (0, lambda p: [m["name"] for m in p["modifiers"]] == ["effect"] and p["total_units"] < 52),
    "asymmetry_forehead.yaml": (
        0,
        lambda p: (
            (_units(p, "forehead", "left"), _units(p, "forehead", "right")) == (6, 8)
            and _units(p, "forehead", "center") == 0
        ),
    ),
    "asymmetry_several.yaml": (
        0,
        lambda p: (
            (_units(p, "crows_feet", "left"), _units(p, "crows_feet", "right")) == (10, 12)
            and (_units(p, "masseter", "left"), _units(p, "masseter", "right")) == (26, 25)
        ),
    ),
    "forehead_without_glabella.yaml": (0, lambda p: _warning_codes(p) == {"forehead_without_glabella"}),
}

INVALID_EXAMPLES = {
    "weaker_side_cap.yaml": "capping the stronger side at the caution threshold of 4 U",
    "weaker_side_modifiers.yaml": "modifiers: skin_thickness, muscle_strength, effect",
}
"""Examples refused for an entry's extra_units (exit 2), with the cause the message names."""


def test_every_example_has_an_expectation() -> None:
    assert sorted(path.name for path in EXAMPLES.glob("*.yaml")) == sorted([*EXPECTED, *INVALID_EXAMPLES])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_with_its_exit_code(capsys: pytest.CaptureFixture[str], name: str) -> None:
    expected_code, _ = EXPECTED[name]
    code, out, err = run(capsys, "run", str(EXAMPLES / name))
    assert code == expected_code, err
    assert out.startswith("DOSE SUMMARY")
    assert "Traceback" not in err


@pytest.mark.parametrize("name", sorted(INVALID_EXAMPLES))
def test_the_weaker_side_examples_are_refused_naming_the_entry(capsys: pytest.CaptureFixture[str], name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    code, out, err = run(capsys, "run", str(EXAMPLES / name))
    assert (code, out) == (2, "")
    assert f":{line_of(text, '  - {zone: marionette')}: asymmetries.0.extra_units: " in err
    assert "below the typical minimum of 2 U per side" in err
    assert INVALID_EXAMPLES[name] in err


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_shows_what_it_says(capsys: pytest.CaptureFixture[str], name: str) -> None:
    expected_code, shows = EXPECTED[name]
    code, plan = run_json(capsys, EXAMPLES / name)
    assert code == expected_code
    assert plan["today"] == "2026-11-24"
    assert shows(plan), json.dumps(plan, indent=1)


@pytest.mark.parametrize("name", sorted([*EXPECTED, *INVALID_EXAMPLES]))
def test_example_file_is_clean(name: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# "), "starts with a comment saying what it shows"
    assert "today: 2026-11-24" in lines
    assert sum(line.startswith("expect:") for line in lines) == 1, "one rehearsal section (botulax-consult rehearse)"


# --- as a real process ---------------------------------------------------------------------------


def _process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=REPO,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_python_dash_m_assistant_runs_an_example() -> None:
    done = _process("run", "prompts/examples/cap_glabella.yaml", "--format", "json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["status"] == "planned"
    assert "cap" in _warning_codes(plan)


def test_python_dash_m_assistant_reports_invalid_answers_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path / "invalid.yaml", INVALID)
    done = _process("run", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert f"{path}:{line_of(INVALID, 'age:')}: age: 17 years is below the lowest allowed, 18 years." in done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--trainer"],
        ["--today", "2026-11-24", "--script", "x.yaml", "--knowledge", "k", "--clinic", "c.toml"],
        ["--data-dir", "/tmp/d", "--tod", "2026-01-02"],  # abbreviations read the same
        ["--script", "check"],  # a file named like a command
    ],
)
def test_starting_the_ui_reads_its_options_as_the_full_parser_does(argv: list[str]) -> None:
    from assistant.cli import build_parser, parse_arguments

    assert parse_arguments(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--today", "2026-13-01"], "is not a date"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["rnu"], "invalid choice: 'rnu'"),
        (["--today"], "expected one argument"),
    ],
)
def test_ui_option_mistakes_get_the_full_parsers_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "COMMAND" in err  # the usage line lists the commands


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from assistant.cli import COMMANDS, build_parser

    (commands,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(commands.choices) == COMMANDS  # the UI's fast path knows every command word
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in COMMANDS)
