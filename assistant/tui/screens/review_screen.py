"""All answers on one page before planning; any row can be changed.

Questions and answers are wrapped to the columns (never cut), and shown as typed (a name with
square brackets is a name, not markup); the table is laid out again when the terminal resizes.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from assistant.services.consult_session import ConsultSession
from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.server_line import ServerLine
from assistant.tui.widgets.steady_header import SteadyHeader
from assistant.tui.widgets.title_bar import patient_sub_title, refit_header

ReviewChoice = tuple[Literal["edit", "plan", "back"], str | None]

CHROME = 14
"""Columns the table does not get for text: margins (2 + 2), cell padding (1 + 1 per column),
the vertical scrollbar (2) and one to spare, so the table never scrolls sideways."""


def column_widths(width: int) -> tuple[int, int, int]:
    """Section, question and answer columns for a terminal ``width`` wide."""
    usable = max(30, width - CHROME)
    section = min(16, max(9, usable // 7))
    question = (usable - section) * 11 // 20
    return section, question, usable - section - question


def wrapped(text: str, width: int) -> Text:
    """``text`` as literal text, wrapped on words to ``width`` (hard-broken only when one word is wider)."""
    lines = Text(text).wrap(_console(), width)
    return Text("\n").join(lines)


def _console():  # a plain console for measuring; the app's is not needed to wrap words
    from rich.console import Console

    return Console(width=1000, color_system=None)


class ReviewScreen(Screen[ReviewChoice]):
    BINDINGS = [
        Binding("p", "plan", "Plan the doses"),  # not F5: everywhere else it finds a patient
        Binding("escape", "back", "Back to the consult"),
        Binding("home", "first_row", "First answer", show=False, priority=True),
        Binding("end", "last_row", "Last answer", show=False, priority=True),
    ]

    def __init__(self, session: ConsultSession, *, at: str | None = None) -> None:
        """``at``: the question whose row has the cursor at first (the row just changed from here),
        so a person going down the answers one by one carries on where they were."""
        super().__init__()
        self.session = session
        self.at = at
        self._width = 0

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        yield ServerLine()
        yield Static(
            "Review the answers. Enter on a row changes it; P plans the doses.",
            id="review-intro",
            markup=False,
        )
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._fill(self.app.size.width)
        table = self.query_one(DataTable)
        if self.at is not None and self.at in table.rows:
            table.move_cursor(row=table.get_row_index(self.at))
        table.focus()
        self.app.sub_title = self.header_sub_title()

    def header_sub_title(self) -> str:
        return patient_sub_title(self.app, self.session.patient_name() or "new patient", "review")

    def on_resize(self, event: events.Resize) -> None:
        refit_header(self)
        if event.size.width != self._width:
            self._fill(event.size.width)

    def _fill(self, width: int) -> None:
        self._width = width
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        widths = column_widths(width)
        for label, column_width in zip(("Section", "Question", "Answer"), widths, strict=True):
            table.add_column(label, width=column_width)
        for question, shown in self.session.review_rows():
            texts = (question.section or "", question.prompt, shown)
            cells = [wrapped(text, column) for text, column in zip(texts, widths, strict=True)]
            table.add_row(*cells, key=question.id, height=max(len(cell.plain.splitlines()) for cell in cells))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(("edit", str(event.row_key.value)))

    def action_plan(self) -> None:
        self.dismiss(("plan", None))

    def action_back(self) -> None:
        self.dismiss(("back", None))

    def action_first_row(self) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=0, scroll=False)
        table.scroll_home(animate=False)

    def action_last_row(self) -> None:
        """To the last answer, with the rows above it filling the view (not a blank page)."""
        table = self.query_one(DataTable)
        table.move_cursor(row=max(0, table.row_count - 1), scroll=False)
        table.scroll_end(animate=False)
