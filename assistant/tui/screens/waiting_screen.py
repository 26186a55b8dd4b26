"""What waits for whom: three tabs, to give (planned, nothing given), to sign and to co-sign, each
listing only what the signed-in account's role may do, with their counts in a line at the top.

Enter opens the highlighted consult's plan (G gives it there, K signs it); K here signs a row of
"to sign" or "to co-sign" at once (the PIN is asked); Esc closes. Each list reads its next page as
the highlight nears its end, and every list is read again when the record changes.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from assistant.core.lifecycle.waiting import WAITING_FOR, WORDS, WaitingFor, may_do
from assistant.records.errors import RecordsError
from assistant.tui.messages import RecordChanged
from assistant.tui.screens.next_pages import NextPages
from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.steady_header import SteadyHeader

if TYPE_CHECKING:
    from assistant.core.lifecycle.waiting import WaitingRow
    from assistant.tui.collaborators.chart_desk import ChartDesk

WHO_MAY = {"give": "an injector or a medical director", "sign": "an injector or a medical director"}
WHO_MAY["cosign"] = "a medical director"


def counts_text(counts: dict[WaitingFor, int], who: str) -> str:
    from assistant.services.waiting import COUNT_CAP

    def number(n: int) -> str:
        return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)

    shown = " · ".join(f"{WORDS[kind]}: {number(counts[kind])}" for kind in WAITING_FOR if kind in counts)
    return f"{shown or 'nothing you may act on'}  ({who})"


class WaitingScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open_consult", "Open consult"),
        Binding("k", "sign", "Sign"),
        Binding("escape", "close", "Close"),
        # before the list's own (it scrolls sideways with them): the screen says Left and Right change tabs
        Binding("left", "next_tab(-1)", "Tab", show=False, priority=True),
        Binding("right", "next_tab(1)", "Tab", show=False, priority=True),
    ]

    def __init__(self, desk: ChartDesk) -> None:
        super().__init__()
        self.desk = desk
        self.rows: dict[WaitingFor, list[WaitingRow]] = {kind: [] for kind in WAITING_FOR}
        self.pages: dict[WaitingFor, NextPages] = {kind: NextPages(None, None) for kind in WAITING_FOR}
        self.counts: dict[WaitingFor, int] = {}
        self.sub_title = "waiting"  # its own: never the patient of the screen under it

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        yield Static("Reading what waits...", id="waiting-counts", markup=False)
        with TabbedContent(id="waiting-tabs"):
            for kind in WAITING_FOR:
                with TabPane(WORDS[kind].capitalize(), id=f"tab-{kind}"):
                    yield Static("", id=f"note-{kind}", classes="waiting-note", markup=False)
                    yield OptionList(id=f"waiting-{kind}")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.read()

    @property
    def kind(self) -> WaitingFor:
        """The tab shown."""
        return self.query_one(TabbedContent).active.removeprefix("tab-")  # type: ignore[return-value]

    def read(self) -> None:
        self.run_worker(self._read, group="waiting", exclusive=True, exit_on_error=False)

    async def _read(self) -> None:
        account = self.desk.account
        who = f"{account.name}, {account.role_words}" if account is not None else "nobody signed in"
        try:
            counts = await asyncio.to_thread(self.desk.counts)
            pages = {
                kind: await asyncio.to_thread(self.desk.waiting_page, kind)
                for kind in WAITING_FOR
                if may_do(account, kind)
            }
        except RecordsError as error:
            self.query_one("#waiting-counts", Static).update(f"The record could not be read: {error}")
            return
        self.counts = counts
        self.query_one("#waiting-counts", Static).update(counts_text(counts, who))
        for kind in WAITING_FOR:
            page = pages.get(kind)
            rows = list(page.rows) if page is not None else []
            self.rows[kind] = rows
            more = lambda after, k=kind: self.desk.waiting_page(k, after)  # noqa: E731  (as it scrolls)
            self.pages[kind] = NextPages(page.next if page else None, more)
            if page is None:
                note = f"Only {WHO_MAY[kind]} acts on these; {who} does not."
            elif not rows:
                note = f"Nothing {WORDS[kind]}."
            else:
                note = (
                    f"{len(rows)}{' or more' if page.next else ''} {WORDS[kind]}. Enter opens the plan"
                    + ("; K signs." if kind != "give" else " (G gives it there).")
                    + " Left and Right change tabs."
                )
            self.query_one(f"#note-{kind}", Static).update(note)
            listing = self.query_one(f"#waiting-{kind}", OptionList)
            kept = listing.highlighted
            listing.clear_options()
            listing.add_options([Option(Text(row.describe(self.desk.zone_label)), id=row.consult_id) for row in rows])
            listing.display = bool(rows)
            if rows:
                listing.highlighted = min(kept or 0, len(rows) - 1)
        self.query_one(f"#waiting-{self.kind}", OptionList).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.query_one(f"#waiting-{self.kind}", OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        kind: WaitingFor = event.option_list.id.removeprefix("waiting-")  # type: ignore[union-attr,assignment]
        if self.pages[kind].wanted(event.option_index, len(self.rows[kind])):
            self.run_worker(partial(self._next_page, kind), group=f"next-{kind}", exclusive=True, exit_on_error=False)

    async def _next_page(self, kind: WaitingFor) -> None:
        rows = await self.pages[kind].read(self.notify)
        self.rows[kind] += rows
        listing = self.query_one(f"#waiting-{kind}", OptionList)
        listing.add_options([Option(Text(row.describe(self.desk.zone_label)), id=row.consult_id) for row in rows])

    def _highlighted(self) -> str | None:
        listing = self.query_one(f"#waiting-{self.kind}", OptionList)
        if listing.highlighted is None or listing.option_count == 0:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.desk.open_consult(event.option.id)

    def action_open_consult(self) -> None:
        if (consult_id := self._highlighted()) is not None:
            self.desk.open_consult(consult_id)

    def action_sign(self) -> None:
        consult_id = self._highlighted()
        if consult_id is not None and self.kind != "give" and may_do(self.desk.account, self.kind):
            self.desk.sign(consult_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """K only on the tabs to sign and to co-sign, for an account that may (asked by the footer,
        perhaps before the tabs are there)."""
        if action == "sign":
            tabs = self.query(TabbedContent)
            kind = tabs.first().active.removeprefix("tab-") if tabs else ""
            return kind in ("sign", "cosign") and may_do(self.desk.account, kind)  # type: ignore[arg-type]
        return True

    def action_next_tab(self, step: int) -> None:
        """Left and Right: the tab before or after, wherever the focus is (the list's own took them)."""
        tabs = self.query_one(TabbedContent)
        ids = [f"tab-{kind}" for kind in WAITING_FOR]
        tabs.active = ids[(ids.index(tabs.active) + step) % len(ids)]

    def action_close(self) -> None:
        self.app.pop_screen()

    def on_record_changed(self, message: RecordChanged) -> None:
        """Anything given or signed, here or elsewhere: every list is read again."""
        self.read()
