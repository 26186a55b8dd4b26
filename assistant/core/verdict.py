"""What became of one answer: the flow judges it, an answer file's reading collects the verdicts.

A module of its own because both the flow engine (``Flow.judge``) and the reading of a whole answer
file (``assistant.core.answer_file``) speak of it, and neither should import the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.answers import AnswerValue


@dataclass(frozen=True)
class Verdict:
    """What became of one answer: the typed value, or why it was refused, plus warnings that the
    practitioner must confirm."""

    question_id: str
    value: AnswerValue | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return not self.errors
