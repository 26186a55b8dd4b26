"""`botulax-consult check` for trainers: a broken copy of the shipped script, one mistake at a time,
reported as file:line: [code] message with a "did you mean" where it fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.files.yaml_source import FileProblem
from assistant.services.lint import lint

SHIPPED = locations.SCRIPT_FILE.read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """The shipped script with ``old`` (which must occur once) replaced by ``new``."""
    assert SHIPPED.count(old) == 1, f"{old!r} must occur once in the shipped script"
    text = SHIPPED.replace(old, new)
    path = tmp_path / "consult.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_with(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding ``needle`` (its ``occurrence``-th line)."""
    numbers = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(numbers) >= occurrence, (needle, numbers)
    return numbers[occurrence - 1]


def only(problems: list[FileProblem], code: str) -> FileProblem:
    matching = [p for p in problems if p.code == code]
    assert len(matching) == 1, problems
    return matching[0]


def assert_at(problem: FileProblem, path: Path, line: int) -> None:
    assert Path(problem.file).resolve() == path.resolve()
    assert problem.line == line, problem
    assert str(problem).startswith(f"{problem.file}:{line}: [{problem.code}] ")


def test_the_shipped_script_and_knowledge_are_clean() -> None:
    assert lint() == []
    assert lint(locations.SCRIPT_FILE, locations.KNOWLEDGE_DIR) == []


def test_a_typo_in_a_key_is_never_ignored(tmp_path: Path) -> None:
    path, text = broken(
        tmp_path, "    prompt: Is the patient female or male?\n", "    promt: Is the patient female or male?\n"
    )
    problems = lint(path)
    typo = only(problems, "unknown-key")
    assert_at(typo, path, line_with(text, "promt:"))
    assert "unknown key 'promt'" in typo.message
    assert "Did you mean 'prompt'?" in typo.message
    missing = only(problems, "missing-key")
    assert_at(missing, path, line_with(text, "- id: sex"))
    assert "'prompt' is required" in missing.message


def test_a_condition_reading_an_unknown_question(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "show_if: sex == 'female'", "show_if: sexx == 'female'")
    problem = only(lint(path), "unknown-question")
    assert_at(problem, path, line_with(text, "show_if: sexx"))
    assert "'sexx'" in problem.message
    assert "Did you mean 'sex'?" in problem.message
    assert "pregnant_or_breastfeeding" in problem.message, "names the question whose condition it is"


def test_a_condition_reading_a_later_question(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "show_if: sex == 'female'", "show_if: sex == 'female' and age < 50")
    problem = only(lint(path), "later-question")
    assert_at(problem, path, line_with(text, "and age < 50"))
    assert "'age'" in problem.message
    assert "asked later" in problem.message


def test_a_check_reading_an_unknown_question(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "      - when: age >= 75\n", "      - when: age >= 75 and sex == 'male' and zonez\n")
    problem = only(lint(path), "unknown-question")
    assert_at(problem, path, line_with(text, "and zonez"))
    assert "Did you mean 'zones'?" in problem.message


def test_a_duplicate_id(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "  - id: patient_id\n", "  - id: patient_name\n")
    problem = only(lint(path), "duplicate-id")
    assert_at(problem, path, line_with(text, "- id: patient_name", occurrence=2))
    assert "'patient_name' is used 2 times" in problem.message


def test_an_empty_choice_list(tmp_path: Path) -> None:
    path, text = broken(
        tmp_path,
        "  side:\n    - {code: left, label: Patient's left}\n    - {code: right, label: Patient's right}\n",
        "  side: []\n",
    )
    problem = only(lint(path), "empty-choices")
    assert_at(problem, path, line_with(text, "  side: []"))
    assert "'side'" in problem.message


def test_an_unknown_choice_list(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "    choices: skin_thickness\n", "    choices: skin_thicknes\n")
    problem = only(lint(path), "unknown-list")
    assert_at(problem, path, line_with(text, "choices: skin_thicknes"))
    assert "Did you mean 'skin_thickness'?" in problem.message


def test_min_above_max(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "    min: 18\n    max: 100\n", "    min: 180\n    max: 100\n")
    problem = only(lint(path), "min-above-max")
    assert_at(problem, path, line_with(text, "    min: 180"))
    assert "age" in problem.message
    assert "min (180) is above max (100)" in problem.message


def test_a_default_outside_the_bounds(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "    min: 18\n    max: 100\n", "    min: 18\n    max: 100\n    default: 12\n")
    problem = only(lint(path), "bad-default")
    assert_at(problem, path, line_with(text, "default: 12"))


