"""``botulax-consult check``: every problem in a script and the knowledge base, for trainers.

Problems come as ``file:line: [code] message``, sorted by file and line, so a trainer can work down
the list in their editor.
"""

from __future__ import annotations

from pathlib import Path

from assistant import locations
from assistant.core.language_checks import LANGUAGE_QUESTION, offered_languages
from assistant.core.review_script_checks import check_review_script
from assistant.files.clinic_file import display_path
from assistant.files.loaders import KnowledgeSource, ScriptSource, cross_check, load_knowledge, load_script
from assistant.files.versions import RegistryUnusable, VersionRegistry
from assistant.files.yaml_source import FileProblem
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
        if not any(p.severity == "error" for p in problems):
            problems += version_problems(
                script_loaded.value, knowledge_loaded.value, script_path, knowledge_dir, data_dir
            )
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))


def version_problems(
    script: ScriptSource, knowledge: KnowledgeSource, script_path: Path, knowledge_dir: Path, data_dir: Path | None
) -> list[FileProblem]:
    """A warning when a file's content changed but its ``version`` did not (see assistant.files.versions)."""
    registry = VersionRegistry(data_dir)
    problems = []
    checks = (
        ("script", script.script.id, script.script.version, content_hash(script_path), script.located, ("version",)),
        (
            "knowledge",
            knowledge.knowledge.id,
            knowledge.knowledge.version,
            content_hash(*sorted(knowledge_dir.glob("*.yaml"))),
            knowledge.files.get("version"),
            ("version",),
        ),
    )
    for kind, item_id, version, digest, located, loc in checks:
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
                    loc,
                    "version-unchanged",
                    f"the {kind} '{item_id}' changed since version {version} was first checked here, but its "
                    "version did not: raise `version` so consult records tell the two apart.",
                    severity="warning",
                )
            )
    return problems


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
