"""``botulax-consult check``: every problem in a script and the knowledge base, for trainers.

Problems come as ``file:line: [code] message``, sorted by file and line, so a trainer can work down
the list in their editor.
"""

from __future__ import annotations

from pathlib import Path

from assistant import locations
from assistant.files.loaders import cross_check, load_knowledge, load_script
from assistant.files.yaml_source import FileProblem


def lint(script: Path | None = None, knowledge: Path | None = None) -> list[FileProblem]:
    script_loaded = load_script(script or locations.SCRIPT_FILE)
    knowledge_loaded = load_knowledge(knowledge or locations.KNOWLEDGE_DIR)
    problems = [*script_loaded.problems, *knowledge_loaded.problems]
    if script_loaded.value is not None and knowledge_loaded.value is not None:
        problems += cross_check(script_loaded.value, knowledge_loaded.value)
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.code, p.message))
