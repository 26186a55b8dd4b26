"""Rehearsal suites: the shipped examples pass, and a failing example says exactly what differs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.locations import EXAMPLES_DIR


def test_every_shipped_example_rehearses_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rehearse"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "skipped" not in out
    assert f"{len(list(EXAMPLES_DIR.glob('*.yaml')))} passed, 0 failed" in out


def test_the_shipped_examples_cover_every_zone_band_and_safety_rule() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in EXAMPLES_DIR.glob("*.yaml"))
    for zone in ("glabella", "forehead", "crows_feet", "bunny_lines", "gummy_smile", "marionette", "chin", "masseter"):
        assert f"    {zone}:" in text, f"no rehearsal expects a dose for {zone}"
    for needle in (
        "touch_up_early",
        "kind: touch_up",
        "deferred: [glabella]",
        "status: contraindicated",
        "[cap",
        "asymmetry]",
    ):
        assert needle in text


def _copy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "suite"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(EXAMPLES_DIR / name, folder / name))


def test_a_failing_example_shows_each_difference_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = _copy(tmp_path, "full_face.yaml")
    text = example.read_text(encoding="utf-8")
    text = text.replace("center: {units: 20, points: 5, kind: full}", "center: {units: 18, points: 5, kind: full}")
    text = text.replace("  no_warnings: [cap, asymmetry, caution]", "  warnings: [cap]")
    example.write_text(text, encoding="utf-8")
    _copy(tmp_path, "cap_glabella.yaml")
    assert main(["rehearse", str(example.parent)]) == 1
    out = capsys.readouterr().out
    assert "cap_glabella.yaml" in out and "full_face.yaml" in out
    assert "- glabella/center units: expected 18, got 20" in out
    assert "- warning 'cap': expected, missing (got: none)" in out
    assert "1 passed, 1 failed" in out


def test_a_wrong_status_names_the_first_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = _copy(tmp_path, "contraindicated_allergy.yaml")
    example.write_text(example.read_text(encoding="utf-8").replace("status: contraindicated", "status: planned"))
    assert main(["rehearse", str(example.parent)]) == 1
    assert "- status: expected planned, got contraindicated" in capsys.readouterr().out


def test_a_typo_in_expect_is_reported_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = _copy(tmp_path, "cap_glabella.yaml")
    lines = example.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("  warnings:"))
    lines[number] = lines[number].replace("warnings:", "warnigns:")
    example.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["rehearse", str(example.parent)]) == 1
    out = capsys.readouterr().out
    assert f"cap_glabella.yaml:{number + 1}: [unknown-key] unknown key 'warnigns'" in out
    assert "Did you mean 'warnings'?" in out


def test_rehearse_an_empty_or_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rehearse", str(tmp_path / "nowhere")]) == 2
    assert main(["rehearse", str(tmp_path)]) == 2
    assert "no answer files" in capsys.readouterr().err
