"""Textual's Header, whose title is drawn again without laying the screen out again.

Header's title is a Static updated with a layout (Textual's default for ``Static.update``), so every
change of the sub-title (the consult sets it at every answer: the patient's name, question n of m)
made Textual lay out the whole screen, the transcript included. The title's size never depends on its
words (the whole width of the header, one line, cut with an ellipsis), so drawing it again is enough.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

HEADER_CHROME = 18 + 2
"""Header cells that are not the title's: the icon's 8, the clock's space 10, and one each side."""


def patient_sub_title(app: App[object], name: str, rest: str) -> str:
    """``name · rest`` for the header, the name cut with an ellipsis so that ``rest`` (question 4 of 16,
    review, plan) always shows: a long name pushed the question's number out of an 80-column header."""
    room = app.size.width - HEADER_CHROME - app.format_title(app.title, f" · {rest}").cell_length
    if cell_len(name) > room:
        cut = Text(name)
        cut.truncate(max(room, 1), overflow="ellipsis")
        name = cut.plain
    return f"{name} · {rest}"


class SteadyTitle(HeaderTitle):
    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Drawn again in place: its size is the header's, whatever the words."""
        super().update(content, layout=False)


class SteadyHeader(Header):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield SteadyTitle() if type(widget) is HeaderTitle else widget
