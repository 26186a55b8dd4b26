"""A second consult for one visit? (issue 22.4): the patient already has a consult planned or given
today. Open that one, or plan a second one on purpose; Esc goes back to the consult (nothing kept).

Nothing is highlighted at first, so an Enter typed ahead cannot choose.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.tui.texts import SAME_DAY_OPEN as OPEN
from assistant.tui.texts import SAME_DAY_SECOND as SECOND


class SameDayScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Back", show=False)]

    def __init__(self, words: str) -> None:
        """``words``: ``Kim Ji-woo already has a consult today, planned at 10:42``."""
        super().__init__()
        self.words = words

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(f"{self.words}: open it instead?", id="dialog-message", markup=False)
            yield OptionList(
                Option("Open it: one visit is one consult", id=OPEN),
                Option("Plan a second consult for today", id=SECOND),
                id="same-day-choice",
            )
            yield Static("Esc goes back to this consult; nothing is kept yet.", markup=False)

    def on_mount(self) -> None:
        choice = self.query_one(OptionList)
        choice.highlighted = None
        choice.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
