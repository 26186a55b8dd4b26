"""The patient's explanation, as it will be printed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.steady_header import SteadyHeader


class ExplanationScreen(Screen[None]):
    BINDINGS = [Binding("escape,x", "close", "Back to the plan")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        with VerticalScroll(id="explanation-body"):
            yield Static(self.text.rstrip("\n"), id="explanation-text", markup=False)
        yield SteadyFooter()

    def action_close(self) -> None:
        self.app.pop_screen()
