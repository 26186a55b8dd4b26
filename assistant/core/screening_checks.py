"""The screening questions a contraindication reads are asked of every patient they can apply to,
and answered by a person.

A tryout's trainer gave ``infection_at_site`` a ``default: 'no'``: ``check`` was clean, ``rehearse``
passed, and an answer file without the answer was planned with "Infection at site: no", which nobody
had said. Another gave the pregnancy question ``show_if: sex == 'male' and sex == 'female'``: it was
never asked, and only an example's expected status failed. A question a contraindication reads:

- has no ``default`` (a screening answer is never assumed);
- is required (``required: false`` lets it be skipped);
- has a ``show_if`` that some answers make true, when the answers it reads have a few values each
  (choices, yes or no): one no answers make true hides the question from every patient.

Pure: the script and the knowledge base in, findings out.
"""

from __future__ import annotations

import itertools
from datetime import date

from assistant.core.condition_eval import evaluate
from assistant.core.conditions import referenced_names
from assistant.core.findings import Finding
from assistant.core.knowledge_model import Knowledge
from assistant.core.script import MultipleQuestion, Script, ScriptItem, SingleQuestion, YesNoQuestion

MOST_ANSWERS = 4096
"""The most combinations of answers tried for one ``show_if`` (a few choice questions' worth)."""

_A_DAY = date(2026, 1, 1)  # conditions of choices and yes/no answers read no date; one is needed to evaluate


def check_screening(script: Script, knowledge: Knowledge) -> list[Finding]:
    """The screening questions' problems (see the module's words), each naming the contraindication."""
    read_by: dict[str, str] = {}
    for rule in knowledge.safety.contraindications:
        if rule.effect == "contraindicated":
            for name in sorted(referenced_names(rule.when)):
                if script.has_question(name):
                    read_by.setdefault(name, rule.id)
    findings: list[Finding] = []
    for qid, rule_id in read_by.items():
        question = script.question(qid)
        at = ("questions", script.index_of(qid))
        said = f"question '{qid}' is read by the contraindication '{rule_id}' (safety.yaml)"
        if getattr(question, "default", None) is not None:
            findings.append(
                Finding(
                    (*at, "default"),
                    "screening-default",
                    f"{said} and has a default: a screening answer is never assumed. Remove the default.",
                )
            )
        if not getattr(question, "is_required", True):
            findings.append(
                Finding(
                    (*at, "required"),
                    "screening-optional",
                    f"{said} but may be skipped (required: false): a screening answer is always given.",
                )
            )
        if question.show_if and _never_true(script, question.show_if):
            findings.append(
                Finding(
                    (*at, "show_if"),
                    "screening-hidden",
                    f"{said}, but no answers make its show_if ({question.show_if}) true: it is never asked.",
                )
            )
    return findings


def _never_true(script: Script, condition: str) -> bool:
    """Whether no answers of the questions ``condition`` reads make it true; False when one of them has
    too many answers to try them all (a number, a date, a text), or when it cannot be evaluated."""
    names = sorted(referenced_names(condition))
    values: list[list[object]] = []
    for name in names:
        if not script.has_question(name):
            return False
        found = _answers_of(script, script.question(name))
        if found is None:
            return False
        values.append(found)
    combinations = 1
    for found in values:
        combinations *= len(found)
    if combinations > MOST_ANSWERS:
        return False
    try:
        chosen = itertools.product(*values)
        return not any(evaluate(condition, dict(zip(names, answers, strict=True)), _A_DAY) for answers in chosen)
    except Exception:  # a condition check already names an expression that cannot run
        return False


def _answers_of(script: Script, question: ScriptItem) -> list[object] | None:
    """Every answer ``question`` can have (unanswered too), or None for too many to try."""
    if isinstance(question, YesNoQuestion):
        return [True, False, None]
    if isinstance(question, SingleQuestion):
        return [*(c.code for c in script.choices_for(question)), None]
    if isinstance(question, MultipleQuestion):
        codes = [c.code for c in script.choices_for(question)]
        if len(codes) > 8:
            return None
        subsets = itertools.chain.from_iterable(itertools.combinations(codes, n) for n in range(len(codes) + 1))
        return [list(subset) for subset in subsets]
    return None
