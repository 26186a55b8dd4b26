"""What ``check`` asks of the review script beyond the script format: the answers the record, the
adverse-event report, the chart flag and the touch-up pre-fill read by meaning must be there, with
the codes they understand. A trainer may reword every label and add questions; renaming one of
these codes would silently lose findings, so it is an error here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from assistant.core.findings import Finding
from assistant.core.lifecycle.review_record import Effect, Severity
from assistant.core.script import ChoiceQuestion, IntegerQuestion, RepeatGroup, Script

NEEDED: dict[tuple[str, str], frozenset[str] | None] = {
    ("findings", "zone"): None,
    ("findings", "effect"): frozenset(get_args(Effect)),
    ("findings", "stronger_side"): frozenset({"left", "right"}),
    ("adverse_events", "event"): None,
    ("adverse_events", "severity"): frozenset(get_args(Severity)),
}
"""(group, question): the codes the program reads by meaning (None: any codes)."""


def check_review_script(script: Script, zone_ids: Iterable[str]) -> list[Finding]:
    """Every missing question or unknown code, at the script's ``questions``; zones must be the
    knowledge base's, and ``serious`` must stay a severity (it flags the chart)."""
    findings: list[Finding] = []
    zones = frozenset(zone_ids)
    for (group_id, question_id), codes in NEEDED.items():
        group = script.question(group_id) if script.has_question(group_id) else None
        if not isinstance(group, RepeatGroup) or not group.has_question(question_id):
            findings.append(
                Finding(
                    ("questions",),
                    "review-needs",
                    f"the review needs a repeat group '{group_id}' with a choice question '{question_id}'.",
                )
            )
            continue
        question = group.question(question_id)
        if not isinstance(question, ChoiceQuestion):
            findings.append(Finding(("questions",), "review-needs", f"'{group_id}.{question_id}' must be a choice."))
            continue
        have = {choice.code for choice in script.choices_for(question)}
        allowed = zones if question_id == "zone" else codes
        if allowed is not None and (unknown := sorted(have - allowed)):
            findings.append(
                Finding(
                    ("lists", question.choices),
                    "review-codes",
                    f"'{group_id}.{question_id}' offers {', '.join(unknown)}, which the program does not read "
                    f"(it reads {', '.join(sorted(allowed))}).",
                )
            )
        if question_id == "severity" and "serious" not in have:
            findings.append(
                Finding(
                    ("lists", question.choices),
                    "review-codes",
                    "the severity 'serious' (it flags the chart) is missing.",
                )
            )
    satisfaction = script.question("satisfaction") if script.has_question("satisfaction") else None
    if not isinstance(satisfaction, IntegerQuestion) or satisfaction.min != 1 or satisfaction.max != 5:
        findings.append(
            Finding(("questions",), "review-needs", "the review needs an integer question 'satisfaction' from 1 to 5.")
        )
    return findings
