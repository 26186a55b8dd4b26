"""``check`` refuses a screening question a trainer made assumed, skippable or never asked (a tryout's
``default: 'no'`` on ``infection_at_site`` passed ``check`` and ``rehearse``, and an answer file without
the answer was planned with "Infection at site: no"; a ``show_if`` no answers make true hid the pregnancy
question from every patient)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import locations
from assistant.cli import main
from assistant.services.lint import lint

INFECTION = "  - id: infection_at_site\n    section: Screening\n    type: yes_no\n"
PREGNANCY_SHOWN = "    show_if: sex == 'female'\n"


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = locations.SCRIPT_FILE.read_text(encoding="utf-8")
    assert old in text
    script = tmp_path / "consult.yaml"
    script.write_text(text.replace(old, new, 1).replace('version: "1.4.1"', 'version: "1.5.0"'), encoding="utf-8")
    return script


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        (INFECTION, INFECTION + "    default: 'no'\n", "screening-default", "has a default: a screening answer is"),
        (INFECTION, INFECTION + "    required: false\n", "screening-optional", "may be skipped (required: false)"),
        (
            PREGNANCY_SHOWN,
            "    show_if: sex == 'male' and sex == 'female'\n",
            "screening-hidden",
            "no answers make its show_if (sex == 'male' and sex == 'female') true: it is never asked",
        ),
    ],
)
def test_a_screening_question_assumed_skippable_or_never_asked_is_an_error(
    tmp_path: Path, old: str, new: str, code: str, words: str
) -> None:
    script = _edited(tmp_path, old, new)
    [problem] = [p for p in lint(script, None, tmp_path / "data") if p.code == code]
    assert problem.severity == "error" and words in problem.message, problem.message
    assert "read by the contraindication" in problem.message
    lines = script.read_text(encoding="utf-8").splitlines()
    start = lines.index(new.splitlines()[0]) if new.splitlines()[0].startswith("  - id:") else 0
    assert problem.line == lines.index(new.splitlines()[-1], start) + 1


def test_a_show_if_some_answers_make_true_is_fine_and_check_exits_1_on_a_hidden_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fine = _edited(tmp_path, PREGNANCY_SHOWN, "    show_if: sex == 'female' or sex == 'male'\n")
    assert not [p for p in lint(fine, None, tmp_path / "data") if p.code.startswith("screening")]
    hidden = _edited(tmp_path, PREGNANCY_SHOWN, "    show_if: sex == 'male' and sex == 'female'\n")
    assert main(["check", "--script", str(hidden)]) == 1
    said = capsys.readouterr()
    assert "it is never asked" in said.out + said.err
