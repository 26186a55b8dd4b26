"""Trainer mode with the script as a workbook (issue 24): the trainer saves the workbook, presses
Ctrl+R, and the consult goes on with the edited question; a mistake shows its sheet and cell."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from openpyxl import load_workbook
from textual.widgets import Static

from assistant import locations
from assistant.files.loaders import load_script
from assistant.files.resources import load_resources
from assistant.files.workbook_writer import write_workbook
from assistant.tui.app import make_app
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, enter, type_answer


def _workbook(tmp_path: Path) -> Path:
    loaded = load_script(locations.SCRIPT_FILE)
    assert loaded.value is not None
    return write_workbook(tmp_path / "consult.xlsx", loaded.value.script)


def _edit(workbook: Path, old: str, new: str) -> str:
    """Replace the cell on the questions sheet that holds ``old``; its reference, e.g. D6."""
    book = load_workbook(workbook)
    sheet = book["questions"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == old)
    cell.value = new
    book.save(workbook)
    return cell.coordinate


def _panel(app) -> str:
    return str(app.screen.query_one("#trainer-panel", Static).render())


async def _to_the_sex_question(pilot) -> None:
    await type_answer(pilot, "Trainee Test")
    await type_answer(pilot, "1990-03-02")  # date of birth
    await enter(pilot)  # patient id
    await enter(pilot)  # patient language: English (the default)


async def test_ctrl_r_reloads_an_edited_workbook_and_keeps_the_answers(tmp_path: Path) -> None:
    workbook = _workbook(tmp_path)
    app = make_app(today=TODAY, loader=partial(load_resources, workbook), trainer=True, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _to_the_sex_question(pilot)
        assert app.session.current is not None and app.session.current.id == "sex"
        _edit(workbook, "Is the patient female or male?", "What is the patient's sex (as on their ID)?")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.pause()
        assert app.session.answers["patient_name"] == "Trainee Test", "answers survive a reload"
        assert "Reloaded: script botulax-consult" in _panel(app)
        asked = str(app.screen.query_one("#question-prompt", Static).render())
        assert asked == "What is the patient's sex (as on their ID)?", "the question on screen is the edited one"


async def test_a_formula_in_the_workbook_is_shown_with_its_cell_and_the_consult_goes_on(tmp_path: Path) -> None:
    workbook = _workbook(tmp_path)
    app = make_app(today=TODAY, loader=partial(load_resources, workbook), trainer=True, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _to_the_sex_question(pilot)
        cell = _edit(workbook, "Is the patient female or male?", '=CONCAT("Is the patient ", "female?")')
        await pilot.press("ctrl+r")
        await pilot.pause()
        panel = _panel(app)
        assert "Not reloaded" in panel
        assert f"consult.xlsx:questions!{cell}: [formula]" in panel
        assert app.session.current is not None and app.session.current.prompt == "Is the patient female or male?"
