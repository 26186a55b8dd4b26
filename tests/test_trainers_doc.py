"""docs/trainers.md works as written: its file snippets, applied to copies of the shipped files,
give a script and knowledge base that `check` passes and that `rehearse` plans as documented."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.services.lint import lint

DOC = locations.PACKAGE_DIR.parent / "docs" / "trainers.md"
BLOCK = re.compile(
    r"```yaml file=(?P<file>\S+) (?P<how>append|create|after=\"(?P<after>[^\"]+)\")\n(?P<body>.*?)```", re.S
)


def apply_doc(root: Path) -> list[str]:
    """Apply every file snippet of the guide under ``root``; returns the files touched."""
    touched = []
    for block in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        path = root / block["file"]
        body = block["body"]
        if block["how"] == "create":
            path.write_text(body, encoding="utf-8")
        elif block["how"] == "append":
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body, encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
            assert block["after"] in text, f"the guide says to insert after a line {path.name} does not have"
            path.write_text(text.replace(block["after"] + "\n", block["after"] + "\n" + body, 1), encoding="utf-8")
        touched.append(block["file"])
    return touched


@pytest.fixture
def trainer_copy(tmp_path: Path) -> Path:
    shutil.copytree(locations.PROMPTS_DIR, tmp_path / "prompts")
    shutil.copytree(locations.KNOWLEDGE_DIR, tmp_path / "knowledge")
    return tmp_path


def test_following_the_guide_adds_a_question_and_a_zone_without_python(
    trainer_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    touched = apply_doc(trainer_copy)
    assert {"knowledge/zones.yaml", "knowledge/sources.yaml", "prompts/consult.yaml"} <= set(touched)
    script, knowledge = trainer_copy / "prompts" / "consult.yaml", trainer_copy / "knowledge"
    for path in (script, knowledge / "sources.yaml"):  # "Raise both versions", as the guide says
        text = path.read_text(encoding="utf-8")
        raised = re.sub(r'(?m)^version: "?([^"\n]+?)"?$', r'version: "\1.1"', text, count=1)
        path.write_text(raised, encoding="utf-8")
    assert lint(script, knowledge, trainer_copy / "data") == []
    code = main(
        ["rehearse", str(trainer_copy / "prompts" / "examples"), "--script", str(script), "--knowledge", str(knowledge)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "lip_flip.yaml" in out and "FAIL" not in out
    assert main(["ask", "lip flip", "--knowledge", str(knowledge)]) == 0
    assert "Lip flip (orbicularis oris)" in capsys.readouterr().out
