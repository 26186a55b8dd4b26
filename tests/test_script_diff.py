"""``script diff OLD NEW`` (issue 24): what changed between two scripts, in words, whichever of them
is YAML or a workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.cli import main
from assistant.locations import SCRIPT_FILE


def _diff(old: Path, new: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["script", "diff", str(old), str(new)]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_reworded_prompt_and_a_changed_limit_in_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SCRIPT_FILE.read_text(encoding="utf-8")
    text = text.replace("prompt: Is the patient female or male?", "prompt: What is the patient's sex?")
    text = text.replace("    min: 18\n", "    min: 21\n")
    edited = tmp_path / "consult.yaml"
    edited.write_text(text, encoding="utf-8")
    assert _diff(SCRIPT_FILE, edited, capsys) == [
        'Reworded the prompt of sex: "Is the patient female or male?" -> "What is the patient\'s sex?".',
        "Changed the limit min of age: 18 -> 21.",
    ]


def test_a_workbook_against_the_shipped_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "consult.xlsx"
    assert main(["script", "export", "--xlsx", str(workbook)]) == 0
    assert _diff(SCRIPT_FILE, workbook, capsys) == ["No differences: the two scripts ask the same questions."]
    book = load_workbook(workbook)
    sheet = book["questions"]
    headers = {c.value: c.column_letter for c in sheet[1]}
    rows = {sheet[f"A{r}"].value: r for r in range(2, sheet.max_row + 1)}
    sheet[f"{headers['max']}{rows['age']}"] = 90
    sheet[f"{headers['show-if']}{rows['lot_expiry']}"] = "answered(lot_number) and answered(zones)"
    sheet.insert_rows(rows["age"])
    sheet[f"A{rows['age']}"], sheet[f"C{rows['age']}"], sheet[f"D{rows['age']}"] = (
        "blood_thinners",
        "yes_no",
        "Thinners?",
    )
    book["choices"].append(["zones", "lip_flip", "Lip flip"])
    book.save(workbook)
    assert _diff(SCRIPT_FILE, workbook, capsys) == [
        'Added question blood_thinners (after zones): yes_no, required, no default, "Thinners?".',
        "Changed the limit max of age: 100 -> 90.",
        'Changed the show-if of lot_expiry: "answered(lot_number)" -> "answered(lot_number) and answered(zones)".',
        'Added the choice lip_flip to list zones: "Lip flip".',
    ]
    assert _diff(workbook, SCRIPT_FILE, capsys)[0] == "Changed the limit max of age: 90 -> 100."


def test_a_script_with_problems_is_not_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "consult.yaml"
    broken.write_text(SCRIPT_FILE.read_text(encoding="utf-8").replace("prompt: Is the", "promt: Is the"), "utf-8")
    assert main(["script", "diff", str(SCRIPT_FILE), str(broken)]) == 2
    assert f"cannot compare: {broken} has problems" in capsys.readouterr().err
