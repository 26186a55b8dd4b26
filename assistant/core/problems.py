"""Problems with a consult's answers, each naming the question it is about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerProblem:
    """Something wrong with an answer, in words the practitioner understands."""

    question_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.question_id}: {self.message}"


class InvalidAnswers(ValueError):
    """Answers that cannot make a consult or a plan; every problem is listed, not just the first."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
