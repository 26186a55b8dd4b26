"""The chart's words: who she is, when she is next due, and one consult's whole story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assistant.core.lifecycle.chart import ChartConsult
from assistant.core.lifecycle.tracing import DueEntry

REASONS = {"review": "review", "touch_up": "touch-up window", "retreatment": "retreatment"}


def _at(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def due_text(due: list[DueEntry]) -> str:
    if not due:
        return "Next due: nothing in the coming retreatment interval."
    parts = [
        f"{REASONS[e.reason]} {e.date.isoformat()}" + (f" to {e.until.isoformat()}" if e.until else "") for e in due
    ]
    return "Next due: " + " · ".join(parts)


def story_text(story: ChartConsult, label: Callable[[str], str] = str) -> str:
    """The highlighted consult whole: state, what was given, signatures, amendments, documents."""
    lines = [
        f"Consult {story.consult_id} of {story.date.isoformat()}: {story.state_words}"
        + (f" ({story.status})" if story.status != "planned" else "")
        + f", version {story.version}, run by {story.staff or 'someone'}.",
        f"Planned: {story.planned_units:g} U" + (f", lot {story.lot}" if story.lot else "") + ".",
    ]
    if story.given:
        lines.append(f"Given by {story.given_by}: {story.given_units or 0:g} U")
        for g in story.given:
            lot = f", lot {g.lot}" if g.lot else ""
            why = f" (differs from the plan: {g.reason})" if g.reason else ""
            lines.append(f"  {label(g.zone)} {g.side}: {g.units:g} U{lot}{why}")
    else:
        lines.append("Nothing recorded as given.")
    for s in story.signatures:
        what = "Co-signed" if s.kind == "cosignature" else "Signed"
        lines.append(f"{what} by {s.name} ({s.role}) {_at(s.at)}: {s.meaning}.")
    if not story.signatures:
        lines.append("Not signed.")
    for a in story.amendments:
        lines.append(f"Amended (version {a.version}) {_at(a.at)} by {a.by or 'someone'}: {a.change}; {a.reason or ''}")
    for r in story.reviews:
        flag = "SERIOUS ADVERSE EVENT. " if r.serious else ""
        lines.append(f"{flag}Review {_at(r.at)} by {r.by or 'someone'}: {r.words.removeprefix('reviewed: ')}.")
    for d in story.documents:
        lines.append(f"Documents {d.action} {_at(d.at)}" + (f": {d.detail}" if d.detail else "") + ".")
    if not story.documents:
        lines.append("No documents printed or exported.")
    return "\n".join(lines)
