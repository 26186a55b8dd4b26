"""Helpers for tests: answer sets to start from."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 24)


def base_answers(**overrides: object) -> dict[str, object]:
    """A complete, unremarkable consult; tests override what they are about."""
    answers: dict[str, object] = {
        "patient_name": "Test Patient",
        "sex": "female",
        "pregnant_or_breastfeeding": False,
        "neuromuscular_disorder": False,
        "infection_at_site": False,
        "toxin_allergy": False,
        "aminoglycosides": False,
        "zones": ["glabella"],
        "age": 35,
        "skin_thickness": "normal",
        "muscle_strength": "average",
        "effect": "standard",
        "prior_treatment_date": "never",
        "asymmetry": False,
    }
    answers.update(overrides)
    return answers


def copy_sources(folder: Path) -> tuple[Path, Path]:
    """A copy of the shipped script and knowledge folder that a test may edit: (script, knowledge)."""
    from assistant import locations

    knowledge = folder / "knowledge"
    shutil.copytree(locations.KNOWLEDGE_DIR, knowledge)
    script = folder / "consult.yaml"
    shutil.copy(locations.SCRIPT_FILE, script)
    return script, knowledge


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in a file; returns the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def owner_only_file(path: Path, text: str) -> Path:
    """A settings file as its owner would keep it (0600), so only its contents are under test."""
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def run_limited(
    argv: list[str], seconds: float, *, memory: int | None = None
) -> subprocess.CompletedProcess[str] | None:
    """Run a child process from the repository with a time (and memory) limit; None when it was
    still running at the limit, so code that hangs fails its test instead of hanging the suite."""
    import resource

    from assistant import locations

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        return subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds, preexec_fn=limit, cwd=locations.PACKAGE_DIR.parent
        )
    except subprocess.TimeoutExpired:
        return None
