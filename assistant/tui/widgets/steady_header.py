"""Textual's Header, whose title is drawn again without laying the screen out again.

Header's title is a Static updated with a layout (Textual's default for ``Static.update``), so every
change of the sub-title (the consult sets it at every answer: the patient's name, question n of m)
made Textual lay out the whole screen, the transcript included. The title's size never depends on its
words (the whole width of the header, one line, cut with an ellipsis), so drawing it again is enough.

Header also followed the titles from a callback queued on the header, which looked its title up with
``query_one``: when a screen is taken down, its header's title goes first, and a title changed in
between (the consult screen giving way to the plan as the patient's name is set) stopped the app with
NoMatches. This header follows them at once, and lets a change go when its title is already gone.
"""

from __future__ import annotations

from contextlib import suppress

from textual.app import ComposeResult
from textual.dom import NoScreen
from textual.events import Mount
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

    def _on_mount(self, event: Mount) -> None:
        """Instead of Header's: the same four titles followed, drawn at once, none missed or fatal."""
        event.prevent_default()

        def set_title() -> None:
            for title in self.query(SteadyTitle):
                with suppress(NoScreen):  # the header itself already off its screen
                    title.update(self.format_title())

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
