"""Everything a consult needs from disk, loaded and checked once: script, knowledge, clinic settings.

Both the CLI and the UI start here, so a broken file is reported the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant import locations
from assistant.core.knowledge import KnowledgeBase
from assistant.core.script import Script
from assistant.files.loaders import (
    KnowledgeSource,
    Loaded,
    ScriptSource,
    cross_check,
    load_clinic,
    load_knowledge,
    load_script,
)
from assistant.files.yaml_source import FileProblem
from assistant.settings import ClinicSettings


@dataclass
class Resources:
    script_source: ScriptSource
    knowledge_source: KnowledgeSource
    kb: KnowledgeBase
    clinic: ClinicSettings
    templates_dir: Path

    @property
    def script(self) -> Script:
        return self.script_source.script


def clinic_path(explicit: Path | None) -> Path:
    """--clinic FILE, else the user's clinic.toml, else the shipped defaults."""
    if explicit is not None:
        return explicit
    user_file = locations.user_clinic_file()
    return user_file if user_file.is_file() else locations.CLINIC_DEFAULTS


def load_resources(
    script: Path | None = None,
    knowledge: Path | None = None,
    clinic: Path | None = None,
    templates: Path | None = None,
) -> Loaded[Resources]:
    """Load and cross-check; the problems list holds every problem found in every file."""
    script_loaded = load_script(script or locations.SCRIPT_FILE)
    knowledge_loaded = load_knowledge(knowledge or locations.KNOWLEDGE_DIR)
    clinic_loaded = load_clinic(clinic_path(clinic))
    problems: list[FileProblem] = [*script_loaded.problems, *knowledge_loaded.problems, *clinic_loaded.problems]
    if script_loaded.value and knowledge_loaded.value:
        problems += cross_check(script_loaded.value, knowledge_loaded.value)
    if any(p.severity == "error" for p in problems) or not (
        script_loaded.value and knowledge_loaded.value and clinic_loaded.value
    ):
        return Loaded(None, problems)
    return Loaded(
        Resources(
            script_source=script_loaded.value,
            knowledge_source=knowledge_loaded.value,
            kb=KnowledgeBase(knowledge_loaded.value.knowledge),
            clinic=clinic_loaded.value,
            templates_dir=templates or locations.TEMPLATES_DIR,
        ),
        problems,
    )
