"""Everything a consult needs from disk, loaded and checked once: script, knowledge, clinic settings.

Both the CLI and the UI start here, so a broken file is reported the same way everywhere.

Reading YAML with positions is the slowest part of start-up, so a script and knowledge base that
passed every check are kept, validated, in the user's cache folder under a hash of their bytes: an
unchanged pair starts without parsing; any edit (one byte) misses the cache and is checked afresh.

The cache is JSON validated back into the models on every read, never a format that can run code
(pickle would run whatever another user planted there). Its folder is 0700 and its files 0600; a
file that another user could have written, or that names another key, is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant import locations, startup
from assistant.core.flow import Flow
from assistant.core.hints import answer_hint
from assistant.core.knowledge import KnowledgeBase
from assistant.core.knowledge_model import Knowledge
from assistant.core.script import Script
from assistant.files import private
from assistant.files.clinic_file import Loaded, load_clinic
from assistant.files.consent_forms import ConsentForms, forms_folder  # no YAML parser until forms are read
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
    script_sha256: str | None = None
    """The script file's SHA-256 (bytes only), matched with the approvals (``script approve``)."""
    clinic_file: Path | None = None
    """--clinic FILE when given (None: the user's clinic.toml, once there is one), read again for the
    idle lock's minutes while the app runs."""

    consent_dir: Path | None = None
    """The consent forms' folder (``consent`` beside the script); None: the shipped prompts/consent."""

    @property
    def script(self) -> Script:
        return self.script_source.script

    def consent_forms(self) -> ConsentForms:
        """The consent forms as they are on disk now (read on each use: trainers may edit them)."""
        from assistant.files.consent_forms import load_consent_forms

        return load_consent_forms(folder=self.consent_dir)


def clinic_path(explicit: Path | None) -> Path:
    """--clinic FILE, else the user's clinic.toml, else the shipped defaults."""
    if explicit is not None:
        return explicit
    user_file = locations.user_clinic_file()
    return user_file if user_file.is_file() else locations.CLINIC_DEFAULTS


def _cache_file(key: str | None) -> Path | None:
    return startup.cache_dir() / f"{key}.json" if key else None


def _read_cached(key: str | None) -> tuple[ScriptSource, KnowledgeSource] | None:
    cache = _cache_file(key)
    if key is None or cache is None:
        return None
    from pydantic import ValidationError

    from assistant.files.validated_cache import Cached

    try:
        cached = Cached.model_validate_json(private.read_private(cache, follow=False))
    except (OSError, ValueError, ValidationError):  # missing, damaged, or not ours: only a slower start
        return None
    if cached.key != key:  # a file renamed from another script's key
        return None
    return ScriptSource(cached.script, None), KnowledgeSource(cached.knowledge, {})


def _write_cached(key: str | None, script: Script, knowledge: Knowledge) -> None:
    cache = _cache_file(key)
    if key is None or cache is None:
        return
    flow = Flow(script, date.today())
    first = flow.next_question({})
    if first is not None:
        snapshot = startup.FirstQuestion(
            first.id, script.title, script.intro, first.prompt, answer_hint(first, script), len(flow.visible({}))
        )
        startup.write_first(key, snapshot)
    from assistant.files.validated_cache import Cached

    try:
        private.claim_dir(cache.parent)
        payload = Cached(key=key, script=script, knowledge=knowledge).model_dump_json()
        private.write_private(cache, payload.encode("utf-8"))
    except OSError:
        pass  # no usable cache folder: every start parses, nothing else changes


def _clinic_problems(clinic: ClinicSettings, knowledge: Knowledge, path: Path) -> list[FileProblem]:
    """Clinic settings that name something the knowledge base does not have (a syringe, a vial
    size the label gives no saline for)."""
    from assistant.core.dilution import vial_problem
    from assistant.files.clinic_file import display_path

    problems = []
    syringes = knowledge.product.syringes
    if syringes.get(clinic.syringe) is None:
        ids = ", ".join(s.id for s in syringes.choices)
        message = f"syringe: '{clinic.syringe}' is not a syringe of the knowledge base (choose one of {ids})."
        problems.append(FileProblem(display_path(path), 1, "bad-value", message))
    vial = vial_problem(knowledge.product, clinic)
    if vial is not None:
        problems.append(FileProblem(display_path(path), _line_of(path, "vial_units"), "bad-value", vial))
    return problems


def _line_of(path: Path, key: str) -> int:
    """The line of ``key = ...`` in a settings file (1 when it cannot be read)."""
    from assistant.files.clinic_file import TomlDocument

    try:
        return TomlDocument({}, path.read_text(encoding="utf-8")).line_of(key)
    except (OSError, UnicodeDecodeError):
        return 1


def load_resources(
    script: Path | None = None,
    knowledge: Path | None = None,
    clinic: Path | None = None,
    templates: Path | None = None,
    use_cache: bool = True,
) -> Loaded[Resources]:
    """Load and cross-check; the problems list holds every problem found in every file."""
    script_path, knowledge_dir = script or locations.SCRIPT_FILE, knowledge or locations.KNOWLEDGE_DIR
    script_hash, script_sha256 = startup.script_hashes(script_path)
    knowledge_hash = startup.knowledge_hash(knowledge_dir)
    key = startup.cache_key(script_hash, knowledge_hash) if use_cache else None
    hashes = {"script_hash": script_hash, "knowledge_hash": knowledge_hash, "script_sha256": script_sha256}
    cached = _read_cached(key)
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
                clinic_file=clinic,
                consent_dir=forms_folder(script),
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
            clinic_file=clinic,
            consent_dir=forms_folder(script),
            **hashes,
        ),
        problems,
    )
