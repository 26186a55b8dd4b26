"""The day-14 review on screen, opened from "Who is due" (F7): per treated zone the effect and any
residual left/right difference, the adverse events and the patient's satisfaction.

The words on screen are the review script's (prompts/review.yaml: its prompts and its coded lists),
and what is typed is read through its flow before anything is asked further, so a mistake is said
here, at once, in one sentence. Enter moves to the next line; on the last line it checks and hands
the answers back (the PIN is asked next, by the collaborator that keeps the review).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from assistant.core.lifecycle.review_typed import typed_review
from assistant.core.problems import InvalidAnswers
from assistant.core.script import Script


def _codes(script: Script, name: str) -> str:
    return ", ".join(choice.code for choice in script.lists.get(name, ()))


class TreatmentReviewScreen(ModalScreen[dict[str, Any] | None]):
    """Answers (nested, as a review answer file holds them) or None (Esc: nothing kept)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self,
        heading: str,
        zones: Sequence[tuple[str, str]],
        script: Script,
        today: dt.date,
        sided: Collection[str],
    ) -> None:
        """``zones``: (id, label) of each zone the consult treated; ``sided``: the zones with sides
        (``review_answers.sided_zones``), the only ones a residual left-right difference is asked for."""
        super().__init__()
        self.heading = heading
        self.zones = list(zones)
        self.sided = set(sided)
        self.script = script
        self.today = today

    def _prompt(self, group: str, question: str) -> str:
        return self.script.question(group).question(question).prompt  # type: ignore[union-attr]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(f"{self.heading} Enter goes to the next line; Esc leaves, keeping nothing.", markup=False)
            with VerticalScroll(id="review-lines"):
                effect = self._prompt("findings", "effect")
                side = self._prompt("findings", "stronger_side")
                for zone, label in self.zones:
                    yield Static(f"{label}: {effect} ({_codes(self.script, 'effect')})", markup=False)
                    yield Input(placeholder="none, partial or full", id=f"effect-{zone}")
                    if zone in self.sided:  # a central zone (the glabella) has no sides to differ
                        yield Static(f"  {side} e.g. 'right 1.5 mm' or 'left 2 U'", markup=False)
                        yield Input(placeholder="empty: the sides match", id=f"residual-{zone}")
                yield Static(
                    f"{self.script.question('adverse_events').prompt} Codes: {_codes(self.script, 'adverse_event')}; "
                    f"severity: {_codes(self.script, 'severity')}. E.g. 'headache mild, bruising mild'.",
                    markup=False,
                )
                yield Input(placeholder="empty: none", id="review-events")
                yield Static(self.script.question("satisfaction").prompt, markup=False)
                yield Input(placeholder="1 to 5", id="review-satisfaction")
            yield Static("", id="review-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#review-problem", Static).display = False
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        place = inputs.index(event.input)
        if place < len(inputs) - 1:
            inputs[place + 1].focus()
            return
        self._finish()

    def _finish(self) -> None:
        from assistant.services.reviewing import review_answers

        value = lambda key: self.query_one(f"#{key}", Input).value  # noqa: E731
        ids = [zone for zone, _ in self.zones]
        try:
            answers = typed_review(
                ids,
                {zone: value(f"effect-{zone}") for zone in ids},
                {zone: value(f"residual-{zone}") if zone in self.sided else "" for zone in ids},
                value("review-events"),
                value("review-satisfaction"),
            )
            review_answers(self.script, answers, self.today)
        except InvalidAnswers as error:
            problem = error.problems[0]
            shown = self.query_one("#review-problem", Static)
            shown.update(f"{problem.message} ({problem.question_id})")
            shown.display = True
            self._focus_on(problem.question_id)
            return
        self.dismiss(answers)

    def _focus_on(self, question_id: str) -> None:
        """The line the problem is in, so typing goes where it is to be corrected."""
        parts = question_id.split(".")
        target = {"adverse_events": "review-events", "satisfaction": "review-satisfaction"}.get(parts[0])
        if parts[0] == "findings" and len(parts) > 2:
            zone = self.zones[int(parts[1])][0]
            target = f"effect-{zone}" if parts[2] == "effect" or zone not in self.sided else f"residual-{zone}"
        if target is not None:
            self.query_one(f"#{target}", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
