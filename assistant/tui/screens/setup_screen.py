"""First run: the clinic's name, phone, dilution, price and currency, asked once and saved as the
user's clinic.toml (``botulax-consult setup`` asks the same on the command line)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from assistant.files.clinic_writer import ABOUT, FIELDS, settings_from, write_clinic
from assistant.settings import ClinicSettings


class SetupScreen(ModalScreen[ClinicSettings | None]):
    BINDINGS = [Binding("escape", "later", "Not now", show=False)]

    def __init__(self, current: ClinicSettings, shown: dict[str, str], *, first_run: bool = False) -> None:
        """``shown``: each field's text before anything is typed (see ``clinic_writer.defaults``)."""
        super().__init__()
        self.current = current
        self.shown = shown
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="-wide"):
            yield Static(
                ("No clinic settings are set yet. " if self.first_run else "")
                + f"{ABOUT} Enter moves to the next line and saves after the last; Esc leaves them as they are"
                + (" (asked again at the next start)." if self.first_run else "."),
                id="dialog-message",
                markup=False,
            )
            for field, words in FIELDS.items():
                with Horizontal(classes="setup-row"):
                    yield Label(words, markup=False)
                    yield Input(self.shown.get(field, ""), id=f"setup-{field}", select_on_focus=True)
            yield Static("", id="setup-problems", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position + 1 < len(inputs):
            inputs[position + 1].focus()
            return
        self.save()

    def save(self) -> None:
        typed = {field: self.query_one(f"#setup-{field}", Input).value for field in FIELDS}
        settings, problems = settings_from(typed, self.current)
        shown = self.query_one("#setup-problems", Static)
        if settings is None:
            shown.update("Not saved:\n" + "\n".join(problems))
            shown.add_class("-problems")
            return
        try:
            path = write_clinic(settings)
        except OSError as error:
            shown.update(f"Not saved: {error}")
            shown.add_class("-problems")
            return
        self.saved_in = path
        self.dismiss(settings)

    def action_later(self) -> None:
        self.dismiss(None)
