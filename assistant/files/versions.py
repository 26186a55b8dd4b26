"""Which content each script and knowledge version had, as seen on this computer.

Every consult records its script's and knowledge base's version and content hash. When a trainer
edits a file but forgets to raise its ``version``, two different contents would share one version
in the records; ``check`` warns about it by remembering, per (id, version), the hash it first saw.
Kept as a small JSON file in the data folder, next to the consult records.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant import locations

Kind = str  # "script" or "knowledge"


class VersionRegistry:
    def __init__(self, data_dir: Path | None = None) -> None:
        self.path = (data_dir or locations.user_data_dir()) / "versions.json"

    def _read(self) -> dict[str, dict[str, dict[str, str]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def seen(self, kind: Kind, item_id: str, version: str) -> str | None:
        """The hash first seen for this version, or None when this version is new here."""
        entry = self._read().get(kind, {}).get(item_id, {})
        value = entry.get(version) if isinstance(entry, dict) else None
        return value if isinstance(value, str) else None

    def remember(self, kind: Kind, item_id: str, version: str, content_hash: str) -> None:
        """Record a version's hash the first time it is seen (later hashes never overwrite it)."""
        data = self._read()
        versions = data.setdefault(kind, {}).setdefault(item_id, {})
        if version in versions:
            return
        versions[version] = content_hash
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # only a warning is lost
