"""Issue 15, items 5 and 15: no answer, setting or name can drive the terminal or reorder text, and
whatever an older record still holds is shown escaped; a free-text answer is a string, never a structure."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.core.flow import Flow
from assistant.core.script import Script
from tests.helpers import TODAY, copy_sources

FULL_FACE = locations.EXAMPLES_DIR / "full_face.yaml"
FORGED = "Bob\r\nStatus: PLANNED Total: 9999 U\x1b]0;PWNED\x07\x1b[2J"
HOSTILE = [FORGED, "evil\u202elive", "Lee\u2066x\u2069", "Kim\x9b31m", "a\x00b", "tab\there", "Mina\nPark"]
RAW = ("\x1b", "\x07", "\r", "\u202e", "\u2066", "\x9b", "\x00")


def assert_inert(text: str) -> None:
    """No character that a terminal or a renderer would act on."""
    found = [repr(c) for c in RAW if c in text]
    assert not found, f"raw control characters reached the output: {found}"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def answer_file(tmp_path: Path, **replace: str) -> Path:
    text = FULL_FACE.read_text(encoding="utf-8")
    for key, value in replace.items():
        lines = [line for line in text.splitlines() if not line.startswith(f"{key}:")]
        text = "\n".join([*lines, f"{key}: {value}"]) + "\n"
    return write(tmp_path / "answers.yaml", text)


# --- the rule, in the core ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_the_rule_refuses_control_and_direction_characters(text: str) -> None:
    from assistant.core.text_safety import printable, text_problem

    problem = text_problem(text)
    assert problem is not None and "U+" in problem
    assert_inert(printable(text))


@pytest.mark.parametrize("text", ["Mina Park", "김민지", "O'Brien-Smith", "Dr. Lee (acting)", "José Ñúñez", "שרה"])
def test_ordinary_names_in_any_script_are_taken(text: str, script: Script) -> None:
    verdict = Flow(script, TODAY).judge("patient_name", text, {})
    assert verdict.accepted and verdict.value == text


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("question", ["patient_name", "patient_id", "goals", "lot_number"])
def test_every_free_text_answer_refuses_them_with_a_plain_message(text: str, question: str, script: Script) -> None:
    verdict = Flow(script, TODAY).judge(question, text, {})
    assert not verdict.accepted
    assert "U+" in verdict.errors[0]
    assert_inert(verdict.errors[0])


def test_an_answer_file_with_a_forged_name_plans_nothing_and_saves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = answer_file(tmp_path, patient_name=json.dumps(FORGED))
    assert main(["run", str(path), "--data-dir", str(tmp_path / "data")]) == 2
    captured = capsys.readouterr()
    assert "patient_name" in captured.err and "U+000D" in captured.err
    assert_inert(captured.out + captured.err)
    assert not (tmp_path / "data" / "consults").exists()


def test_an_unknown_key_is_named_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = answer_file(tmp_path, **{'"\\e[2Jx\\a"': "1"})
    assert main(["run", str(path), "--no-save"]) == 2
    captured = capsys.readouterr()
    assert "\\u001b[2Jx\\u0007" in captured.err
    assert_inert(captured.err)


def test_a_staff_name_with_control_characters_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(FULL_FACE), "--staff", "Dr\x1b[2J Lee", "--data-dir", str(tmp_path)])
    assert exit_.value.code == 2
    assert "U+001B" in capsys.readouterr().err
    assert not (tmp_path / "consults").exists()


def test_a_remembered_staff_name_with_control_characters_is_not_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = locations.user_config_dir() / "config.toml"
    config.parent.mkdir(parents=True)
    write(config, 'staff_name = "Dr\\u001b]0;PWNED\\u0007"\n')
    os.chmod(config, 0o600)
    assert main(["run", str(FULL_FACE), "--data-dir", str(tmp_path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "staff_name" in captured.err
    record = next((tmp_path / "consults").rglob("*.json")).read_text(encoding="utf-8")
    assert "PWNED" not in record


@pytest.mark.parametrize(
    ("key", "value"),
    [("name", '"Clinic\\u001b[2J"'), ("phone", '"02\\r\\nTotal: 0 U"'), ("currency", '"US\\u202e"')],
)
def test_clinic_settings_refuse_them_at_the_keys_line(
    key: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = 'currency = "EUR"' if key == "name" else 'name = "Ours"'
    clinic = write(tmp_path / "clinic.toml", f"# clinic\n{other}\n{key} = {value}\n")
    os.chmod(clinic, 0o600)
    assert main(["run", str(FULL_FACE), "--no-save", "--clinic", str(clinic)]) == 2
    err = capsys.readouterr().err
    assert f"clinic.toml:3: [bad-value] {key}:" in err
    assert_inert(err)


@pytest.mark.parametrize("where", ["script", "knowledge"])
def test_a_script_or_knowledge_text_with_them_is_a_check_problem_at_its_line(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script, knowledge = copy_sources(tmp_path)
    target = script if where == "script" else knowledge / "zones.yaml"
    text = target.read_text(encoding="utf-8")
    needle = "\n    prompt: " if where == "script" else "\n    label: "
    position = text.index(needle) + len(needle)
    line = text.count("\n", 0, position) + 1
    write(target, text[:position] + '"\\e]0;PWNED\\a" # ' + text[position:])
    assert main(["check", "--script", str(script), "--knowledge", str(knowledge), "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{target.name}:{line}: [control-character]" in out
    assert_inert(out)


# --- records kept before the rule: shown escaped -------------------------------------------------------


@pytest.fixture(scope="module")
def _old_record_made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A consult kept by an older version, whose name holds what is refused today: made once."""
    data = tmp_path_factory.mktemp("old-record") / "data"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", str(FULL_FACE), "--data-dir", str(data), "--format", "json"]) == 0
    consult_id = json.loads(out.getvalue())["consult_id"]
    for path in data.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if "Mina Park" in text:
            hostile = json.dumps(FORGED + " evil\u202elive", ensure_ascii=False)[1:-1]
            path.write_text(text.replace("Mina Park", hostile), encoding="utf-8")
    return data, consult_id


