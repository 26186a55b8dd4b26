"""What the consult UI needs to draw its first question before the engine has loaded.

The engine (pydantic models, the validated script and knowledge) takes longer to import than
Textual takes to start. A script and knowledge base that passed every check are cached under a
hash of their bytes (see ``assistant.files.resources``); next to that cache sits this snapshot of the
first question, so the UI can show it at once and load the engine while the practitioner types.
This module imports nothing but the standard library, on purpose.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant import locations
from assistant.files import private
from assistant.files.reading import WORKBOOK_FILE_LIMIT, YAML_FILE_LIMIT, read_limited

CACHE_FORMAT = 4
"""Raise when the cached objects change shape in a way the model files' hash would not show."""

_MODEL_FILES = ("core/script.py", "core/knowledge_model.py")


def cache_key(script_hash: str | None, knowledge_hash: str | None) -> str | None:
    """A hash of everything the validated cache depends on: the model code and the two files'
    content hashes (see ``content_hash``); None when a file could not be read."""
    models = content_hash(*(locations.PACKAGE_DIR / name for name in _MODEL_FILES))
    if script_hash is None or knowledge_hash is None or models is None:
        return None
    return hashlib.sha256(f"{CACHE_FORMAT}|{sys.version}|{models}|{script_hash}|{knowledge_hash}".encode()).hexdigest()


def file_hashes(script: Path, knowledge: Path) -> tuple[str | None, str | None]:
    """The content hashes of a script file and a knowledge folder, each read once."""
    return script_hashes(script)[0], knowledge_hash(knowledge)


def knowledge_hash(folder: Path) -> str | None:
    """The ``content_hash`` of a knowledge folder's files."""
    return content_hash(*sorted(folder.glob("*.yaml")))


def content_hash(*paths: Path) -> str | None:
    """A short hash of files' bytes (names included), recorded with each consult so a record says
    exactly which script and knowledge it was planned with."""
    digest = hashlib.sha256()
    try:
        for path in paths:
            digest.update(_named(path, read_limited(path, YAML_FILE_LIMIT)))
    except OSError:
        return None
    return digest.hexdigest()[:16]


def _named(path: Path, data: bytes) -> bytes:
    return path.name.encode() + b"\0" + data + b"\0"


def script_hashes(path: Path) -> tuple[str | None, str | None]:
    """A script file's ``content_hash`` and the SHA-256 of its bytes alone, from one reading (start-up
    reads the file once). The SHA-256 leaves the name out: it is what ``script approve`` states, so a
    script approved as an edited copy is still approved once it is put in place under another name."""
    try:
        data = read_limited(path, WORKBOOK_FILE_LIMIT)
    except OSError:
        return None, None
    short = hashlib.sha256(_named(path, data)).hexdigest()[:16] if len(data) <= YAML_FILE_LIMIT else None
    return short, hashlib.sha256(data).hexdigest()


def cache_dir() -> Path:
    return locations.user_cache_dir() / "validated"


@dataclass(frozen=True)
class FirstQuestion:
    """The opening of a consult: enough to draw it, nothing to judge an answer with."""

    question_id: str
    title: str
    intro: str | None
    prompt: str
    hint: str
    total: int
    """How many questions the consult has before any answer (the header's "question 1 of n")."""


def read_first(key: str | None) -> FirstQuestion | None:
    """The snapshot written for exactly this key by this user; anything else (missing, damaged,
    written by another user, renamed from another key) is only a slower start."""
    if key is None:
        return None
    try:
        data = json.loads(private.read_private(cache_dir() / f"{key}.first.json", follow=False))
        if not isinstance(data, dict) or data.pop("key", None) != key:
            return None
        first = FirstQuestion(**data)
    except (OSError, ValueError, TypeError):
        return None
    fields = (first.question_id, first.title, first.prompt, first.hint)
    if not all(isinstance(v, str) for v in fields) or not isinstance(first.intro, str | None):
        return None
    if not isinstance(first.total, int) or isinstance(first.total, bool):
        return None
    return first


def write_first(key: str, first: FirstQuestion) -> None:
    path = cache_dir() / f"{key}.first.json"
    try:
        private.claim_dir(path.parent)
        private.write_private(path, json.dumps({"key": key, **asdict(first)}).encode("utf-8"))
    except OSError:
        pass  # no usable cache folder: the UI starts the slow way
