"""Issue 15, items 10 and 11: a YAML alias bomb or a deeply nested file is a sentence (exit 2 for
answers and settings, a ``check`` problem for scripts), quickly, never a hang or a RecursionError.

The commands run in a child process with a time limit, so that code which still hangs fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from tests.helpers import copy_sources, owner_only_file, run_limited

FULL_FACE = locations.EXAMPLES_DIR / "full_face.yaml"
SECONDS = 20.0


def alias_bomb(levels: int = 9) -> str:
    """The classic "billion laughs": about 0.7 KB that expands to 9**9 values."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, levels):
        name, previous = names[index], names[index - 1]
        lines.append(f"{name}: &{name} [{','.join(f'*{previous}' for _ in range(9))}]")
    return "\n".join(lines) + "\n"


def deep_yaml(levels: int = 250) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + f"{'  ' * levels}end: 1\n"


def cli(*args: str) -> tuple[int, str, float]:
    started = time.monotonic()
    result = run_limited([sys.executable, "-m", "assistant", *args], SECONDS)
    if result is None:
        pytest.fail(f"botulax-consult {args[0]} was still running after {SECONDS:g} s")
    return result.returncode, result.stderr + result.stdout, time.monotonic() - started


def test_the_bomb_is_small(tmp_path: Path) -> None:
    assert len(alias_bomb().encode()) < 800


@pytest.mark.parametrize("where", ["start", "inside an answer"])
def test_an_answer_file_with_aliases_is_refused_at_once(where: str, tmp_path: Path) -> None:
    answers = FULL_FACE.read_text(encoding="utf-8")
    if where == "start":
        text = alias_bomb() + answers
    else:
        lines = [line for line in answers.splitlines() if not line.startswith("goals:")]
        text = "\n".join(lines).replace("patient_name: Mina Park", "patient_name: &n Mina Park") + "\ngoals: *n\n"
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    code, output, _ = cli("run", str(path), "--no-save")
    assert code == 2, output
    assert "anchors or aliases" in output and "answers.yaml:" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("where", ["script", "knowledge"])
def test_an_alias_bomb_in_a_script_or_knowledge_file_is_a_check_problem(where: str, tmp_path: Path) -> None:
    script, knowledge = copy_sources(tmp_path)
    target = script if where == "script" else knowledge / "zz_bomb.yaml"
    bomb = alias_bomb()
    target.write_text(bomb + (script.read_text(encoding="utf-8") if where == "script" else ""), encoding="utf-8")
    code, output, _ = cli("check", "--script", str(script), "--knowledge", str(knowledge), "--data-dir", str(tmp_path))
    assert code == 1, output
    assert f"{target.name}:1: [yaml-too-big]" in output and "aliases" in output
    code, output, _ = cli("run", str(FULL_FACE), "--no-save", "--script", str(script), "--knowledge", str(knowledge))
    assert code == 2 and "yaml-too-big" in output


def test_a_script_may_still_share_a_list_through_an_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script, knowledge = copy_sources(tmp_path)
    text = script.read_text(encoding="utf-8")
    text = text.replace("\n  sex:\n", "\n  sex: &sexes\n", 1).replace(
        "\n  zones:\n", "\n  genders: *sexes\n  zones:\n", 1
    )
    assert "&sexes" in text and "*sexes" in text
    script.write_text(text, encoding="utf-8")
    assert main(["check", "--script", str(script), "--knowledge", str(knowledge), "--data-dir", str(tmp_path)]) == 0


@pytest.mark.parametrize("what", ["answers", "script", "knowledge"])
def test_yaml_nested_250_levels_is_a_sentence(what: str, tmp_path: Path) -> None:
    script, knowledge = copy_sources(tmp_path)
    deep = deep_yaml()
    if what == "answers":
        path = tmp_path / "answers.yaml"
        path.write_text(deep, encoding="utf-8")
        code, output, _ = cli("run", str(path), "--no-save")
        expected = 2
    else:
        path = script if what == "script" else knowledge / "zz_deep.yaml"
        path.write_text(deep, encoding="utf-8")
        code, output, _ = cli(
            "check", "--script", str(script), "--knowledge", str(knowledge), "--data-dir", str(tmp_path)
        )
        expected = 1
    assert code == expected, output
    assert f"{path.name}:1: [yaml-too-big]" in output and "nested more than" in output
    assert "Traceback" not in output and "RecursionError" not in output


def test_a_deeply_nested_toml_setting_is_a_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clinic = owner_only_file(tmp_path / "clinic.toml", "name = " + "[" * 5000 + "]" * 5000 + "\n")
    assert main(["run", str(FULL_FACE), "--no-save", "--clinic", str(clinic)]) == 2
    err = capsys.readouterr().err
    assert "clinic.toml:1:" in err and "nested too deeply" in err


def test_a_deeply_nested_data_file_is_named_as_damaged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(FULL_FACE), "--data-dir", str(tmp_path), "--format", "json"]) == 0
    consult_id = json.loads(capsys.readouterr().out)["consult_id"]
    record = next((tmp_path / "consults").rglob(f"{consult_id}.json"))
    planted = '{"consult": {"1": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}}"
    record.write_text(planted, encoding="utf-8")
    assert main(["print", consult_id, "--format", "text", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(record) in err and "nested too deeply" in err
    assert record.read_text(encoding="utf-8") == planted, "left as it is"
