"""A patient's chart: her identifiers, next due dates, every consult newest first with its state,
and the highlighted consult whole (what was given, signatures, amendments, documents printed).

Enter opens the highlighted consult's plan (give, sign, amend, print or export it there); N starts a
new consult for her with her identifiers confirmed; Esc closes. Everything is read in workers, and
read again when the record changes (``RecordChanged``, from here or another workstation).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.lifecycle.chart import chart_line
from assistant.records.errors import RecordsError
from assistant.tui.messages import RecordChanged
from assistant.tui.screens.chart_texts import due_text, story_text
from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.steady_header import SteadyHeader

if TYPE_CHECKING:
    from assistant.services.chart import Chart
    from assistant.tui.collaborators.chart_desk import ChartDesk


HINT = (
    "Enter opens the highlighted consult's plan (give, sign, print); A changes its answers, D the doses "
    "given (an amendment: reason and PIN); F adds a photo; N starts a new consult for her."
)


class ChartScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),  # first: the way out stays in the footer at 80 columns
        Binding("enter", "open_consult", "Open consult"),
        Binding("n", "new_consult", "New consult for her"),
        Binding("a", "amend('answers')", "Change answers"),
        Binding("d", "amend('given')", "Correct doses given"),
        Binding("c", "consent", "Record consent", show=False),
        Binding("o", "consent(True)", "Consent form", show=False),
        Binding("f", "add_photo", "Add a photo"),
    ]

    def __init__(self, desk: ChartDesk, patient_key: str) -> None:
        super().__init__()
        self.desk = desk
        self.patient_key = patient_key
        self.chart: Chart | None = None
        self.sub_title = "chart"  # its own, named once read: never the patient of the screen under it

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        yield Static("Reading the chart...", id="chart-patient", markup=False)
        yield Static("", id="chart-due", markup=False)
        yield Static(HINT, id="chart-hint", markup=False)
        yield OptionList(id="chart-consults")
        with VerticalScroll(id="chart-story-box"):
            yield Static("", id="chart-story", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.read()

    def read(self) -> None:
        self.run_worker(self._read, group="chart", exclusive=True, exit_on_error=False)

    async def _read(self) -> None:
        import asyncio

        try:
            chart = await asyncio.to_thread(self.desk.chart, self.patient_key)
        except RecordsError as error:
            self.query_one("#chart-patient", Static).update(f"The chart could not be read: {error}")
            return
        self.chart = chart
        patient = chart.patient
        self.sub_title = f"{patient.name} · chart"
        self.query_one("#chart-patient", Static).update(patient.describe())
        due = due_text(chart.due)
        self.query_one("#chart-due", Static).update(f"{chart.serious}\n{due}" if chart.serious else due)
        listing = self.query_one(OptionList)
        kept = listing.highlighted
        listing.clear_options()
        label = self.desk.zone_label
        listing.add_options([Option(Text(chart_line(s, label)), id=s.consult_id) for s in chart.consults])
        if chart.consults:
            listing.highlighted = min(kept or 0, len(chart.consults) - 1)
        else:
            self.query_one("#chart-story", Static).update("No consult is kept for her yet: N starts one.")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.run_worker(partial(self._story, event.option.id), group="story", exclusive=True, exit_on_error=False)

    async def _story(self, consult_id: str) -> None:
        import asyncio

        story = self.query_one("#chart-story", Static)
        try:
            found = await asyncio.to_thread(self.desk.story, consult_id)
        except RecordsError as error:
            story.update(f"This consult could not be read: {error}")
            return
        story.update(story_text(found, self.desk.zone_label))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.desk.open_consult(event.option.id)

    def action_open_consult(self) -> None:
        if (consult_id := self._highlighted()) is not None:
            self.desk.open_consult(consult_id)

    def action_amend(self, what: str) -> None:
        """A or D: the highlighted consult's answers, or the doses recorded as given, changed here."""
        if (consult_id := self._highlighted()) is not None:
            self.desk.amend(consult_id, what)

    def action_consent(self, print_form: bool = False) -> None:
        """C: the patient's signed consent recorded on the highlighted consult; O: its form printed."""
        if (consult_id := self._highlighted()) is not None:
            self.desk.consent(consult_id, print_form)

    def action_add_photo(self) -> None:
        """F: a photo of her added to the highlighted consult (a path or the camera folder, then the PIN)."""
        if (consult_id := self._highlighted()) is not None:
            self.desk.add_photo(consult_id)

    def _highlighted(self) -> str | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def action_new_consult(self) -> None:
        if self.chart is not None:
            self.desk.new_consult_for(self.chart.patient)

    def action_close(self) -> None:
        self.app.pop_screen()

    def on_record_changed(self, message: RecordChanged) -> None:
        """Given, signed or amended here or on another workstation: read again (None: anything changed)."""
        if message.record is None or message.record.patient_key in self._keys():
            self.read()

    def _keys(self) -> set[str]:
        chart = self.chart
        return {self.patient_key} | ({s.patient_key for s in chart.consults} if chart is not None else set())
