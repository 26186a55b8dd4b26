"""How a zone's units are counted is said by the zone: " per side" after a paired zone's units, nothing
after a central zone's (``Zone.per_side``). The plan's why, the knowledge search, the zone summary and
the limits of doses given all ask it, so none of them can drift into "2 U per side" for a glabella."""

from __future__ import annotations

import re
from pathlib import Path

import assistant
from assistant.files.resources import Resources

CORE = Path(assistant.__file__).parent / "core"


def test_a_paired_zone_counts_per_side_and_a_central_one_does_not(resources: Resources) -> None:
    assert resources.kb.zone("crows_feet").per_side == " per side"
    assert resources.kb.zone("glabella").per_side == ""


def test_the_core_says_it_in_one_place() -> None:
    written = re.compile(r"""["'] per side["']\s+if\s+[\w.]*paired\s+else\s+(""|'')""")
    places = sorted(
        path.relative_to(CORE).as_posix()
        for path in CORE.rglob("*.py")
        if written.search(path.read_text(encoding="utf-8"))
    )
    assert places == ["knowledge_zones.py"], places
