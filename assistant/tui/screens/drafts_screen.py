"""The unfinished consults: resume one, discard one, or carry on ("not now" keeps them all).

Offered at start and from the palette. The first row, highlighted, carries on without touching
any draft, so an Enter or Esc pressed without reading changes nothing; a discard asks first. Opened
by itself at start, a key that types text was meant for the consult (``typed_ahead.py``): the list
closes, the drafts kept, and the key goes on to the consult; there D discards only once an arrow has
moved in the list (Delete always does).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.flow import Flow
from assistant.core.text import counted
from assistant.records import Draft
from assistant.services.drafts import DraftEntry
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.typed_ahead import PassOn, give_back, typed_for_the_consult

CARRY_ON = "carry-on"

LIST_KEYS = frozenset({"up", "down", "home", "end", "pageup", "pagedown"})
"""Keys that move in the list: after one, the person is working it, and D discards."""


class DraftsScreen(ModalScreen[Draft | None]):
    BINDINGS = [
        Binding("escape", "not_now", "Not now", show=False),
        Binding("d,delete", "discard", "Discard", show=False),
    ]

    def __init__(
        self,
        entries: list[DraftEntry],
        flow: Flow,
        discard: Callable[[str], Awaitable[bool]],
        *,
        mid_consult: bool = False,
        pass_on: PassOn | None = None,
    ) -> None:
        """``discard(draft_id)`` deletes a draft from disk; ``mid_consult``: opened with a consult
        under way (the first row then goes back to it); ``pass_on``: opened by itself, where a key
        typed for the consult goes."""
        super().__init__()
        self.entries = {entry.draft_id: entry for entry in entries}
        self.flow = flow
        self.discard = discard
        self.mid_consult = mid_consult
        self.pass_on = pass_on
        self.typed_away = False
        """Closed because a key typed was the consult's (the drafts are then only mentioned)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(self._message(), id="dialog-message", markup=False)
            yield OptionList(*self._options(), id="drafts-list", markup=False)

    def _message(self, done: str = "") -> str:
        """How many are kept and what the keys do; ``done``: what was just done, said first."""
        count = sum(1 for e in self.entries.values() if e.draft is not None)
        return f"{done}{counted(count, 'unfinished consult')} kept. Enter resumes the highlighted one, " + (
            "Delete (or D once an arrow has moved in the list) discards it, Esc closes this list "
            "and keeps them all. Typing a patient's name closes it too and goes on with the consult."
            if self.pass_on is not None
            else "D discards it, Esc closes this list and keeps them all."
        )

    def _options(self) -> list[Option]:
        first = "Go on with the consult on screen" if self.mid_consult else "Start a new consult (keep the drafts)"
        options = [Option(Text(first, style="bold"), id=CARRY_ON)]
        for entry in self.entries.values():
            options.append(Option(Text(entry.describe(self.flow)), id=entry.draft_id, disabled=entry.draft is None))
        return options

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.highlighted = 0
        listing.focus()

    def on_key(self, event: events.Key) -> None:
        """Opened by itself: text typed was the consult's, until the person works the list."""
        if self.pass_on is None:
            return
        if event.key in LIST_KEYS:
            self.pass_on = None  # the person is reading the list: its keys are its own from now on
        elif typed_for_the_consult(event):
            give_back(event, self.pass_on)
            self.typed_away = True
            self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries.get(event.option.id or "")
        self.dismiss(entry.draft if entry is not None else None)

    def action_not_now(self) -> None:
        self.dismiss(None)

    def action_discard(self) -> None:
        listing = self.query_one(OptionList)
        position = listing.highlighted
        if position is None:
            return
        draft_id = listing.get_option_at_index(position).id or ""
        entry = self.entries.get(draft_id)
        if entry is None or entry.draft is None:
            self.app.bell()  # the first row, or a damaged file (left on disk for recovery by hand)
            return

        async def answered(discard: bool | None) -> None:
            if discard and await self.discard(draft_id):
                del self.entries[draft_id]
                listing.remove_option(draft_id)
                done = f"Discarded the consult of {entry.draft.patient_name or 'an unnamed patient'}. "
                self.query_one("#dialog-message", Static).update(self._message(done))
                if not any(e.draft is not None for e in self.entries.values()):
                    self.dismiss(None)
                    return
                listing.highlighted = min(position, listing.option_count - 1)  # the next draft down
            listing.focus()

        self.app.push_screen(
            ConfirmScreen(
                f"Discard the unfinished consult of {entry.draft.patient_name or 'an unnamed patient'}? "
                "Its answers are deleted.",
                yes="Discard",
                no="Keep it",
                danger=True,
            ),
            answered,
        )
