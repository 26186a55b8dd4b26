"""Everything a consult needs from disk, loaded and checked once: script, knowledge, clinic settings.

Both the CLI and the UI start here, so a broken file is reported the same way everywhere.

Reading YAML with positions is the slowest part of start-up, so a script and knowledge base that
passed every check are kept, validated, in the user's cache folder under a hash of their bytes: an
unchanged pair starts without parsing; any edit (one byte) misses the cache and is checked afresh.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant import locations, startup
from assistant.core.flow import Flow
from assistant.core.hints import answer_hint
from assistant.core.knowledge import KnowledgeBase
from assistant.core.knowledge_model import Knowledge
from assistant.core.script import Script
from assistant.files.clinic_file import Loaded, load_clinic
from assistant.files.problems import FileProblem
from assistant.files.sources import KnowledgeSource, ScriptSource
from assistant.settings import ClinicSettings


@dataclass
class Resources:
    script_source: ScriptSource
    knowledge_source: KnowledgeSource
    kb: KnowledgeBase
    clinic: ClinicSettings
    templates_dir: Path
    script_hash: str | None = None
    knowledge_hash: str | None = None

    @property
    def script(self) -> Script:
        return self.script_source.script


def clinic_path(explicit: Path | None) -> Path:
    """--clinic FILE, else the user's clinic.toml, else the shipped defaults."""
    if explicit is not None:
        return explicit
    user_file = locations.user_clinic_file()
    return user_file if user_file.is_file() else locations.CLINIC_DEFAULTS


def _cache_file(key: str | None) -> Path | None:
    return startup.cache_dir() / f"{key}.pickle" if key else None


def _read_cached(cache: Path | None) -> tuple[ScriptSource, KnowledgeSource] | None:
    if cache is None or not cache.is_file():
        return None
    try:
        script, knowledge = pickle.loads(cache.read_bytes())
    except Exception:  # a stale or damaged cache is only a slower start
        return None
    if not isinstance(script, Script) or not isinstance(knowledge, Knowledge):
        return None
    return ScriptSource(script, None), KnowledgeSource(knowledge, {})


def _write_cached(key: str | None, script: Script, knowledge: Knowledge) -> None:
    cache = _cache_file(key)
    if key is None or cache is None:
        return
    flow = Flow(script, date.today())
    first = flow.next_question({})
    if first is not None:
        snapshot = startup.FirstQuestion(
            first.id, script.title, script.intro, first.prompt, answer_hint(first), len(flow.visible({}))
        )
        startup.write_first(key, snapshot)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps((script, knowledge), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, cache)
    except OSError:
        pass  # no cache folder: every start parses, nothing else changes


def _clinic_problems(clinic: ClinicSettings, knowledge: Knowledge, path: Path) -> list[FileProblem]:
    """Clinic settings that name something the knowledge base does not have (a syringe)."""
    from assistant.files.clinic_file import display_path

    syringes = knowledge.product.syringes
    if syringes.get(clinic.syringe) is not None:
        return []
    ids = ", ".join(s.id for s in syringes.choices)
    return [
        FileProblem(
            display_path(path),
            1,
            "bad-value",
            f"syringe: '{clinic.syringe}' is not a syringe of the knowledge base (choose one of {ids}).",
        )
    ]


def load_resources(
    script: Path | None = None,
    knowledge: Path | None = None,
    clinic: Path | None = None,
    templates: Path | None = None,
    use_cache: bool = True,
) -> Loaded[Resources]:
    """Load and cross-check; the problems list holds every problem found in every file."""
    script_path, knowledge_dir = script or locations.SCRIPT_FILE, knowledge or locations.KNOWLEDGE_DIR
    script_hash, knowledge_hash = startup.file_hashes(script_path, knowledge_dir)
    key = startup.cache_key(script_hash, knowledge_hash) if use_cache else None
    hashes = {"script_hash": script_hash, "knowledge_hash": knowledge_hash}
    cached = _read_cached(_cache_file(key))
    clinic_loaded = load_clinic(clinic_path(clinic))
    if cached is not None and clinic_loaded.value is not None:
        script_source, knowledge_source = cached
        unusable = _clinic_problems(clinic_loaded.value, knowledge_source.knowledge, clinic_path(clinic))
        if unusable:
            return Loaded(None, unusable)
        return Loaded(
            Resources(
                script_source=script_source,
                knowledge_source=knowledge_source,
                kb=KnowledgeBase(knowledge_source.knowledge),
                clinic=clinic_loaded.value,
                templates_dir=templates or locations.TEMPLATES_DIR,
                **hashes,
            ),
            clinic_loaded.problems,
        )
    from assistant.files.loaders import cross_check, load_knowledge, load_script  # the YAML parser, on a miss only

    script_loaded = load_script(script_path)
    knowledge_loaded = load_knowledge(knowledge_dir)
    problems: list[FileProblem] = [*script_loaded.problems, *knowledge_loaded.problems, *clinic_loaded.problems]
    if script_loaded.value and knowledge_loaded.value:
        problems += cross_check(script_loaded.value, knowledge_loaded.value)
    if knowledge_loaded.value and clinic_loaded.value:
        problems += _clinic_problems(clinic_loaded.value, knowledge_loaded.value.knowledge, clinic_path(clinic))
    if any(p.severity == "error" for p in problems) or not (
        script_loaded.value and knowledge_loaded.value and clinic_loaded.value
    ):
        return Loaded(None, problems)
    if not script_loaded.problems and not knowledge_loaded.problems:
        _write_cached(key, script_loaded.value.script, knowledge_loaded.value.knowledge)
    return Loaded(
        Resources(
            script_source=script_loaded.value,
            knowledge_source=knowledge_loaded.value,
            kb=KnowledgeBase(knowledge_loaded.value.knowledge),
            clinic=clinic_loaded.value,
            templates_dir=templates or locations.TEMPLATES_DIR,
            **hashes,
        ),
        problems,
    )
