"""The header's line as one widget, for the welcome screen's first frame.

Textual's Header is four widgets (itself, the icon, the title and the clock's space), each with its
styles, its events and its place in the layout: about 3% of the instructions to the first question.
This draws the same line (the icon in its 8 cells, the title centred between them and the clock's
10, cut with an ellipsis when it does not fit) with Header's colours, and opens the palette from the
icon as Header does. The consult screen, drawn once the engine has loaded, has the real Header.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import App
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

ICON = "⭘"
ICON_CELLS, CLOCK_CELLS = 8, 10  # HeaderIcon's width, HeaderClockSpace's


HEADER_CHROME = ICON_CELLS + CLOCK_CELLS + 2
"""Header cells that are not the title's: the icon's 8, the clock's space 10, and one each side."""


NAME_KEPT = 16
"""Cells of the patient's name kept before ``rest`` is cut: a tryout's 80-column header showed "Han… ·
plan (contraindicated)" beside the to-sign count."""


def patient_sub_title(app: App[object], name: str, rest: str) -> str:
    """``name · rest`` for the header, the name cut with an ellipsis so that ``rest`` (question 4 of 16,
    review, plan) shows: a long name pushed the question's number out of an 80-column header. With
    little room, the name keeps ``NAME_KEPT`` cells (all of a shorter one) and ``rest`` is cut instead."""
    room = app.size.width - HEADER_CHROME - app.format_title(app.title, f" · {rest}").cell_length
    if cell_len(name) <= room:
        return f"{name} · {rest}"
    keep = min(cell_len(name), max(room, NAME_KEPT))
    return f"{_cut(name, keep)} · {_cut(rest, max(cell_len(rest) - (keep - max(room, 0)), 1))}"


def _cut(text: str, cells: int) -> str:
    cut = Text(text)
    cut.truncate(max(cells, 1), overflow="ellipsis")
    return cut.plain


@runtime_checkable
class NamesThePatient(Protocol):
    """A screen whose header names the patient (welcome, consult, review, plan)."""

    def header_sub_title(self) -> str:
        """Its ``patient_sub_title``, fitted to the terminal's width now."""
        ...


def refit_header(screen: Screen[object]) -> None:
    """After a resize: the name fitted again to the new width, by the screen whose header it is (the top
    one of those that name the patient; a dialog, the chart or the sheet over it shows its header).
    The screens under the top one hear a resize too: the consult screen under the review would put its
    question's number back, the welcome screen under the consult "new patient"."""
    owner = header_owner(screen.app)
    if owner is screen:
        screen.app.sub_title = owner.header_sub_title()


def header_owner(app: App[object]) -> NamesThePatient | None:
    """The top screen of those that name the patient: the header's sub-title is its own."""
    return next((each for each in reversed(app.screen_stack) if isinstance(each, NamesThePatient)), None)


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._retitled, init=False)
        self.watch(self.app, "sub_title", self._retitled, init=False)

    def _retitled(self) -> None:
        """Drawn again while its screen is on top; under the consult screen, whose header says the
        same, it is not (its screen would be repainted, and the consult screen over it, at every answer)."""
        if self.screen is self.app.screen:
            self.refresh()

    def render(self) -> Content:
        app = self.app
        middle = max(self.size.width - ICON_CELLS - CLOCK_CELLS, 0)
        title = app.format_title(app.title, app.sub_title).center(middle, ellipsis=True)
        return Content.assemble(f" {ICON}".ljust(ICON_CELLS), title, " " * CLOCK_CELLS)

    async def on_click(self, event: events.Click) -> None:
        """The icon opens the command palette, as Header's does."""
        if event.x < ICON_CELLS and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