@pytest.fixture
def old_record(_old_record_made: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """A copy of the old record's folder for each test: a command may add to it (its audit trail)."""
    made, consult_id = _old_record_made
    return shutil.copytree(made, tmp_path / "data"), consult_id


@pytest.mark.parametrize(
    "command",
    [
        ["history"],
        ["history", "--format", "json"],
        ["print", "{id}", "--format", "text"],
        ["print", "{id}", "--format", "html", "--what", "patient", "--output", "{out}"],
        ["export", "{id}", "--fhir"],
    ],
    ids=["history", "history json", "print text", "print html", "export"],
)
def test_an_old_record_cannot_drive_the_terminal(
    command: list[str], old_record: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, consult_id = old_record
    out_file = tmp_path / "patient.html"
    argv = [part.format(id=consult_id, out=out_file) for part in command]
    assert main([*argv, "--data-dir", str(data)]) == 0
    captured = capsys.readouterr()
    shown = out_file.read_text(encoding="utf-8") if out_file.exists() else captured.out
    assert_inert(shown + captured.err)
    assert "Bob" in shown, "the name is still shown, escaped"
    if "json" in argv or "export" in argv:
        json.loads(captured.out)  # still valid JSON
    else:
        assert not any(line.startswith("Status: PLANNED Total: 9999") for line in shown.splitlines()), "a forged line"


# --- 15. a free-text answer is a string ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["!!set {a, b}", "[a, b]", "{first: a}", "!!omap [{a: 1}]"], ids=["set", "list", "mapping", "omap"]
)
@pytest.mark.parametrize("question", ["patient_name", "goals"])
def test_a_free_text_answer_is_never_a_structure(
    value: str, question: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = answer_file(tmp_path, **{question: value})
    assert main(["run", str(path), "--data-dir", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert f"{question}: a text is needed here" in err
    assert "odict_keys" not in err and "Traceback" not in err
    assert not (tmp_path / "data" / "consults").exists()


def test_a_number_or_date_written_without_quotes_is_still_taken_as_text(script: Script) -> None:
    flow = Flow(script, TODAY)
    assert flow.judge("patient_id", 1042, {}).value == "1042"
    assert flow.judge("goals", TODAY, {}).value == TODAY.isoformat()
