"""``botulax-consult check``: every problem in a script and the knowledge base, for trainers.

Problems come as ``file:line: [code] message``, sorted by file and line, so a trainer can work down
the list in their editor.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel

from assistant import locations
from assistant.clock import today
from assistant.core.language_checks import LANGUAGE_QUESTION, offered_languages
from assistant.core.review_script_checks import check_review_script
from assistant.files.clinic_file import display_path
from assistant.files.consent_forms import load_consent_forms
from assistant.files.loaders import KnowledgeSource, ScriptSource, cross_check, load_knowledge, load_script
from assistant.files.versions import RegistryUnusable, VersionRegistry
from assistant.files.yaml_source import FileProblem
from assistant.services.example_breaks import breaks_message, unanswered_questions
from assistant.services.template_checks import template_problems
from assistant.startup import content_hash


def lint(
    script: Path | None = None,
    knowledge: Path | None = None,
    data_dir: Path | None = None,
    review_script: Path | None = None,
) -> list[FileProblem]:
    """``review_script``: the day-14 review's script (default: the shipped one), checked with them."""
    script_path, knowledge_dir = script or locations.SCRIPT_FILE, knowledge or locations.KNOWLEDGE_DIR
    script_loaded = load_script(script_path)
    knowledge_loaded = load_knowledge(knowledge_dir)
    problems = [*script_loaded.problems, *knowledge_loaded.problems]
    review_loaded = load_script(review_script or locations.REVIEW_SCRIPT_FILE, planner=False)
    problems += review_loaded.problems
    if review_loaded.value is not None and knowledge_loaded.value is not None:
        zones = [zone.id for zone in knowledge_loaded.value.knowledge.zones]
        located = review_loaded.value.located
        problems += [
            located.problem(f.loc, f.code, f.message, f.severity)
            for f in check_review_script(review_loaded.value.script, zones)
        ]
    if script_loaded.value is not None and knowledge_loaded.value is not None:
        problems += cross_check(script_loaded.value, knowledge_loaded.value)
        problems += language_template_problems(script_loaded.value)
        problems += example_problems(script_loaded.value)
        if not any(p.severity == "error" for p in problems):
            problems += version_problems(
                script_loaded.value, knowledge_loaded.value, script_path, knowledge_dir, data_dir
            )
    problems += load_consent_forms(script_path).problems
    problems += template_problems()
    return sorted(set(problems), key=lambda p: (p.file, p.cell or "", p.line, p.code, p.message))


def example_problems(script: ScriptSource, folder: Path | None = None) -> list[FileProblem]:
    """A warning at each required question the example answer files do not answer, naming them."""
    problems = []
    for question_id, files in unanswered_questions(script.script, folder or locations.EXAMPLES_DIR, today()).items():
        message = breaks_message(question_id, files)
        if script.located is not None:
            index = script.script.index_of(question_id)
            problems.append(script.located.problem(("questions", index), "breaks-example", message, "warning"))
        else:
            problems.append(FileProblem("script", 1, "breaks-example", message, "warning"))
    return problems


def version_problems(
    script: ScriptSource, knowledge: KnowledgeSource, script_path: Path, knowledge_dir: Path, data_dir: Path | None
) -> list[FileProblem]:
    """A warning when a file's content changed but its ``version`` did not (see assistant.files.versions).

    An edited copy (``--script``, ``--knowledge``) is compared with the shipped file it replaces, and
    is remembered under its own path, so that checking a copy never blames the untouched shipped file.
    A copy is remembered by its content, not its bytes: a workbook saved again unchanged is the same.
    """
    registry = VersionRegistry(data_dir)
    problems: list[FileProblem] = []
    script_shipped = _same_path(script_path, locations.SCRIPT_FILE)
    knowledge_shipped = _same_path(knowledge_dir, locations.KNOWLEDGE_DIR)
    checks = []
    if script_shipped or not _against_shipped(script, None, problems):
        digest = content_hash(script_path) if script_shipped else _model_hash(script.script)
        kind = "script" if script_shipped else f"script:{script_path.resolve()}"
        checks.append((kind, "script", script.script.id, script.script.version, digest, script.located))
    if knowledge_shipped or not _against_shipped(None, knowledge, problems):
        digest = (
            content_hash(*sorted(knowledge_dir.glob("*.yaml")))
            if knowledge_shipped
            else _model_hash(knowledge.knowledge)
        )
        kind = "knowledge" if knowledge_shipped else f"knowledge:{knowledge_dir.resolve()}"
        located = knowledge.files.get("version")
        checks.append((kind, "knowledge", knowledge.knowledge.id, knowledge.knowledge.version, digest, located))
    for kind, word, item_id, version, digest, located in checks:
        if digest is None:
            continue
        try:
            before = registry.seen(kind, item_id, version)
            if before is None:
                registry.remember(kind, item_id, version, digest)
        except RegistryUnusable as error:
            return [FileProblem(display_path(error.path), 1, "unusable-file", str(error), severity="warning")]
        if before is not None and before != digest and located is not None:
            problems.append(
                located.problem(
                    ("version",),
                    "version-unchanged",
                    f"the {word} '{item_id}' changed since version {version} was first checked here, but its "
                    "version did not: raise `version` so consult records tell the two apart.",
                    severity="warning",
                )
            )
    return problems