@pytest.mark.parametrize(
    "condition",
    ["sex == = 'female'", "sex == 'female' and", "selected(zones, 'glabella'", "sex = 'female'"],
)
def test_bad_expression_syntax(tmp_path: Path, condition: str) -> None:
    path, text = broken(tmp_path, "show_if: sex == 'female'", f'show_if: "{condition}"')
    problem = only(lint(path), "expression-syntax")
    assert_at(problem, path, line_with(text, condition))
    assert "cannot read the condition" in problem.message


@pytest.mark.parametrize(
    "condition", ["sex.upper() == 'FEMALE'", "sex[0] == 'f'", "(lambda: True)()", "__import__('os')"]
)
def test_disallowed_expressions(tmp_path: Path, condition: str) -> None:
    path, text = broken(tmp_path, "show_if: sex == 'female'", f'show_if: "{condition}"')
    problems = lint(path)
    assert problems
    assert {p.code for p in problems} <= {"expression-syntax", "unknown-function"}
    for problem in problems:
        assert_at(problem, path, line_with(text, condition))


def test_an_unknown_choice_code_in_a_condition(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "show_if: sex == 'female'", "show_if: sex == 'femal'")
    problem = only(lint(path), "unknown-code")
    assert_at(problem, path, line_with(text, "sex == 'femal'"))
    assert "Did you mean 'female'?" in problem.message


def test_an_unknown_zone_code_in_selected(tmp_path: Path) -> None:
    path, text = broken(
        tmp_path,
        "show_if: selected(zones, 'forehead', 'crows_feet', 'bunny_lines',",
        "show_if: selected(zones, 'forehead', 'crowsfeet', 'bunny_lines',",
    )
    problem = only(lint(path), "unknown-code")
    assert_at(problem, path, line_with(text, "'crowsfeet'"))
    assert "Did you mean 'crows_feet'?" in problem.message


def test_a_question_the_planner_needs_is_missing(tmp_path: Path) -> None:
    start = SHIPPED.index("      - id: stronger_side\n")
    end = SHIPPED.index("      - id: extra_units\n")
    path, text = broken(tmp_path, SHIPPED[start:end], "")
    problem = only(lint(path), "planner-needs")
    assert_at(problem, path, line_with(text, "    questions:"))  # the asymmetries group's own questions
    assert "'stronger_side'" in problem.message and "group 'asymmetries'" in problem.message


def test_a_question_the_planner_needs_has_the_wrong_type(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "    type: integer\n", "    type: decimal\n")
    problem = only(lint(path), "planner-needs")
    assert_at(problem, path, line_with(text, "type: decimal", occurrence=1))
    assert "'age' is of type decimal" in problem.message
    assert "integer" in problem.message


def test_a_yaml_syntax_error(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "    min: 18\n", "    min: [18\n")
    problems = lint(path)
    problem = only(problems, "yaml-syntax")
    assert Path(problem.file).resolve() == path.resolve()
    assert line_with(text, "min: [18") <= problem.line <= line_with(text, "min: [18") + 2
    assert len(problems) == 1, "nothing else can be said about a file that cannot be read"


def test_a_yaml_syntax_error_at_a_known_line(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "  - id: age\n", "  - id: age\n   bad: [\n")
    problem = only(lint(path), "yaml-syntax")
    assert_at(problem, path, line_with(text, "bad: ["))


def test_an_impossible_date_in_the_script_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path, text = broken(tmp_path, 'version: "1.4.1"\n', 'version: "1.4.1"\nreleased: 2026-02-30\n')
    problem = only(lint(path), "yaml-syntax")
    assert_at(problem, path, line_with(text, "released:"))


def test_an_unknown_question_type(tmp_path: Path) -> None:
    path, text = broken(
        tmp_path, "    type: yes_no\n    show_if: sex == 'female'", "    type: yesno\n    show_if: sex == 'female'"
    )
    problem = only(lint(path), "bad-type")
    assert_at(problem, path, line_with(text, "type: yesno"))
    assert "Did you mean 'yes_no'?" in problem.message


def test_a_zone_the_knowledge_base_does_not_know(tmp_path: Path) -> None:
    path, text = broken(
        tmp_path,
        "    - {code: masseter, label: Jaw slimming (masseter)}\n",
        "    - {code: masseter, label: Jaw slimming (masseter)}\n    - {code: neck, label: Neck bands}\n",
    )
    problem = only(lint(path), "unknown-zone")
    assert Path(problem.file).resolve() == path.resolve()
    assert problem.line == line_with(text, "  zones:")
    assert "'neck'" in problem.message


