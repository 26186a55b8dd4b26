"""``check`` says what an edit will break (issue 24): a new required question the examples do not
answer, a copy that keeps the shipped version (never blaming the shipped file), and YAML syntax
errors with the line, what was found and the usual fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.files.loaders import load_script
from assistant.services.lint import lint

BLOOD_THINNERS = """  - id: blood_thinners
    section: Screening
    type: yes_no
    prompt: Is the patient taking blood thinners?

"""


def _copy(tmp_path: Path, text: str) -> Path:
    script = tmp_path / "consult.yaml"
    script.write_text(text, encoding="utf-8")
    return script


def _shipped() -> str:
    return locations.SCRIPT_FILE.read_text(encoding="utf-8")


def test_a_new_required_question_names_the_examples_it_breaks(tmp_path: Path) -> None:
    text = _shipped().replace("  # --- Treatment ---", BLOOD_THINNERS + "  # --- Treatment ---")
    text = text.replace('version: "1.4.1"', 'version: "1.5.0"')
    problems = lint(_copy(tmp_path, text), None, tmp_path / "data")
    [problem] = [p for p in problems if p.code == "breaks-example"]
    line = text.splitlines().index("  - id: blood_thinners") + 1
    assert problem.line == line and problem.severity == "warning"
    examples = sorted(p.name for p in locations.EXAMPLES_DIR.glob("*.yaml"))
    assert f"/{{{', '.join(examples)}}} have no answer for blood_thinners; rehearse will fail." in problem.message
    assert [p.code for p in problems] == ["breaks-example"]


def test_a_new_question_with_a_default_or_optional_breaks_nothing(tmp_path: Path) -> None:
    for extra in ("    default: false\n", "    required: false\n"):
        question = BLOOD_THINNERS.replace("    prompt:", extra + "    prompt:")
        text = _shipped().replace("  # --- Treatment ---", question + "  # --- Treatment ---")
        text = text.replace('version: "1.4.1"', 'version: "1.5.0"')
        assert lint(_copy(tmp_path, text), None, tmp_path / extra.split(":")[0].strip()) == []


def test_one_example_that_lacks_the_answer_is_named_alone(tmp_path: Path) -> None:
    folder = tmp_path / "examples"
    folder.mkdir()
    for path in locations.EXAMPLES_DIR.glob("*.yaml"):
        extra = "" if path.name == "full_face.yaml" else "blood_thinners: no\n"
        (folder / path.name).write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    from assistant.services.lint import example_problems

    text = _shipped().replace("  # --- Treatment ---", BLOOD_THINNERS + "  # --- Treatment ---")
    loaded = load_script(_copy(tmp_path, text))
    assert loaded.value is not None
    [problem] = example_problems(loaded.value, folder)
    assert problem.message.startswith(
        f"{folder / 'full_face.yaml'} has no answer for blood_thinners; rehearse will fail."
    )


def test_checking_an_edited_copy_blames_the_copy_never_the_shipped_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    text = _shipped().replace("title: Botulax consultation", "title: Botulax consult (edited)")
    copy = _copy(tmp_path, text)
    problems = lint(copy, None, data)
    assert [(p.code, p.file, p.line) for p in problems] == [
        ("version-unchanged", str(copy), text.splitlines().index('version: "1.4.1"') + 1)
    ]
    assert "differs from the shipped" in problems[0].message
    assert lint(None, None, data) == [], "the untouched shipped script is never blamed"
    assert main(["check", "--data-dir", str(data)]) == 0
    raised = _copy(tmp_path, text.replace('version: "1.4.1"', 'version: "1.5.0"'))
    assert lint(raised, None, data) == []
    capsys.readouterr()


def test_a_workbook_saved_again_unchanged_is_not_a_new_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    workbook = tmp_path / "consult.xlsx"
    assert main(["script", "export", "--xlsx", str(workbook)]) == 0
    data = tmp_path / "data"
    assert lint(workbook, None, data) == []
    book = load_workbook(workbook)
    book["questions"].column_dimensions["D"].width = 90  # bytes change, the script does not
    book.save(workbook)
    assert lint(workbook, None, data) == []
    capsys.readouterr()


@pytest.mark.parametrize(
    ("old", "new", "found", "fix"),
    [
        (
            "    prompt: Is the patient female or male?",
            "    prompt: Note: is the patient female or male?",
            "(found: prompt: Note: is the patient female or male?)",
            "Usual fix: a colon followed by a space inside a prompt: put the prompt in quotes",
        ),
        (
            "    prompt: Is the patient female or male?",
            "\tprompt: Is the patient female or male?",
            "(found: \\tprompt: Is the patient female or male?)",
            "Usual fix: a tab: YAML indents with spaces only; replace the tab with spaces.",
        ),
    ],
)
def test_a_yaml_syntax_error_says_the_line_what_was_found_and_the_fix(
    tmp_path: Path, old: str, new: str, found: str, fix: str
) -> None:
    text = _shipped().replace(old, new)
    line = text.splitlines().index(new) + 1
    [problem] = lint(_copy(tmp_path, text), None, tmp_path / "data")
    assert problem.code == "yaml-syntax" and problem.line == line
    assert found in problem.message and fix in problem.message
