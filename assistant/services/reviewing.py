"""The day-14 review kept: its answers read through the review script's flow, made into a ``Review``
by the core, added to the consult's record as a version of kind ``reviewed`` with its audit entry.

The command line (``review CONSULT_ID --answers FILE``) and the UI's review screen both come here, so
a review is kept the same way whoever records it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assistant import locations
from assistant.core.flow import Flow
from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.review_answers import review_from_answers, sided_zones
from assistant.core.lifecycle.staff import NotPermitted
from assistant.core.problems import InvalidAnswers
from assistant.core.repeat import nest
from assistant.core.script import Script
from assistant.files.clinic_file import Loaded
from assistant.files.loaders import load_script
from assistant.files.sources import ScriptSource
from assistant.records.repository import require
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.services.treatment import giving_day, keep


def load_review_script(path: Path | None = None) -> Loaded[ScriptSource]:
    """The review script (default: the shipped prompts/review.yaml), checked like the consult's."""
    return load_script(path or locations.REVIEW_SCRIPT_FILE, planner=False)


def review_answers(script: Script, raw: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Raw answers (a file's, or the screen's) read as the review script asks them, nested; every
    problem raised at once (``InvalidAnswers``)."""
    result = Flow(script, today).read_file(raw)
    if not result.ok:
        raise InvalidAnswers(result.problems)
    return nest(script, result.answers)


def record_review(
    desk: Desk, consult_id: str, by: str, pin: str, script: Script, raw: Mapping[str, Any], kb: KnowledgeBase
) -> ConsultRecord:
    """Read ``raw`` through the review script, check the reviewer's PIN and role, keep the review.
    Answers are checked before the PIN, so a mistake in the file costs no PIN attempt; ``kb`` says
    which zones have sides to differ."""
    record = require(desk.repository, consult_id)
    now = desk.clock()
    answers = review_answers(script, raw, giving_day(now))
    sided = sided_zones(kb.knowledge.zones)
    review_from_answers(record, answers, now, by, script.version, sided)  # a zone not treated: said before the PIN
    if record.given is None:
        raise NotPermitted(rules.no_treatment_to_review(consult_id))
    account = authenticate(desk, by, pin, "review")
    found = review_from_answers(record, answers, now, account.name, script.version, sided)
    return keep(desk, rules.review(record, found, account, now), account.name)
