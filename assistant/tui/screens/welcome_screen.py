"""The first question, drawn from the start-up snapshot while the engine loads.

It looks like the consult screen's first question, with as few widgets as that takes (each one
adds to the time before the first frame). Typing and editing go into its input; the first key that
would do more (Enter, Esc, F1...) and every key after it wait at the app's key gate until the
consult screen has taken over with the text typed here, and are then applied there in order.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from assistant.startup import FirstQuestion
from assistant.tui.texts import ASK_PLACEHOLDER
from assistant.tui.widgets.keys_bar import KeysBar
from assistant.tui.widgets.title_bar import TitleBar, patient_sub_title, refit_header
from assistant.tui.widgets.transcript import AssistantTurn, Transcript

EDITING_KEYS = frozenset(
    {
        "backspace", "delete", "left", "right", "home", "end", "shift+left", "shift+right", "shift+home",
        "shift+end", "ctrl+left", "ctrl+right", "ctrl+a", "ctrl+e", "ctrl+u", "ctrl+k", "ctrl+w", "ctrl+f",
        "ctrl+d", "ctrl+h", "ctrl+x", "ctrl+c", "ctrl+v", "ctrl+z", "ctrl+y",
    }
)  # fmt: skip
"""Keys the input handles by itself: typed on this screen, they edit the text that is handed over."""


class WelcomeScreen(Screen[None]):
    def __init__(self, first: FirstQuestion) -> None:
        super().__init__()
        self.first = first
        self.loading_shown = False

    @staticmethod
    def edits(key: events.Key) -> bool:
        """True for a key the input applies itself; anything else waits for the consult screen."""
        return key.is_printable or key.key in EDITING_KEYS

    def compose(self) -> ComposeResult:
        yield TitleBar()  # Header's line, one widget
        with Transcript(id="transcript"):
            if self.first.intro:
                yield AssistantTurn(self.first.intro)
        # The question panel's three lines, drawn as in it without its container (consult.tcss)
        yield Static(self.first.prompt, id="question-prompt", markup=False)
        yield Static(self.first.hint, id="answer-hint", markup=False)  # a Label there: the same line
        yield Input(id="answer-text", classes="answer-input", select_on_focus=True)
        yield Static(ASK_PLACEHOLDER, id="ask", classes="-placeholder")  # the real one comes with the engine
        yield KeysBar()  # the footer's line, one widget

    def header_sub_title(self) -> str:
        return patient_sub_title(self.app, "new patient", f"question 1 of {self.first.total}")

    def on_mount(self) -> None:
        self.app.sub_title = self.header_sub_title()
        self.query_one(Input).focus()  # here, not by AUTO_FOCUS: that comes later, and keys typed meanwhile were lost

    def on_resize(self) -> None:
        refit_header(self)

    def show_loading(self) -> None:
        if not self.loading_shown:
            self.loading_shown = True
            self.mount(Static("One moment: loading the knowledge base…", id="loading"), before=self.query_one(KeysBar))

    @property
    def still_typing(self) -> bool:
        """Keys delivered to the input that it has not applied yet (its queue holds them)."""
        from assistant.tui.key_gate import pending

        return pending(self.query_one(Input))

    @property
    def typed(self) -> str:
        """What the practitioner typed so far (keys after an Enter wait at the key gate)."""
        return self.query_one(Input).value
