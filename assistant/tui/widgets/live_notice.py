"""One line saying what was just done to the consult on screen elsewhere: "Given in Room B by Ina
Choi at 10:42" (issue 22.3). Shown under the header of the screen that follows the record; hidden,
taking no room, until something was done elsewhere."""

from __future__ import annotations

from textual.widgets import Static


class LiveNotice(Static):
    DEFAULT_CSS = """
    LiveNotice {
        display: none;
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $accent-muted;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &.-said { display: block; }
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, classes="live-notice")

    def say(self, text: str) -> None:
        self.set_class(bool(text), "-said")
        self.update(text)
