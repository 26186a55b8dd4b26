"""All answers on one page before planning; any row can be changed."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from assistant.services.consult_session import ConsultSession
from assistant.tui.widgets.footer import SteadyFooter

ReviewChoice = tuple[Literal["edit", "plan", "back"], str | None]


class ReviewScreen(Screen[ReviewChoice]):
    BINDINGS = [
        Binding("f5,p", "plan", "Plan the doses"),
        Binding("escape", "back", "Back to the consult"),
    ]

    def __init__(self, session: ConsultSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Review the answers. Enter on a row changes it; P (or F5) plans the doses.", id="review-intro")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        width = self.app.size.width
        table.add_column("Section", width=min(15, width // 6))
        table.add_column("Question", width=max(24, min(60, (width - 20) * 4 // 10)))
        table.add_column("Answer")  # as wide as the longest answer; the table scrolls sideways if needed
        for question, shown in self.session.review_rows():
            table.add_row(question.section or "", question.prompt, shown, key=question.id)
        table.focus()
        name = self.session.patient_name() or "new patient"
        self.app.sub_title = f"{name} · review"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(("edit", str(event.row_key.value)))

    def action_plan(self) -> None:
        self.dismiss(("plan", None))

    def action_back(self) -> None:
        self.dismiss(("back", None))
