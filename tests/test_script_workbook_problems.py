"""Every problem in a script workbook names its sheet and cell (issue 24): the script's own checks in
the workbook's words, and what only a spreadsheet can hold (a formula, merged cells, a hidden sheet,
the file still open in Excel), one sentence each."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.cli import main
from assistant.files.loaders import load_script
from assistant.files.workbook_writer import write_workbook
from assistant.locations import SCRIPT_FILE


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    loaded = load_script(SCRIPT_FILE)
    assert loaded.value is not None
    return write_workbook(tmp_path / "consult.xlsx", loaded.value.script)


def _cell(book, sheet: str, row_id: str, header: str) -> str:
    """The reference (e.g. F7) of ``header``'s column in the row whose first cell is ``row_id``."""
    ws = book[sheet]
    column = next(c.column_letter for c in ws[1] if c.value == header)
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == row_id)
    return f"{column}{row}"


def _problems(path: Path) -> list[str]:
    return [str(p) for p in load_script(path).problems]


def _edited(workbook: Path, sheet: str, row_id: str, header: str, value: object) -> str:
    book = load_workbook(workbook)
    ref = _cell(book, sheet, row_id, header)
    book[sheet][ref] = value
    book.save(workbook)
    return f"{sheet}!{ref}"


def test_a_show_if_reading_a_later_question_names_both_cells(workbook: Path) -> None:
    where = _edited(workbook, "questions", "pregnant_or_breastfeeding", "show-if", "answered(prior_treatment_date)")
    asked = "questions!" + _cell(load_workbook(workbook), "questions", "prior_treatment_date", "id")
    [problem] = _problems(workbook)
    assert problem.endswith(
        f"consult.xlsx:{where}: [later-question] question 'pregnant_or_breastfeeding': show-if refers to "
        f"prior_treatment_date, which is not asked above (asked at {asked})."
    )


@pytest.mark.parametrize(
    ("sheet", "row_id", "header", "value", "expected"),
    [
        ("questions", "lot_expiry", "show-if", "sex == 'femal'", "[unknown-code] question 'lot_expiry': 'femal' is"),
        ("questions", "zones", "min selected", "one", "[bad-value] min selected: Input should be a valid integer"),
        ("questions", "goals", "type", "txt", "[bad-type] unknown question type 'txt'"),
        ("questions", "sex", "prompt", None, "[missing-key] 'prompt' is required."),
        ("questions", "age", "years since", "patient_name", "[unknown-question] question 'age': years since must name"),
        ("choices", "sex", "code", " female ", None),  # a space typed after a code is not a problem
        ("questions", "zones", "choices", "zone", "[unknown-list] question 'zones': there is no choice list 'zone'"),
    ],
)
def test_each_mistake_in_a_cell_is_named_at_that_cell(
    workbook: Path, sheet: str, row_id: str, header: str, value: object, expected: str | None
) -> None:
    where = _edited(workbook, sheet, row_id, header, value)
    problems = _problems(workbook)
    if expected is None:
        assert problems == []
        return
    assert any(f"consult.xlsx:{where}: {expected}" in p for p in problems), problems


def test_a_duplicate_code_is_named_at_its_list(workbook: Path) -> None:
    book = load_workbook(workbook)
    book["choices"]["B3"] = "female"  # sex: female, female
    book.save(workbook)
    assert any(
        p.endswith("consult.xlsx:choices!A2: [duplicate-id] code 'female' appears 2 times in list 'sex'.")
        for p in _problems(workbook)
    )


def test_an_unknown_column_gets_a_suggestion(workbook: Path) -> None:
    book = load_workbook(workbook)
    ws = book["questions"]
    ws.cell(1, ws.max_column + 1, "promt")
    book.save(workbook)
    column = book["questions"].cell(1, ws.max_column).column_letter
    assert any(
        p.endswith(f"consult.xlsx:questions!{column}1: [unknown-column] unknown column 'promt'. Did you mean 'prompt'?")
        for p in _problems(workbook)
    )


def test_formulas_merged_cells_hidden_sheets_and_an_open_workbook_are_said_once_each(workbook: Path) -> None:
    book = load_workbook(workbook)
    ref = _cell(book, "questions", "sex", "prompt")
    book["questions"][ref] = '=CONCAT("Is the patient ", "female?")'
    book["choices"].merge_cells("C4:C5")
    book["settings"].sheet_state = "hidden"
    book.save(workbook)
    (workbook.parent / "~$consult.xlsx").write_bytes(b"owner")
    problems = _problems(workbook)
    expected = {
        f"questions!{ref}: [formula] this cell holds a formula": 1,
        "choices!C4: [merged-cells] cells C4:C5 are merged: unmerge them": 1,
        "settings!A1: [hidden-sheet] the sheet 'settings' is hidden, but it is read all the same": 1,
        "questions!A1: [open-in-excel] the workbook looks open in Excel (~$consult.xlsx is beside it)": 1,
    }
    for start, count in expected.items():
        assert sum(f"consult.xlsx:{start}" in p for p in problems) == count, (start, problems)
    assert load_script(workbook).value is None  # a formula or merged cells are errors: nothing is guessed


def test_check_prints_the_cell_and_exits_1(workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = _edited(workbook, "questions", "pregnant_or_breastfeeding", "show-if", "sex == 'femal'")
    assert main(["check", "--script", str(workbook), "--data-dir", str(tmp_path / "data")]) == 1
    assert f"consult.xlsx:{where}: [unknown-code]" in capsys.readouterr().out


def test_the_same_mistake_in_yaml_still_names_file_and_line(tmp_path: Path) -> None:
    text = SCRIPT_FILE.read_text(encoding="utf-8").replace("show_if: sex == 'female'", "show_if: sex == 'femal'")
    script = tmp_path / "consult.yaml"
    script.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "sex == 'femal'" in row)
    assert any(f"consult.yaml:{line}: [unknown-code]" in p for p in _problems(script))
