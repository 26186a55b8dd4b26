"""Textual's Header, whose title is drawn again without laying the screen out again.

Header's title is a Static updated with a layout (Textual's default for ``Static.update``), so every
change of the sub-title (the consult sets it at every answer: the patient's name, question n of m)
made Textual lay out the whole screen, the transcript included. The title's size never depends on its
words (the whole width of the header, one line, cut with an ellipsis), so drawing it again is enough.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class SteadyTitle(HeaderTitle):
    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Drawn again in place: its size is the header's, whatever the words."""
        super().update(content, layout=False)


class SteadyHeader(Header):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield SteadyTitle() if type(widget) is HeaderTitle else widget
