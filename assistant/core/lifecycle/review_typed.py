"""The review as typed on the UI's review screen, read into the review script's answers.

The screen asks one line per treated zone for the effect and one for a residual difference
(``right 1.5 mm``, ``left 2 U``, ``right 1.5 mm 2 U``; empty when the sides match), one line for the
adverse events (``headache mild, bruising moderate``; empty for none) and the satisfaction. These are
read here into the nested answers an answer file would hold, which then go through the review
script's flow like a file's, so the codes and bounds checked are the script's, whoever types them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.core.problems import AnswerProblem, InvalidAnswers

SIDES = {"left": "left", "l": "left", "right": "right", "r": "right"}
_MEASURE = re.compile(r"(\d+(?:\.\d+)?)\s*(mm|u)\b")


def residual_answers(text: str, where: str) -> dict[str, Any]:
    """``right 1.5 mm 2 U`` as ``{stronger_side, difference_mm, difference_units}``; empty: none."""
    words = text.strip().casefold()
    if not words:
        return {}
    first, _, rest = words.partition(" ")
    side = SIDES.get(first)
    leftover = _MEASURE.sub("", rest).strip()
    if side is None or leftover:
        raise InvalidAnswers(
            [
                AnswerProblem(
                    where,
                    f"'{text.strip()}' is not a residual difference: write the side that moves more and its size, "
                    "e.g. 'right 1.5 mm' or 'left 2 U' (or leave it empty when the sides match).",
                )
            ]
        )
    found: dict[str, Any] = {"stronger_side": side}
    for number, unit in _MEASURE.findall(rest):
        found["difference_mm" if unit == "mm" else "difference_units"] = float(number)
    return found


def event_answers(text: str) -> list[dict[str, Any]]:
    """``headache mild, bruising moderate`` as the adverse_events entries; empty: none."""
    entries = []
    for index, part in enumerate(p for p in text.split(",") if p.strip()):
        words = part.split()
        if len(words) != 2:
            raise InvalidAnswers(
                [
                    AnswerProblem(
                        f"adverse_events.{index}",
                        f"'{part.strip()}' is not an event: write its code and severity, e.g. 'headache mild'.",
                    )
                ]
            )
        entries.append({"event": words[0], "severity": words[1]})
    return entries


def typed_review(
    zones: Sequence[str], effects: Mapping[str, str], residuals: Mapping[str, str], events: str, satisfaction: str
) -> dict[str, Any]:
    """The screen's lines as nested review answers (the flow checks codes and bounds after)."""
    findings = []
    for index, zone in enumerate(zones):
        entry: dict[str, Any] = {"zone": zone, "effect": effects.get(zone, "").strip()}
        entry |= residual_answers(residuals.get(zone, ""), f"findings.{index}.stronger_side")
        findings.append(entry)
    answers: dict[str, Any] = {"findings": findings, "adverse_events": event_answers(events)}
    if satisfaction.strip():
        answers["satisfaction"] = satisfaction.strip()
    return answers
