"""Change the answers of a recorded consult on screen (issue 22.5): its answers as an answer file
gives them, edited in place; Ctrl+S takes them (only what changed is merged onto the current
version, read as a whole and planned again), then the amendment's reason and the PIN are asked.
A change that cannot be planned comes back here with its problems, nothing typed lost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class AmendScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+s", "take", "Take the answers", priority=True),
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    def __init__(self, heading: str, text: str, problems: list[str] | None = None) -> None:
        """``text``: the answers as YAML; ``problems``: why the last try was not taken."""
        super().__init__()
        self.heading = heading
        self.text = text
        self.problems = problems or []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                f"{self.heading}\nChange the answers below; Ctrl+S takes them (the reason and PIN come next), "
                "Esc leaves the consult as it is.",
                id="dialog-message",
                markup=False,
            )
            if self.problems:
                yield Static("\n".join(self.problems), id="amend-problems", markup=False)
            yield TextArea(self.text, id="amend-answers", soft_wrap=True, show_line_numbers=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_take(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
