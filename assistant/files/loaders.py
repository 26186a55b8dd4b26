"""Loading the script, the knowledge base, clinic settings and answer files from disk.

Each loader returns the model and the problems found, every one naming its file and line, so that a
trainer's mistake is a sentence, never a traceback. A file with errors gives no model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from assistant.core.knowledge_checks import check_knowledge, check_together
from assistant.core.knowledge_model import Knowledge
from assistant.core.script import QUESTION_CLASSES, Choice, Script, ScriptItem, TextQuestion
from assistant.core.script_checks import check_script
from assistant.files.clinic_file import Loaded, load_clinic
from assistant.files.clinic_file import display_path as _display
from assistant.files.problems import FileProblem
from assistant.files.sources import KnowledgeSource, ScriptSource
from assistant.files.workbook_located import WorkbookError, WorkbookLocated, is_workbook
from assistant.files.workbook_reader import read_workbook
from assistant.files.yaml_source import (
    Located,
    YamlFileError,
    parse_yaml,
    read_yaml,
    text_problems,
    validation_problems,
)

_QUESTION: TypeAdapter[ScriptItem] = TypeAdapter(ScriptItem)
_CHOICES: TypeAdapter[tuple[Choice, ...]] = TypeAdapter(tuple[Choice, ...])


def load_script(path: Path, planner: bool = True) -> Loaded[ScriptSource]:
    """The script from its YAML file or, for ``.xlsx``, from a trainer's workbook: one loader for both,
    so ``run``, ``check``, ``rehearse`` and the UI read either, with the same checks. ``planner``
    False: a script the planner does not read (the review script)."""
    located: Located | WorkbookLocated
    sheet_problems: list[FileProblem] = []
    try:
        if is_workbook(path):
            located = read_workbook(path, _display(path))
            sheet_problems = located.sheet_problems
        else:
            located = read_yaml(path, _display(path))
    except (YamlFileError, WorkbookError) as error:
        return Loaded(None, [error.problem])
    if not isinstance(located.data, dict):
        return Loaded(
            None, [located.problem((), "bad-value", "a script is a mapping with id, version, lists and questions.")]
        )
    unsafe = sheet_problems + text_problems(located)  # type: ignore[arg-type]
    try:
        script = Script.model_validate(located.data)
    except ValidationError as error:
        problems = unsafe + validation_problems(located, error.errors(), Script)
        partial = _partial_script(located.data)
        if partial is not None:
            script, placeholders = partial
            problems += [
                located.problem(f.loc, f.code, f.message, f.severity)
                for f in check_script(script, placeholders, planner)
            ]
        return Loaded(None, problems)
    problems = unsafe + [
        located.problem(f.loc, f.code, f.message, f.severity) for f in check_script(script, planner=planner)
    ]
    return Loaded(None if any(p.severity == "error" for p in problems) else ScriptSource(script, located), problems)


def _partial_script(data: dict) -> tuple[Script, frozenset[int]] | None:
    """The parts of a broken script that do validate, so ``check`` can report their problems too.

    A question that fails validation is kept as an unchecked placeholder of its declared type, so
    that conditions naming it are not reported as unknown as well.
    """
    questions, placeholders = [], set()
    for index, raw in enumerate(data.get("questions") or []):
        try:
            questions.append(_QUESTION.validate_python(raw))
        except ValidationError:
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                return None  # positions would no longer match the file
            kind = QUESTION_CLASSES.get(str(raw.get("type")), TextQuestion)
            questions.append(
                kind.model_construct(id=raw["id"], prompt="", type=raw.get("type", "text"), choices="", questions=())
            )
            placeholders.add(index)
    lists = {}
    for name, choices in (data.get("lists") or {}).items() if isinstance(data.get("lists"), dict) else ():
        try:
            lists[str(name)] = _CHOICES.validate_python(choices)
        except ValidationError:
            lists[str(name)] = ()
    script = Script.model_construct(
        id=str(data.get("id", "")),
        version=str(data.get("version", "")),
        title="",
        lists=lists,
        questions=tuple(questions),
    )
    return script, frozenset(placeholders)


def load_knowledge(directory: Path) -> Loaded[KnowledgeSource]:
    """Read every knowledge/*.yaml; each file holds one or more top-level sections."""
    if not directory.is_dir():
        return Loaded(
            None, [FileProblem(_display(directory), 1, "missing-file", "the knowledge folder does not exist.")]
        )
    problems: list[FileProblem] = []
    merged: dict[str, object] = {}
    owners: dict[str, Located] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            located = read_yaml(path, _display(path))
        except YamlFileError as error:
            problems.append(error.problem)
            continue
        if not isinstance(located.data, dict):
            problems.append(
                located.problem((), "bad-value", "a knowledge file is a mapping of sections (zones:, timing:, ...).")
            )
            continue
        problems += text_problems(located)
        for section, value in located.data.items():
            if section in merged:
                problems.append(
                    located.problem(
                        (section,), "duplicate-id", f"section '{section}' is also in {owners[section].file}."
                    )
                )
                continue
            merged[section] = value
            owners[section] = located
    if problems:
        return Loaded(None, problems)
    if not owners:
        return Loaded(
            None, [FileProblem(_display(directory), 1, "missing-file", "the knowledge folder has no .yaml files.")]
        )
    try:
        knowledge = Knowledge.model_validate(merged)
    except ValidationError as error:
        first = next(iter(owners.values()))
        for item in error.errors():
            section = str(item["loc"][0]) if item["loc"] else ""
            problems += validation_problems(owners.get(section, first), [item], Knowledge)
        return Loaded(None, problems)
    source = KnowledgeSource(knowledge, owners)
    problems = [source.problem(f.loc, f.code, f.message, f.severity) for f in check_knowledge(knowledge)]
    return Loaded(None if any(p.severity == "error" for p in problems) else source, problems)


def cross_check(script: ScriptSource, knowledge: KnowledgeSource) -> list[FileProblem]:
    problems = []
    for which, finding in check_together(script.script, knowledge.knowledge):
        if which == "script" and script.located is not None:
            problems.append(script.located.problem(finding.loc, finding.code, finding.message, finding.severity))
        elif which == "script":
            problems.append(FileProblem("script", 1, finding.code, finding.message, finding.severity))
        else:
            problems.append(knowledge.problem(finding.loc, finding.code, finding.message, finding.severity))
    return problems


@dataclass
class AnswerFile:
    """An answer file: the answers, an optional pinned ``today`` and an optional ``expect`` section."""

    answers: dict[str, object]
    located: Located
    today: object = None
    expect: object = None


RESERVED_ANSWER_KEYS = ("today", "expect")


def load_answers(path: Path) -> Loaded[AnswerFile]:
    """An answer file: a mapping of question id to answer, with no anchors or aliases."""
    try:
        located = read_yaml(path, _display(path), allow_aliases=False)
    except YamlFileError as error:
        return Loaded(None, [error.problem])
    return _answer_file(located)


def parse_answers(text: str, name: str) -> Loaded[AnswerFile]:
    """Answers typed as an answer file's text (the UI's amendment), read as ``load_answers`` reads a file."""
    try:
        located = parse_yaml(text, name, allow_aliases=False)
    except YamlFileError as error:
        return Loaded(None, [error.problem])
    return _answer_file(located)


def _answer_file(located: Located) -> Loaded[AnswerFile]:
    data = located.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Loaded(None, [located.problem((), "bad-value", "an answer file is a mapping of question id: answer.")])
    answers = {k: v for k, v in data.items() if k not in RESERVED_ANSWER_KEYS}
    return Loaded(AnswerFile(answers, located, data.get("today"), data.get("expect")))


__all__ = [
    "AnswerFile",
    "KnowledgeSource",
    "Loaded",
    "ScriptSource",
    "cross_check",
    "load_answers",
    "load_clinic",
    "load_knowledge",
    "load_script",
    "parse_answers",
]
