"""A validated script or knowledge base together with where its parts sit in the files.

The positions are only needed to report a problem; a source restored from the validated cache has
none (it had no problems), and this module imports no YAML parser so that start-up need not either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.core.knowledge_model import Knowledge
from assistant.core.script import Script
from assistant.files.problems import FileProblem

if TYPE_CHECKING:
    from assistant.files.workbook_reader import WorkbookLocated
    from assistant.files.yaml_source import Located


@dataclass
class ScriptSource:
    script: Script
    located: Located | WorkbookLocated | None
    """Positions in the file (or cells in the workbook); None when the script came from the validated
    cache (it had no problems)."""


@dataclass
class KnowledgeSource:
    knowledge: Knowledge
    files: dict[str, Located]

    def problem(self, loc: tuple, code: str, message: str, severity: str = "error") -> FileProblem:
        section = str(loc[0]) if loc else ""
        located = self.files.get(section) or next(iter(self.files.values()), None)
        if located is None:
            return FileProblem("knowledge", 1, code, message, severity)
        return located.problem(loc, code, message, severity)
