"""Trainer mode: edit the script on disk, reload without restarting, see problems with file and line."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual.widgets import Static

from assistant import locations
from assistant.files.resources import load_resources
from assistant.records import open_repository
from assistant.tui.app import make_app
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, enter, type_answer
from tests.tui_driving import screen_text, settle


def _script_copy(tmp_path: Path) -> Path:
    script = tmp_path / "consult.yaml"
    script.write_text(locations.SCRIPT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return script


def _panel(app) -> str:
    return str(app.screen.query_one("#trainer-panel", Static).render())


async def test_reload_picks_up_an_edited_script_and_keeps_the_answers(tmp_path: Path) -> None:
    script = _script_copy(tmp_path)
    loader = partial(load_resources, script)
    app = make_app(today=TODAY, loader=loader, trainer=True, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Trainee Test")
        await type_answer(pilot, "1990-03-02")  # date of birth
        await enter(pilot)  # patient id
        await enter(pilot)  # patient language: English (the default)
        assert app.session.current is not None and app.session.current.id == "sex"
        edited = script.read_text(encoding="utf-8").replace(
            "prompt: Is the patient female or male?", "prompt: What is the patient's sex (as on their ID)?"
        )
        script.write_text(edited, encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.pause()
        assert app.session.answers["patient_name"] == "Trainee Test", "answers survive a reload"
        assert app.session.current.prompt == "What is the patient's sex (as on their ID)?"
        assert "Reloaded: script botulax-consult" in _panel(app)
        asked = str(app.screen.query_one("#question-prompt", Static).render())
        assert asked == "What is the patient's sex (as on their ID)?", "the question on screen is the edited one"


async def test_a_broken_edit_is_shown_with_file_and_line_and_the_consult_goes_on(tmp_path: Path) -> None:
    script = _script_copy(tmp_path)
    app = make_app(today=TODAY, loader=partial(load_resources, script), trainer=True, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Trainee Test")
        lines = script.read_text(encoding="utf-8").splitlines()
        number = next(i for i, line in enumerate(lines) if "prompt: Is the patient female or male?" in line)
        lines[number] = lines[number].replace("prompt:", "promt:")
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause()
        panel = _panel(app)
        assert "Not reloaded" in panel
        assert f"consult.yaml:{number + 1}: [unknown-key] unknown key 'promt'" in panel
        assert app.session.answers["patient_name"] == "Trainee Test"


async def test_trainer_mode_is_a_dry_run_that_saves_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = make_app(today=TODAY, loader=load_resources, trainer=True, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Dry Run")
        await enter(pilot)
        await app.workers.wait_for_complete()
        assert "TRAINER" in app.title
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        header = screen_text(app).splitlines()[0]
        assert "nothing is saved" in header and "Dry Run · question 2 of" in header, header
    assert open_repository(data).drafts() == []
    assert not (data / "consults").exists()
