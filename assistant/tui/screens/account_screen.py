"""Who is at the keyboard: pick your account and type your PIN (masked).

Asked when a consult is finished (who ran it), before doses are recorded or signed, and as the lock
screen after the clinic's idle minutes. The PIN is checked by ``check`` (off the UI thread); a wrong
one is said in the dialog and counted, and the dialog stays.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.lifecycle.staff import StaffAccount

PICK_FIRST = "Pick your account first (Up/Down), then type your PIN: nothing was checked."

Check = Callable[[str, str], Awaitable[StaffAccount | str]]
"""(name, PIN) -> the account, or the sentence saying why not."""


class AccountScreen(ModalScreen[StaffAccount | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("up", "account(-1)", "Account above", show=False),  # the list's own keys come first there
        Binding("down", "account(1)", "Account below", show=False),
    ]

    def __init__(
        self, accounts: list[StaffAccount], check: Check, message: str, *, locked: bool = False, summary: str = ""
    ) -> None:
        """``locked``: the lock screen, which only a right PIN closes (Esc does nothing); ``summary``:
        what the PIN is typed for (what is signed), shown above the message."""
        super().__init__()
        self.summary = summary
        self.accounts = [a for a in accounts if a.enabled]
        self.check = check
        self.message = message
        self.locked = locked
        self.set_class(locked, "-locked")  # opaque: nothing of the record shows behind the lock

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            if self.summary:
                with VerticalScroll(id="signing-summary"):
                    yield Static(self.summary, markup=False)
            yield Static(self.message, id="dialog-message", markup=False)
            yield OptionList(
                *(Option(Text(f"{a.name} · {a.role_words}"), id=str(i)) for i, a in enumerate(self.accounts)),
                id="account-list",
            )
            # Not selected on focus: a PIN typed on the list moves the focus here as it goes, and the keys
            # after the move replaced those before it (a tryout's right PIN refused as "wrong").
            yield Input(placeholder="PIN", password=True, id="account-pin", select_on_focus=False)
            yield Static("", id="account-refusal", markup=False)

    def on_mount(self) -> None:
        accounts = self.query_one("#account-list", OptionList)
        # Of several accounts none is highlighted until an arrow picks one, as in the consult's lists:
        # a tryout pressed Down "for the first account", landed on the second, and the PIN typed next
        # counted as a failed one against a medical director. One account is picked already.
        accounts.highlighted = 0 if len(self.accounts) == 1 else None
        self.query_one("#account-refusal", Static).display = False
        (self.query_one("#account-pin", Input) if len(self.accounts) == 1 else accounts).focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        pin = self.query_one("#account-pin", Input)
        pin.focus()
        await self._try(pin.value)  # typed on the list (``on_key``) before this Enter: the PIN is complete

    def on_key(self, event: events.Key) -> None:
        """A PIN typed while the list has the focus: into the PIN field once an account is picked
        (Down, then the PIN: the field is not a Tab away); before that refused in words, and lost, as a
        PIN checked against nobody must be."""
        accounts = self.query_one("#account-list", OptionList)
        if self.focused is not accounts or not event.is_printable or event.character is None:
            return
        event.stop()
        event.prevent_default()
        if accounts.highlighted is None:
            self._refuse(PICK_FIRST)
            return
        pin = self.query_one("#account-pin", Input)
        pin.insert_text_at_cursor(event.character)
        pin.focus()

    def action_account(self, step: int) -> None:
        """Up and Down in the PIN field move the account picked: after a wrong PIN the next try is
        often someone else's, and the field kept the keys, so the PIN counted against the same account."""
        accounts = self.query_one("#account-list", OptionList)
        if self.focused is accounts:
            return
        if step > 0:
            accounts.action_cursor_down()
        else:
            accounts.action_cursor_up()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self._try(event.value)

    async def _try(self, pin: str) -> None:
        if not pin:
            return
        field = self.query_one("#account-pin", Input)
        field.value = ""  # the PIN never stays on screen, right or wrong
        index = self.query_one("#account-list", OptionList).highlighted
        if index is None:
            self._refuse(PICK_FIRST)
            self.query_one("#account-list", OptionList).focus()
            return
        outcome = await self.check(self.accounts[index].name, pin)
        if isinstance(outcome, StaffAccount):
            self.dismiss(outcome)
            return
        self._refuse(outcome)
        field.focus()

    def _refuse(self, words: str) -> None:
        refusal = self.query_one("#account-refusal", Static)
        refusal.update(words)
        refusal.display = True

    def action_cancel(self) -> None:
        if not self.locked:
            self.dismiss(None)
