"""What an edit to the script will break before ``rehearse`` is run: a new required question that
the example answer files do not answer (issue 24).

A trainer adds a required question with no default, ``check`` says nothing, and ``rehearse`` then
fails every example with "expected, missing". Each example is read through the flow with the edited
script, as ``rehearse`` reads it; a question the flow asks for that the file does not hold is named,
with the files it breaks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.core.flow import Flow
from assistant.core.script import Script
from assistant.files.clinic_file import display_path
from assistant.files.loaders import load_answers
from assistant.services.headless import consult_date


def unanswered_questions(script: Script, folder: Path, system_today: date) -> dict[str, list[Path]]:
    """Question id -> the example files that do not answer it but would have to."""
    missing: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        loaded = load_answers(path)
        if loaded.value is None:
            continue  # rehearse says what is wrong with the file itself
        answer_file = loaded.value
        today = consult_date(answer_file, None, system_today)
        if not isinstance(today, date):
            continue
        expected = answer_file.expect.get("problems", []) if isinstance(answer_file.expect, dict) else []
        result = Flow(script, today).read_file(answer_file.answers)
        for problem in result.problems:
            question_id = str(problem.question_id)
            if (
                question_id not in answer_file.answers
                and script.has_question(question_id)
                and question_id not in (expected or [])
                and path not in missing.get(question_id, [])
            ):
                missing.setdefault(question_id, []).append(path)
    return missing


def breaks_message(question_id: str, files: list[Path]) -> str:
    """``prompts/examples/full_face.yaml has no answer for blood_thinners; rehearse will fail ...``"""
    if len(files) == 1:
        named = f"{display_path(files[0])} has"
    else:
        named = f"{display_path(files[0].parent)}/{{{', '.join(p.name for p in files)}}} have"
    return (
        f"{named} no answer for {question_id}; rehearse will fail. Give the question a default, make it "
        "optional (required: false), or add the answer to the example" + ("s." if len(files) > 1 else ".")
    )
