"""The command palette and the app's keys, listed together so that every clinic action has both: an
entry in the palette and a key (issue 22.8). Textual's own palette items (theme picker, keys panel,
screenshot, maximize) are not clinic actions and are left out; the light/dark theme and quitting keep
entries of their own.

Three kinds of entry: the app's actions (``APP_ACTIONS``: each is also a binding of ``ConsultApp``,
``APP_BINDINGS`` is built from the same rows), the actions of the screen on top (its bindings shown in
the footer, each offered while the screen allows it), and the consult screen's own names for its keys.
Trainer mode is the one entry without a key, on purpose (``PALETTE_ONLY``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen

if TYPE_CHECKING:
    from textual.screen import Screen

    from assistant.tui.collaborators.current import Current


class Actions(Protocol):
    """The app's actions the palette offers (``ConsultApp``'s; named here, not imported: no circle)."""

    current: Current
    locked: bool

    def __getattr__(self, action: str) -> Callable[[], object]: ...


LIGHT, DARK = "textual-light", "textual-dark"


@dataclass(frozen=True)
class ClinicAction:
    """One action of the app: its palette title and help, and its key."""

    action: str
    title: str
    help: str
    key: str
    staff: bool = True
    """Only outside trainer mode (the record's lists, signing in, the clinic's settings)."""
    footer: bool = False


APP_ACTIONS: tuple[ClinicAction, ...] = (
    ClinicAction("new_consult", "New consult", "Start a new consult (Ctrl+N)", "ctrl+n", staff=False),
    ClinicAction("drafts", "Drafts", "Unfinished consults: resume or discard one (F4)", "f4"),
    ClinicAction("find_patient", "Find a patient", "By name, number, date of birth: her chart (F5)", "f5"),
    ClinicAction("waiting", "Waiting", "What waits for you: to give, to sign, to co-sign (F6)", "f6"),
    ClinicAction("to_sign", "To sign", "Consults waiting for a signature (F10)", "f10"),
    ClinicAction("due", "Who is due", "Reviews, touch-up windows and retreatments of the next 7 days (F7)", "f7"),
    ClinicAction("sign_in", "Sign in", "Pick your account and type your PIN, or switch account (F8)", "f8"),
    ClinicAction("clinic_settings", "Clinic settings", "Name, phone, dilution, price and currency (F9)", "f9"),
    ClinicAction(
        "toggle_theme", "Toggle light/dark theme", "Switch between light and dark (Ctrl+T)", "ctrl+t", staff=False
    ),
    ClinicAction("quit", "Quit", "Keep the draft and leave the program (Ctrl+Q)", "ctrl+q", staff=False, footer=True),
)

OVER_DIALOGS = frozenset({"quit", "toggle_theme"})
"""The app's actions that also work over a dialog (a PIN, what was given, a list)."""


_QUIET_OVER_DIALOGS = frozenset(a.action for a in APP_ACTIONS) - OVER_DIALOGS


def allowed_over(screen: Screen, action: str) -> bool:
    """The app's keys and entries act from the main screens (consult, review, plan); over a dialog
    only Quit and light/dark, so F6 never opens the to-sign list over a half-typed PIN. (Asked for
    every key on every footer refresh: a set look-up and a type check, nothing more.)"""
    return action not in _QUIET_OVER_DIALOGS or not isinstance(screen, ModalScreen)


PALETTE_ONLY = {
    "trainer_mode": "one key must not turn a real consult into a dry run that saves nothing",
}
"""The palette's entries without a key, each with the reason."""


def app_bindings() -> list[Binding]:
    """``ConsultApp.BINDINGS``: a key for every app action of the palette, and Ctrl+R (trainer mode's reload)."""
    keys = [Binding(a.key, a.action, a.title, show=a.footer, priority=a.action == "quit") for a in APP_ACTIONS]
    return [*keys, Binding("ctrl+r", "reload_files", "Reload files")]


SCREEN_HELP = {
    "back": ("Back one question", "Go back to the previous question (Esc)"),
    "review": ("Review answers", "All answers on one page, each editable (F2)"),
    "focus_ask": ("Ask the knowledge base", "Look up doses, timing, safety (F3 or ?)"),
    "help": ("Why we ask", "Show the help text of this question (F1)"),
    "plan": ("Plan the doses", "Plan from the answers reviewed (F5 or P)"),
    "explanation": ("Patient explanation", "Preview the printed explanation (X)"),
    "save_documents": ("Save the PDFs", "The dose summary and the patient's explanation as PDFs (S)"),
    "print": ("Print", "Save the PDFs and send them to the printer (P)"),
    "edit": ("Edit the answers", "Back to the answers, to change one and plan again (E)"),
    "give": ("Record what was given", "The doses injected and the vial, then your PIN (G)"),
    "sign": ("Sign", "Sign the consult with your PIN (K)"),
    "ReviewScreen.back": ("Back to the consult", "Close the review and go on with the questions (Esc)"),
}
"""Palette titles of the screens' own actions, by action name, or by screen class and action where
one name means another thing there (the key is the screen's binding)."""


def screen_actions(screen: Screen) -> list[Binding]:
    """The staff actions of ``screen``: its bindings shown in the footer, plus any it names in
    ``SCREEN_HELP`` (Esc on the consult screen), each once, whose action is not the app's."""
    app_actions = {a.action for a in APP_ACTIONS}
    seen: set[str] = set()
    found = []
    for binding in screen.BINDINGS:
        assert isinstance(binding, Binding)
        name = binding.action.removeprefix("app.")
        if name in seen or name in app_actions or not (binding.show or name in SCREEN_HELP):
            continue
        seen.add(name)
        found.append(binding)
    return found


def palette(app: Actions, screen: Screen) -> Iterable[SystemCommand]:
    """``ConsultApp.get_system_commands``: nothing behind the idle lock; only Quit until the consult
    has loaded; then the clinic's actions (``consult_commands``)."""
    if app.locked:
        return
    if app.current.engine_ready:
        yield from consult_commands(app, screen)
    else:
        yield SystemCommand("Quit", "Leave the program (Ctrl+Q)", app.action_quit)


def consult_commands(app: Actions, screen: Screen) -> Iterable[SystemCommand]:
    """The palette: the screen on top's actions it allows now, then the app's."""
    for binding in screen_actions(screen):
        if screen.check_action(binding.action, ()) is False:
            continue  # G once given, K for a junior: what the footer hides, the palette hides
        name = type(screen).__name__
        title, help_text = SCREEN_HELP.get(f"{name}.{binding.action}") or SCREEN_HELP.get(
            binding.action, (binding.description, binding.description)
        )
        yield SystemCommand(title, help_text, partial(screen.run_action, binding.action))
    trainer = app.current.trainer
    for action in APP_ACTIONS:
        if not (action.staff and trainer) and allowed_over(screen, action.action):
            yield SystemCommand(action.title, action.help, getattr(app, f"action_{action.action}"))
    if not allowed_over(screen, "new_consult"):
        return  # over a dialog: neither trainer mode nor its reload
    if trainer:
        yield SystemCommand(
            "Reload files", "Read the script, knowledge and templates again (Ctrl+R)", app.action_reload_files
        )
    else:
        yield SystemCommand(
            "Trainer mode",
            "Reload files from disk as you edit them; a dry run that saves nothing",
            app.action_trainer_mode,
        )
