"""``check`` compiles the trainers' templates and ``rehearse`` renders each example's documents, so a
broken template is named before a patient's printout meets it (a tryout broke the patient sheet four
ways: ``check`` said "No problems found" and ``rehearse`` passed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trainer's copy of prompts/templates/, used in place of the shipped one."""
    folder = tmp_path / "templates"
    shutil.copytree(locations.TEMPLATES_DIR, folder)
    monkeypatch.setattr(locations, "TEMPLATES_DIR", folder)
    return folder


def _break(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` once; the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("{{ patient.name }}", "{{ patient.name }", "unexpected '}'"),
        ("{{ patient.name }}", "{{ patient.name|shout }}", "No filter named 'shout'"),
        ("{% if ", "{% if true %}{% if ", "Unexpected end of template"),
    ],
)
def test_check_names_a_template_that_does_not_compile_with_its_line(
    templates: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, words: str
) -> None:
    line = _break(templates / "patient_explanation.txt.j2", old, new)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    [said] = [row for row in out.splitlines() if "[template-syntax]" in row]
    assert "patient_explanation.txt.j2:" in said and words in said, said
    if "end of template" not in words:
        assert f"patient_explanation.txt.j2:{line}:" in said


def test_rehearse_names_a_misspelt_field_in_the_korean_sheet_for_every_example(
    templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _break(templates / "patient_explanation.ko.txt.j2", "{{ patient.name }}", "{{ patient.nmae }}")
    assert main(["check"]) == 0, "it compiles: only rendering meets the misspelt field"
    capsys.readouterr()
    assert main(["rehearse"]) == 1
    out = capsys.readouterr().out
    assert f"documents: patient_explanation.ko.txt.j2:{line}:" in out and "nmae" in out, out
    rows = {row.split()[0]: row.split()[-1] for row in out.splitlines() if row.endswith(("pass", "FAIL"))}
    assert rows["full_face.yaml"] == rows["contraindicated_pregnant.yaml"] == "FAIL", "every sheet names her"
