"""Where the shipped script, knowledge and templates live, and where user files go.

An installed wheel carries prompts/ and knowledge/ inside the package (``_shipped``); a source or
editable install reads them from the repository, so trainers' edits there take effect at once.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "botulax-consult"
PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (PACKAGE_DIR.parent / name, PACKAGE_DIR / "_shipped" / name):
        if candidate.is_dir():
            return candidate
    return PACKAGE_DIR.parent / name


PROMPTS_DIR = _shipped("prompts")
KNOWLEDGE_DIR = _shipped("knowledge")
SCRIPT_FILE = PROMPTS_DIR / "consult.yaml"
REVIEW_SCRIPT_FILE = PROMPTS_DIR / "review.yaml"
"""The day-14 review's question script (same format as the consult's; the planner does not read it)."""
TEMPLATES_DIR = PROMPTS_DIR / "templates"
EXAMPLES_DIR = PROMPTS_DIR / "examples"
CLINIC_DEFAULTS = PACKAGE_DIR / "clinic.default.toml"


def user_config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME)


def user_clinic_file() -> Path:
    """A clinic's own settings, used when present and no --clinic is given."""
    return user_config_dir() / "clinic.toml"


def user_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME)


def user_state_dir() -> Path:
    """What the program keeps about this computer's use of a record (the staff register's copy)."""
    return platformdirs.user_state_path(APP_NAME)


def user_cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME)
