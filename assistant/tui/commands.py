"""The command palette's commands: what the screen on top offers, the record's lists for staff,
trainer mode or its reload, and the light/dark theme (the names of the themes are here too).

Each command calls an action of the app or of the screen it is about; this module only lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from textual.app import SystemCommand

if TYPE_CHECKING:
    from textual.screen import Screen

    from assistant.tui.collaborators.current import Current


class Actions(Protocol):
    """The app's actions the palette offers (``ConsultApp``'s; named here, not imported: no circle)."""

    current: Current

    def __getattr__(self, action: str) -> Callable[[], object]: ...


LIGHT, DARK = "textual-light", "textual-dark"


def consult_commands(app: Actions, screen: Screen) -> Iterable[SystemCommand]:
    """The consult's own commands, after Textual's (only once the consult has loaded)."""
    consult = screen if type(screen).__name__ == "ConsultScreen" else None
    if consult is not None:
        yield SystemCommand("Back one question", "Go back to the previous question", consult.action_back)  # type: ignore[attr-defined]
        yield SystemCommand("Review answers", "All answers on one page, each editable", consult.action_review)  # type: ignore[attr-defined]
        yield SystemCommand("Ask the knowledge base", "Look up doses, timing, safety", consult.action_focus_ask)  # type: ignore[attr-defined]
        yield SystemCommand("Why we ask", "Show the help text of this question", consult.action_help)  # type: ignore[attr-defined]
    explanation = getattr(screen, "action_explanation", None)
    if explanation is not None:
        yield SystemCommand("Patient explanation", "Preview the printed explanation", explanation)
    yield SystemCommand("New consult", "Start a new consult", app.action_new_consult)
    if not app.current.trainer:
        yield SystemCommand("Drafts", "Unfinished consults: resume or discard one (F4)", app.action_drafts)
        yield SystemCommand("To sign", "Consults waiting for a signature", app.action_to_sign)
        chart = app.chart_desk
        yield SystemCommand("Find a patient", "By name, number, date of birth: her chart (F5)", chart.find_patient)
        yield SystemCommand("Waiting", "What waits for you: to give, to sign, to co-sign (F6)", chart.open_waiting)
        yield SystemCommand(
            "Who is due", "Reviews, touch-up windows and retreatments of the next 7 days", app.action_due
        )
        yield SystemCommand("Sign in", "Pick your account and type your PIN (or switch account)", app.action_sign_in)
        yield SystemCommand("Clinic settings", "Name, phone, dilution, price and currency", app.action_clinic_settings)
        yield SystemCommand(
            "Trainer mode",
            "Reload files from disk as you edit them; a dry run that saves nothing",
            app.action_trainer_mode,
        )
    else:
        yield SystemCommand("Reload files", "Read the script, knowledge and templates again", app.action_reload_files)
    yield SystemCommand("Toggle light/dark theme", "Switch between light and dark", app.action_toggle_theme)
