"""Keys typed for the consult that reach a dialog the program opened by itself.

Two cases. Keys typed *before* a dialog appeared, when the dialog decides something that cannot be
taken back by a slip (who the patient is; "Stop the consult here?" and other confirmations whose Yes
stops or loses something), were meant for the screen under it: such a dialog sets them aside when it
opens and gives them back when it closes (``set_aside``, ``give_back_all``). Other dialogs take keys
typed ahead as a slow typist's would reach them (issue 10: a whole consult in one burst, the staff
name and a warning's Y included).

The clinic's settings and the kept drafts open over the consult a moment after start, when the
person may already be typing the patient's name without looking up. Whatever such a dialog would do
with those letters is wrong: a name typed into "Clinic name", or lost in the drafts list while the
Enter after it started a new consult, so that the date of birth typed next became the name. So a
dialog opened by itself takes only the keys that work it (Enter, Esc, arrows, Tab, Delete), and the
first key that types text closes it and goes on to the consult, first in line, with the keys after it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import App

PassOn = Callable[[events.Key], object]
"""Where such a key goes: first in line for the screen under the dialog (``KeyGate.put_back``)."""


def typed_for_the_consult(event: events.Key) -> bool:
    """A key that types text (a letter, a digit, a space), not one that works a dialog."""
    return event.is_printable and event.key != "enter"


def give_back(event: events.Key, pass_on: PassOn) -> None:
    """The key is the consult's: not handled here (nor by any binding), and first in line there."""
    event.stop()
    event.prevent_default()
    pass_on(events.Key(event.key, event.character))


def set_aside(app: App[object]) -> list[events.Key]:
    """The keys typed before the dialog opening now appeared, taken out of line (``give_back_all``)."""
    gate = getattr(app, "key_gate", None)
    return gate.set_aside() if gate is not None else []


def give_back_all(app: App[object], keys: list[events.Key]) -> None:
    """The dialog is closing: the keys set aside go on to the screen they were typed for, in order."""
    gate = getattr(app, "key_gate", None)
    if gate is not None and keys:
        gate.restore(keys)
