"""The consult's header while its screen goes away: a title change then must not stop the app."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets._header import HeaderTitle

from assistant.tui.widgets.steady_header import SteadyHeader


class OneHeader(App[None]):
    def compose(self) -> ComposeResult:
        yield SteadyHeader()


async def test_a_title_changed_while_the_header_is_taken_down_is_let_go() -> None:
    """Removing a screen removes the header's title before the header. Textual's Header updated the
    title from a callback queued on the header, which then found no title and raised NoMatches: the
    app stopped with the error (seen when the consult screen gave way to the plan as the name changed)."""
    app = OneHeader()
    async with app.run_test() as pilot:
        header = app.query_one(SteadyHeader)
        title = header.query_one(HeaderTitle)
        app.sub_title = "Mina Park · question 3 of 16"
        await title.remove()
        app.sub_title = "Mina Park · the plan"
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and not header.query(HeaderTitle)
    assert app.return_code in (0, None)


async def test_the_title_follows_the_sub_title_at_once() -> None:
    app = OneHeader()
    async with app.run_test() as pilot:
        app.title, app.sub_title = "Botulax consult", "Mina Park · question 3 of 16"
        await pilot.pause()
        shown = str(app.query_one(HeaderTitle).render())
        assert "Botulax consult" in shown and "Mina Park · question 3 of 16" in shown