def test_every_problem_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    text = (
        SHIPPED.replace("    prompt: Is the patient female or male?\n", "    promt: Is the patient female or male?\n")
        .replace("show_if: sex == 'female'", "show_if: sex == 'femal'")
        .replace("    min: 18\n    max: 100\n", "    min: 180\n    max: 100\n")
    )
    path = tmp_path / "consult.yaml"
    path.write_text(text, encoding="utf-8")
    assert {"unknown-key", "missing-key"} <= {p.code for p in lint(path)}
    fixed = text.replace("promt:", "prompt:")
    path.write_text(fixed, encoding="utf-8")
    problems = lint(path)
    assert [(p.code, p.line) for p in problems] == [
        ("unknown-code", line_with(fixed, "sex == 'femal'")),
        ("min-above-max", line_with(fixed, "    min: 180")),
    ]


# --- the check command ---------------------------------------------------------------------------


def test_check_prints_each_problem_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, text = broken(tmp_path, "  - id: patient_id\n", "  - id: patient_name\n")
    assert main(["check", "--script", str(path)]) == 1
    out, err = capsys.readouterr()
    [line] = out.splitlines()
    assert line.endswith(
        f"consult.yaml:{line_with(text, '- id: patient_name', 2)}: [duplicate-id] "
        "question id 'patient_name' is used 2 times."
    )
    assert "1 error, 0 warnings." in err


def test_check_reports_a_missing_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--script", str(tmp_path / "nope.yaml")]) == 1
    assert "[missing-file]" in capsys.readouterr().out


def test_check_a_broken_knowledge_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for source in locations.KNOWLEDGE_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        if source.name == "zones.yaml":
            text = text.replace("    paired: false\n    on_label: true\n", "    paired: false\n    onlabel: true\n")
        (folder / source.name).write_text(text, encoding="utf-8")
    assert main(["check", "--knowledge", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "zones.yaml:" in out
    assert "[unknown-key] unknown key 'onlabel'" in out
    assert "Did you mean 'on_label'?" in out


def test_a_typo_does_not_hide_the_other_problems_of_the_script(tmp_path: Path) -> None:
    """A question that fails validation is reported, and so are problems elsewhere in the file."""
    text = locations.SCRIPT_FILE.read_text(encoding="utf-8")
    text = text.replace("    prompt: How old is the patient?", "    promt: How old is the patient?")
    text = text.replace("    show_if: sex == 'female'", "    show_if: sex == 'femal'")
    broken = tmp_path / "consult.yaml"
    broken.write_text(text, encoding="utf-8")
    codes = {p.code for p in lint(broken)}
    assert {"unknown-key", "missing-key", "unknown-code"} <= codes
    assert not any(p.code == "unknown-question" for p in lint(broken))  # the placeholder keeps 'age' known


def test_check_warns_when_content_changes_but_the_version_does_not(tmp_path: Path) -> None:
    script = tmp_path / "consult.yaml"
    script.write_text(locations.SCRIPT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    for path in locations.KNOWLEDGE_DIR.glob("*.yaml"):
        (knowledge / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "data"
    assert lint(script, knowledge, data) == [], "first check: this version's content is remembered"
    text = script.read_text(encoding="utf-8").replace("title: Botulax consultation", "title: Botulax consult (new)")
    script.write_text(text, encoding="utf-8")
    problems = lint(script, knowledge, data)
    assert [(p.code, p.severity) for p in problems] == [("version-unchanged", "warning")]
    version_line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("version:"))) + 1
    assert problems[0].line == version_line
    old = next(x for x in text.splitlines() if x.startswith("version:"))
    script.write_text(text.replace(old, 'version: "9.9.9"'), encoding="utf-8")
    assert lint(script, knowledge, data) == [], "a raised version is a new version"


def test_a_question_without_a_type_is_named_with_the_types_there_are(tmp_path: Path) -> None:
    """A tryout removed ``type:`` from a question: check said "questions.6: Unable to extract tag using
    discriminator 'type'", pydantic's words, naming no question."""
    path, text = broken(tmp_path, "  - id: toxin_allergy\n    section: Screening\n    type: yes_no\n",
                        "  - id: toxin_allergy\n    section: Screening\n")  # fmt: skip
    problem = only(lint(path), "missing-key")
    assert problem.message.startswith("question 'toxin_allergy' has no type: add type: and one of date, decimal")
    assert "discriminator" not in problem.message
    assert_at(problem, path, line_with(text, "- id: toxin_allergy"))