def _same_path(path: Path, shipped: Path) -> bool:
    try:
        return path.resolve() == shipped.resolve()
    except OSError:
        return False


def _model_hash(model: BaseModel) -> str:
    return hashlib.sha256(model.model_dump_json().encode("utf-8")).hexdigest()


def _against_shipped(
    script: ScriptSource | None, knowledge: KnowledgeSource | None, problems: list[FileProblem]
) -> bool:
    """Whether the copy keeps the shipped file's id and version; a warning into ``problems`` when its
    content differs all the same (the copy is named, never the shipped file)."""
    if script is not None:
        shipped_script = load_script(locations.SCRIPT_FILE).value
        if shipped_script is None:
            return False
        mine, theirs, where, word = script.script, shipped_script.script, script.located, "script"
        shipped_name = display_path(locations.SCRIPT_FILE)
    elif knowledge is not None:
        shipped_knowledge = load_knowledge(locations.KNOWLEDGE_DIR).value
        if shipped_knowledge is None:
            return False
        mine, theirs, where, word = (
            knowledge.knowledge,
            shipped_knowledge.knowledge,
            knowledge.files.get("version"),
            "knowledge",
        )
        shipped_name = display_path(locations.KNOWLEDGE_DIR)
    else:
        return False
    if (mine.id, mine.version) != (theirs.id, theirs.version):
        return False
    if mine != theirs and where is not None:
        problems.append(
            where.problem(
                ("version",),
                "version-unchanged",
                f"this {word} differs from the shipped {shipped_name} it replaces but keeps its version "
                f"{mine.version}: raise `version` so consult records tell the two apart.",
                severity="warning",
            )
        )
    return True


# --- patient languages: each language the script offers has its patient templates ---------------------


def language_template_problems(script: ScriptSource, templates_dir: Path | None = None) -> list[FileProblem]:
    """An error for each language of the script's ``patient_language`` list that has no
    ``patient_explanation.<language>.{txt,html}.j2`` (English uses ``patient_explanation.{txt,html}.j2``):
    without them the patient would get the English sheet."""
    folder = templates_dir or locations.TEMPLATES_DIR
    question = script.script.question(LANGUAGE_QUESTION) if script.script.has_question(LANGUAGE_QUESTION) else None
    list_name = getattr(question, "choices", None)
    problems = []
    for index, language in enumerate(offered_languages(script.script)):
        infix = "" if language == "en" else f".{language}"
        missing = [
            name
            for name in (f"patient_explanation{infix}.txt.j2", f"patient_explanation{infix}.html.j2")
            if not (folder / name).is_file()
        ]
        if not missing:
            continue
        message = (
            f"the script offers the patient language '{language}', but {display_path(folder)}/ has no "
            f"{' or '.join(missing)}: write the template (start from a copy of the English one), "
            "or the patient would get the English sheet."
        )
        if script.located is not None:
            problems.append(script.located.problem(("lists", list_name, index, "code"), "missing-template", message))
        else:
            problems.append(FileProblem("script", 1, "missing-template", message))
    return problems
