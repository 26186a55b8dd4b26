"""Which content each script and knowledge version had, as seen on this computer.

Every consult records its script's and knowledge base's version and content hash. When a trainer
edits a file but forgets to raise its ``version``, two different contents would share one version
in the records; ``check`` warns about it by remembering, per (id, version), the hash it first saw.
Kept as a small JSON file in the data folder, next to the consult records: 0600 in a 0700 folder.
A file that cannot be read as such a registry is named and left as it is, never replaced.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant import locations
from assistant.files import private

Kind = str  # "script" or "knowledge"
Registry = dict[str, dict[str, dict[str, str]]]


class RegistryUnusable(Exception):
    """The registry file exists but cannot be used; ``str()`` says which file, why, and what to do."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"{reason} It was left as it is and versions were not compared; move it aside to start a new one."
        )


def _shape_problem(data: object) -> str | None:
    """What is wrong with the registry's shape ``{kind: {id: {version: hash}}}``, or None."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    for kind, items in data.items():
        if not isinstance(items, dict):
            return f"'{kind}' holds {type(items).__name__}, not an object of ids"
        for item_id, versions in items.items():
            if not isinstance(versions, dict) or not all(isinstance(h, str) for h in versions.values()):
                return f"'{kind}.{item_id}' is not an object of version: hash"
    return None


class VersionRegistry:
    def __init__(self, data_dir: Path | None = None) -> None:
        self.path = (data_dir or locations.user_data_dir()) / "versions.json"

    def _read(self) -> Registry:
        try:
            raw = private.read_private(self.path, follow=False)
        except FileNotFoundError:
            return {}
        except private.UnsafePath as error:
            raise RegistryUnusable(self.path, str(error)) from None
        except OSError as error:
            reason = f"The file {self.path} cannot be read ({error.strerror or error})."
            raise RegistryUnusable(self.path, reason) from None
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise RegistryUnusable(self.path, f"The file {self.path} is damaged: it is not valid JSON.") from None
        problem = _shape_problem(data)
        if problem is not None:
            raise RegistryUnusable(self.path, f"The file {self.path} is damaged: {problem}.")
        return data

    def seen(self, kind: Kind, item_id: str, version: str) -> str | None:
        """The hash first seen for this version, or None when this version is new here.

        Raises ``RegistryUnusable`` when the file cannot be used.
        """
        return self._read().get(kind, {}).get(item_id, {}).get(version)

    def remember(self, kind: Kind, item_id: str, version: str, content_hash: str) -> None:
        """Record a version's hash the first time it is seen (later hashes never overwrite it).

        Raises ``RegistryUnusable`` when the file or its folder cannot be used.
        """
        data = self._read()
        versions = data.setdefault(kind, {}).setdefault(item_id, {})
        if version in versions:
            return
        versions[version] = content_hash
        try:
            private.write_private(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
        except private.UnsafePath as error:
            raise RegistryUnusable(self.path, str(error)) from None
        except OSError as error:
            raise RegistryUnusable(
                self.path, f"The file {self.path} cannot be written ({getattr(error, 'strerror', None) or error})."
            ) from None
