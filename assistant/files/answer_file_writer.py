"""A kept consult's answers written as an answer file (``show --answers-file FILE``, issue 22.5):
the file ``run`` plans again and ``amend --answers`` takes, edited or cut down to what changes.

Written as YAML in the order the consult asked, with a comment saying where it came from; the file
holds patient data, so it is written private (``output.write_output``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from assistant.core.answer_merge import as_answer_file
from assistant.files.output import write_output


def answer_file_text(answers: Mapping[str, Any], day: dt.date, consult_id: str, version: int) -> str:
    """The YAML text: a heading comment, ``today``, then the answers."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None  # lists inline, as the example files write them
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    stream = io.StringIO()
    yaml.dump(as_answer_file(answers, day), stream)
    heading = (
        f"# The answers of consult {consult_id}, version {version}.\n"
        "# botulax-consult run FILE plans them again; for amend --answers FILE keep only the answers that change.\n"
    )
    return heading + stream.getvalue()


def write_answer_file(path: Path, answers: Mapping[str, Any], day: dt.date, consult_id: str, version: int) -> Path:
    return write_output(path, answer_file_text(answers, day, consult_id, version).encode("utf-8"))
