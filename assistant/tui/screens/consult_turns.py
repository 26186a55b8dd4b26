"""What one answer adds to the transcript: the question, the answer, the answers it dropped, and
the knowledge base's comments (the first "stop" among them ends the consult, asked in a dialog).
Kept apart from the consult screen so that what is said is read in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.tui.widgets.transcript import AssistantTurn, KnowledgeTurn, StaffTurn, StopTurn, Turn, WarningTurn

if TYPE_CHECKING:
    from assistant.core.advice import Advice
    from assistant.core.search import Hit
    from assistant.services.consult_session import Submission


def answer_turns(
    submission: Submission, shown: str, prompt_of: Callable[[str], str]
) -> tuple[list[Turn], Advice | None]:
    """The turns for an answer taken (``shown``: the answer as the transcript shows it), and the
    advice that stops the consult, if any. ``prompt_of(question_id)``: a question's words."""
    question = submission.question
    turns: list[Turn] = [AssistantTurn(question.prompt), StaffTurn(shown, question.id)]
    if submission.dropped:
        prompts = "; ".join(f"“{prompt_of(qid)}”" for qid in submission.dropped)
        again = "These answers no longer apply, or depend on the change and will be asked again"
        turns.append(AssistantTurn(f"{again}: {prompts}"))
    stop = None
    for advice in submission.advice:
        sources = f"  [{', '.join(advice.sources)}]" if advice.sources else ""
        if advice.tone == "stop":
            stop = advice
            turns.append(StopTurn(advice.text + sources, about=question.id))
        elif advice.tone == "warning":
            turns.append(WarningTurn(advice.text + sources, about=question.id))
        else:
            turns.append(KnowledgeTurn(advice.text + sources, about=question.id))
    return turns, stop


def knowledge_turns(text: str, hits: list[Hit]) -> list[Turn]:
    """What the knowledge base answers to ``text``: its entries found, each with its sources."""
    if not hits:
        return [AssistantTurn(f"Nothing found in the knowledge base for '{text}'.")]
    return [KnowledgeTurn(f"{hit.entry.title}\n{hit.entry.text}  [{', '.join(hit.entry.sources)}]") for hit in hits]
