"""The question script as a workbook (issue 24): exported, read back and imported, it plans every
example exactly as the shipped YAML does; ``--script FILE.xlsx`` works wherever a script is read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.files.loaders import load_answers, load_script
from assistant.files.resources import load_resources
from assistant.locations import EXAMPLES_DIR, SCRIPT_FILE
from assistant.services.headless import consult_date, run_answer_file
from assistant.services.rehearsal import rehearse


def _export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    workbook = tmp_path / "consult.xlsx"
    assert main(["script", "export", "--xlsx", str(workbook)]) == 0
    assert "Wrote" in capsys.readouterr().err
    return workbook


def _plans(script: Path) -> dict[str, object]:
    """Every example's outcome under ``script``: the plan (or the problems) as plain data."""
    loaded = load_resources(script, use_cache=False)
    assert loaded.value is not None, loaded.problems
    outcomes: dict[str, object] = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        answer_file = load_answers(path).value
        assert answer_file is not None
        today = consult_date(answer_file, None, date(2026, 12, 1))
        assert isinstance(today, date)
        outcome = run_answer_file(loaded.value, answer_file, today)
        outcomes[path.name] = (
            outcome.plan.model_dump(mode="json") if outcome.plan is not None else None,
            outcome.problem_ids,
            outcome.consult.answers if outcome.consult is not None else None,
        )
    return outcomes


def test_export_then_import_gives_the_same_script_and_the_same_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = _export(tmp_path, capsys)
    shipped = load_script(SCRIPT_FILE).value
    read = load_script(workbook)
    assert read.problems == [] and read.value is not None and shipped is not None
    assert read.value.script == shipped.script

    yaml_file = tmp_path / "back.yaml"
    assert main(["script", "import", str(workbook), "--output", str(yaml_file)]) == 0
    imported = load_script(yaml_file)
    assert imported.problems == [] and imported.value is not None
    assert imported.value.script == shipped.script

    before = _plans(SCRIPT_FILE)
    assert any(plan is not None for plan, _, _ in before.values())  # type: ignore[misc]
    assert _plans(workbook) == before
    assert _plans(yaml_file) == before


def test_rehearse_and_check_read_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = _export(tmp_path, capsys)
    loaded = load_resources(workbook, use_cache=False)
    assert loaded.value is not None
    results = rehearse(loaded.value, EXAMPLES_DIR, date(2026, 12, 1))
    assert results and all(r.passed for r in results)
    assert main(["rehearse", "--script", str(workbook)]) == 0
    assert f"{len(results)} passed, 0 failed" in capsys.readouterr().out
    assert main(["check", "--script", str(workbook), "--data-dir", str(tmp_path / "data")]) == 0
    assert "No problems found." in capsys.readouterr().err


def test_run_reads_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = _export(tmp_path, capsys)
    code = main(
        ["run", str(EXAMPLES_DIR / "full_face.yaml"), "--script", str(workbook), "--data-dir", str(tmp_path / "d")]
    )
    assert code == 0, capsys.readouterr()


def test_import_of_something_that_is_not_a_workbook_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "consult.xlsx"
    fake.write_text("id: not a workbook\n", encoding="utf-8")
    assert main(["script", "import", str(fake)]) == 2
    err = capsys.readouterr().err
    assert "is not an .xlsx workbook" in err and "nothing written" in err
    assert main(["script", "export", "--xlsx", str(tmp_path / "consult.yaml")]) == 2
    assert "a workbook's name ends in .xlsx" in capsys.readouterr().err
