"""The first question, drawn from the start-up snapshot while the engine loads.

It looks like the consult screen's first question, with as few widgets as that takes (each one
adds to the time before the first frame). What is typed here, and an Enter pressed before loading
ends, is handed to the real consult screen, so nothing is lost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from assistant.startup import FirstQuestion
from assistant.tui.texts import ASK_PLACEHOLDER
from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.transcript import AssistantTurn, Transcript


class WelcomeScreen(Screen[None]):
    def __init__(self, first: FirstQuestion) -> None:
        super().__init__()
        self.first = first
        self.submitted = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Transcript(id="transcript"):
            if self.first.intro:
                yield AssistantTurn(self.first.intro)
            yield AssistantTurn(self.first.prompt)
        with Vertical(id="question-panel"):
            yield Label(self.first.hint, id="answer-hint")
            yield Input(id="answer-text", classes="answer-input", select_on_focus=True)
        yield Static(ASK_PLACEHOLDER, id="ask", classes="-placeholder")  # the real one comes with the engine
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.app.sub_title = f"new patient · question 1 of {self.first.total}"
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.submitted:
            self.submitted = True
            self.mount(
                Static("One moment: loading the knowledge base…", id="loading"), before=self.query_one(SteadyFooter)
            )

    @property
    def typed(self) -> tuple[str, bool]:
        """What the practitioner typed so far, and whether they pressed Enter."""
        return self.query_one(Input).value, self.submitted
