"""The consults waiting for a signature (given and unsigned, or waiting for a co-signature).

Enter on one signs it (the PIN is asked next); Esc closes the list. The list comes a page at a
time: the next page is read (off the UI thread) when the highlight nears the last row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.text import counted
from assistant.records import ConsultSummary
from assistant.tui.screens.next_pages import NextPages


def describe(row: ConsultSummary) -> str:
    who = row.patient_name + (f" ({row.patient_id})" if row.patient_id else "")
    what = "co-signature" if row.state == "signed" else "signature"
    given = f"{row.given_units:g} U given" if row.given_units is not None else "nothing given"
    return f"{row.date.isoformat()} · {who} · {given} · waits for a {what} · run by {row.staff or 'someone'}"


class ToSignScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "close", "Close", show=False)]

    def __init__(
        self,
        rows: list[ConsultSummary],
        may_sign: bool,
        *,
        after: str | None = None,
        more: Callable[[str], Any] | None = None,
    ) -> None:
        """``after``: the next page's cursor (None: the list is whole); ``more(after)`` reads it (a
        ``Page``; run in a thread)."""
        super().__init__()
        self.rows = rows
        self.may_sign = may_sign
        self.pages = NextPages(after, more)

    def compose(self) -> ComposeResult:
        count = len(self.rows)
        waiting = f"{count} or more consults wait" if self.pages.after else f"{counted(count, 'consult')} wait"
        waiting += "s" if count == 1 and not self.pages.after else ""  # "1 consult waits"
        how = "Enter signs the highlighted one, " if self.may_sign else "Only an injector or medical director signs; "
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                f"{waiting} for a signature. {how}Esc closes this list.",
                id="dialog-message",
                markup=False,
            )
            yield OptionList(*(Option(Text(describe(row)), id=row.consult_id) for row in self.rows), id="to-sign")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.pages.wanted(event.option_index, len(self.rows)):
            self.run_worker(self._next_page, group="next-page", exclusive=True, exit_on_error=False)

    async def _next_page(self) -> None:
        rows = await self.pages.read(self.notify)
        self.rows += rows
        self.query_one(OptionList).add_options([Option(Text(describe(row)), id=row.consult_id) for row in rows])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.may_sign:
            self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
