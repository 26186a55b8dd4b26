"""The practitioner's own settings, remembered between sessions (config.toml in the user config folder).

Today it holds the staff name, asked once per terminal session and offered again next time.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import tomli_w
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant import locations


class UserConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")

    staff_name: str | None = None


def config_file() -> Path:
    return locations.user_config_dir() / "config.toml"


def load_user_config(path: Path | None = None) -> UserConfig:
    """The saved settings; a missing or unreadable file gives the defaults (it is only a convenience)."""
    try:
        return UserConfig.model_validate(tomllib.loads((path or config_file()).read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, ValidationError):
        return UserConfig()


def save_user_config(config: UserConfig, path: Path | None = None) -> None:
    """Write atomically and readable by the owner only (it names the practitioner)."""
    target = path or config_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(tomli_w.dumps(config.model_dump(exclude_none=True)), encoding="utf-8")
    os.chmod(temporary, 0o600)
    os.replace(temporary, target)
