"""From the review script's answers to the ``Review`` a record keeps, and back to the words it says.

The review script (prompts/review.yaml) is read by the same flow as the consult script; its answers
arrive here nested (``findings: [{zone, effect, ...}]``, ``adverse_events: [{event, severity}]``,
``satisfaction``). Only the zones the consult treated are taken: a finding on another zone is a
mistake, named, and nothing is kept. Pure: the moment and the reviewer are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from assistant.core.knowledge_model import Zone
from assistant.core.lifecycle.record import ConsultRecord, jsonable_answers
from assistant.core.lifecycle.review_record import AdverseEventFound, Review, ZoneFinding
from assistant.core.problems import AnswerProblem, InvalidAnswers

FINDINGS = "findings"
ADVERSE_EVENTS = "adverse_events"
SATISFACTION = "satisfaction"


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def sided_zones(zones: Iterable[Zone]) -> set[str]:
    """The zones a residual left-right difference can be found in: the paired ones, and the central
    ones that can be split in halves for a measured asymmetry (the forehead's brows)."""
    return {zone.id for zone in zones if zone.paired or zone.split_sides is not None}


def review_from_answers(
    record: ConsultRecord,
    answers: Mapping[str, Any],
    at: dt.datetime,
    by: str | None,
    script_version: str | None,
    sided: Collection[str],
) -> Review:
    """The review of ``record`` the nested ``answers`` say; ``InvalidAnswers`` naming each finding on a
    zone the consult did not treat (the review is of this treatment, not of another), and a stronger
    side named for a zone not in ``sided`` (``sided_zones``: a central zone that cannot be split; a
    tryout's "right 1.5 mm" for the glabella was kept)."""
    treated = record.treated_zones
    problems: list[AnswerProblem] = []
    findings: list[ZoneFinding] = []
    for index, entry in enumerate(answers.get(FINDINGS) or ()):
        zone = entry.get("zone")
        if zone not in treated:
            shown = ", ".join(treated) or "none"
            problems.append(
                AnswerProblem(
                    f"{FINDINGS}.{index}.zone",
                    f"'{zone}' was not treated in consult {record.consult_id} (treated: {shown}).",
                )
            )
            continue
        side = entry.get("stronger_side") or None
        if side and zone not in sided:
            problems.append(
                AnswerProblem(
                    f"{FINDINGS}.{index}.stronger_side",
                    f"'{zone}' is treated as one central zone: it has no left and right side to differ "
                    "(leave the stronger side empty).",
                )
            )
            continue
        findings.append(
            ZoneFinding(
                zone=zone,
                effect=entry["effect"],
                stronger_side=side,
                difference_mm=_number(entry.get("difference_mm")) if side else None,
                difference_units=_number(entry.get("difference_units")) if side else None,
            )
        )
    if problems:
        raise InvalidAnswers(problems)
    events = tuple(
        AdverseEventFound(
            event=entry["event"],
            severity=entry["severity"],
            onset=_date(entry.get("onset")),
            note=entry.get("note") or None,
        )
        for entry in answers.get(ADVERSE_EVENTS) or ()
    )
    satisfaction = answers.get(SATISFACTION)
    return Review(
        at=at,
        by=by,
        findings=tuple(findings),
        adverse_events=events,
        satisfaction=satisfaction if isinstance(satisfaction, int) else None,
        answers=jsonable_answers(answers),
        script_version=script_version,
    )


def review_words(review: Review) -> str:
    """The change note of a review's version: effects, differences and events in a line."""
    parts = []
    for finding in review.findings:
        text = f"{finding.zone} {finding.effect}"
        if finding.stronger_side:
            measured = [f"{finding.difference_mm:g} mm"] if finding.difference_mm is not None else []
            measured += [f"{finding.difference_units:g} U"] if finding.difference_units is not None else []
            text += f", {finding.stronger_side} stronger" + (f" by {' / '.join(measured)}" if measured else "")
        parts.append(text)
    if review.adverse_events:
        parts.append("events: " + ", ".join(f"{e.event} ({e.severity})" for e in review.adverse_events))
    else:
        parts.append("no adverse event")
    if review.satisfaction is not None:
        parts.append(f"satisfaction {review.satisfaction}/5")
    return "reviewed: " + "; ".join(parts)


def latest_review(record: ConsultRecord) -> Review | None:
    return record.reviews[-1] if record.reviews else None


def serious_events(record: ConsultRecord) -> tuple[AdverseEventFound, ...]:
    """Every serious adverse event the record's reviews found (the chart flags them)."""
    return tuple(e for review in record.reviews for e in review.adverse_events if e.severity == "serious")


def event_date(review: Review, event: AdverseEventFound) -> dt.date:
    """An event is dated by its onset when known, else by the review that found it."""
    return event.onset or review.at.date()
