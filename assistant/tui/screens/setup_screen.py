"""First run: the clinic's name, phone, dilution, price and currency, asked once and saved as the
user's clinic.toml (``botulax-consult setup`` asks the same on the command line); the palette's
"Clinic settings" opens it again. Saving is ``save``'s (``collaborators/settings_signing.py``): once the
record has staff accounts a medical director signs with their PIN. A refusal is shown here and the
screen keeps what was typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from assistant.files.clinic_writer import ABOUT, FIELDS, settings_from
from assistant.settings import ClinicSettings

if TYPE_CHECKING:
    from assistant.tui.collaborators.settings_signing import Outcome, Saved

Save = Callable[[ClinicSettings, ClinicSettings], Awaitable["Outcome"]]
"""(the settings in use, the settings typed) -> saved, or the sentence saying why not."""


class SetupScreen(ModalScreen[ClinicSettings | None]):
    BINDINGS = [Binding("escape", "later", "Not now", show=False)]

    def __init__(self, current: ClinicSettings, shown: dict[str, str], save: Save, *, first_run: bool = False) -> None:
        """``shown``: each field's text before anything is typed (see ``clinic_writer.defaults``)."""
        super().__init__()
        self.current = current
        self.shown = shown
        self.saver = save
        self.first_run = first_run
        self.saved: Saved | None = None
        self.saving = False
        """A save under way: Enter again and Esc wait for its outcome (saved, or why not)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="-wide"):
            yield Static(
                ("No clinic settings are set yet. " if self.first_run else "")
                + f"{ABOUT} Enter moves to the next line and saves after the last; Esc leaves them as they are"
                + (" (asked again at the next start)." if self.first_run else ".")
                + " Once the record has staff accounts, saving asks for a medical director's PIN.",
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
        if settings is None:
            self._refused("Not saved:\n" + "\n".join(problems))
            return
        if self.saving:
            return
        self.saving = True
        # A worker: the director's PIN is a dialog of its own, whose keys this screen's queue must not hold.
        self.run_worker(self._save(settings), name="save-settings", group="save-settings", exit_on_error=False)

    async def _save(self, settings: ClinicSettings) -> None:
        try:
            outcome = await self.saver(self.current, settings)
        finally:
            self.saving = False
        if isinstance(outcome, str):
            self._refused(outcome)
            return
        self.saved = outcome
        self.dismiss(settings)

    def _refused(self, sentence: str) -> None:
        shown = self.query_one("#setup-problems", Static)
        shown.update(sentence)
        shown.add_class("-problems")
        shown.scroll_visible()

    def action_later(self) -> None:
        if not self.saving:
            self.dismiss(None)
