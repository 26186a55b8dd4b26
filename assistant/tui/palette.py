"""The command palette's commands (what each screen offers, the record's lists for staff, trainer
mode or its reload) and the light/dark theme. A part of ``ConsultApp`` (a mixin).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from assistant.tui.trainer_mode import TrainerMode

LIGHT, DARK = "textual-light", "textual-dark"


class Palette(TrainerMode):
    engine_ready: bool

    if TYPE_CHECKING:  # the app's own (ConsultApp)

        def new_consult(self) -> None: ...

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.locked:
            return  # nothing behind the idle lock, not even Textual's own commands
        yield from super().get_system_commands(screen)
        if not self.engine_ready:
            return  # only Textual's own commands until the consult has loaded
        consult = screen if type(screen).__name__ == "ConsultScreen" else None
        if consult is not None:
            yield SystemCommand("Back one question", "Go back to the previous question", consult.action_back)
            yield SystemCommand("Review answers", "All answers on one page, each editable", consult.action_review)
            yield SystemCommand("Ask the knowledge base", "Look up doses, timing, safety", consult.action_focus_ask)
            yield SystemCommand("Why we ask", "Show the help text of this question", consult.action_help)
        explanation = getattr(screen, "action_explanation", None)
        if explanation is not None:
            yield SystemCommand("Patient explanation", "Preview the printed explanation", explanation)
        yield SystemCommand("New consult", "Start a new consult", self.new_consult)
        if not self.trainer:
            yield SystemCommand("Drafts", "Unfinished consults: resume or discard one (F4)", self.action_drafts)
            yield SystemCommand("To sign", "Consults waiting for a signature", self.action_to_sign)
            yield SystemCommand(
                "Who is due", "Reviews, touch-up windows and retreatments of the next 7 days", self.action_due
            )
            yield SystemCommand(
                "Sign in", "Pick your account and type your PIN (or switch account)", self.action_sign_in
            )
            yield SystemCommand(
                "Clinic settings", "Name, phone, dilution, price and currency", self.action_clinic_settings
            )
            yield SystemCommand(
                "Trainer mode",
                "Reload files from disk as you edit them; a dry run that saves nothing",
                self.action_trainer_mode,
            )
        else:
            yield SystemCommand(
                "Reload files", "Read the script, knowledge and templates again", self.action_reload_files
            )
        yield SystemCommand("Toggle light/dark theme", "Switch between light and dark", self.action_toggle_theme)
