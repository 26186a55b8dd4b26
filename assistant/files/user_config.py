"""The practitioner's own settings, remembered between sessions (config.toml in the user config folder).

Today it holds the staff name, asked once per terminal session and offered again next time. The
name goes into every consult record, so the file is the practitioner's alone: written 0600 in a
0700 folder, and not read when another user could have written it.
"""

from __future__ import annotations

from pathlib import Path

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant import locations
from assistant.core.text_safety import require_safe_text
from assistant.files import private
from assistant.files.clinic_file import Loaded, display_path, read_toml, settings_problems


class UserConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")

    staff_name: str | None = Field(default=None, max_length=200)

    @field_validator("staff_name")
    @classmethod
    def _plain_text(cls, value: str | None) -> str | None:
        return None if value is None else require_safe_text(value, "A staff name")


def config_file() -> Path:
    return locations.user_config_dir() / "config.toml"


def read_user_config(path: Path | None = None) -> Loaded[UserConfig]:
    """The saved settings, or the defaults with the problem that kept the file from being used
    (a missing file is no problem: nothing was remembered yet)."""
    target = path or config_file()
    read = read_toml(target, display_path(target), owned=True, what="settings file")
    if read.value is None:
        missing = all(p.code == "missing-file" for p in read.problems)
        return Loaded(UserConfig(), [] if missing else read.problems)
    try:
        return Loaded(UserConfig.model_validate(read.value.data))
    except ValidationError as error:
        return Loaded(UserConfig(), settings_problems(display_path(target), read.value, error))


def load_user_config(path: Path | None = None) -> UserConfig:
    """The saved settings; a missing or unusable file gives the defaults (it is only a convenience)."""
    return read_user_config(path).value or UserConfig()


def save_user_config(config: UserConfig, path: Path | None = None) -> None:
    """Write atomically and readable by the owner only (it names the practitioner).

    Raises ``OSError`` (``private.UnsafePath`` for a folder others can change) when it cannot.
    """
    target = path or config_file()
    private.write_private(target, tomli_w.dumps(config.model_dump(exclude_none=True)).encode("utf-8"))
