"""The welcome screen is drawn with fewer widgets than the consult screen, and looks the same."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.strip import Strip

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.commands import LIGHT
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.welcome_screen import WelcomeScreen
from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.keys_bar import KeysBar
from tests.helpers import TODAY
from tests.test_tui_consult import SlowStart
from tests.tui_driving import until


def shown(strip: Strip) -> list[tuple[object, ...]]:
    """What a line shows, cell by cell: the character, its colours (a space's own colour shows
    nothing) and its attributes; not what the eye cannot see (mouse offsets, an unset attribute)."""
    cells = []
    for segment in strip:
        style = segment.style
        assert style is not None
        for character in segment.text:
            colour = style.color if character.strip() else None
            attributes = (style.bold, style.dim, style.italic, style.underline, style.strike, style.reverse)
            cells.append((character, style.bgcolor, colour, *map(bool, attributes)))
    return cells


@pytest.mark.parametrize("width", [120, 81, 44])
async def test_the_welcome_title_line_is_the_consult_screens_header(resources: Resources, width: int) -> None:
    """One widget draws Header's line: the icon, the title centred, cut with an ellipsis when narrow."""
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        welcome = shown(app.screen._compositor.render_strips()[0])
        await start.finish_loading(app, pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert welcome == shown(app.screen._compositor.render_strips()[0])
    assert any(cell[0] == "⭘" for cell in welcome)


async def test_the_welcome_title_icon_opens_the_palette(resources: Resources) -> None:
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.click(offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        start.release.set()


Size = tuple[int, int]


async def _last_line(resources: Resources, size: Size, theme: str | None, footer: bool) -> list[tuple[object, ...]]:
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=size) as pilot:
        if footer:  # Textual's footer in place of the one-widget line, on the same screen
            await app.screen.query_one(KeysBar).remove()
            await app.screen.mount(SteadyFooter())
        if theme:
            app.theme = theme
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        line = shown(app.screen._compositor.render_strips()[-1])
        start.release.set()
    return line


@pytest.mark.parametrize(("size", "theme"), [((100, 24), None), ((57, 24), None), ((14, 24), None), ((90, 24), LIGHT)])
async def test_the_welcome_keys_line_is_the_footer(resources: Resources, size: Size, theme: str | None) -> None:
    """One widget draws the footer's line: the keys it shows, the palette's at the right edge (over the
    others when narrow), in its colours, light or dark."""
    keys_bar = await _last_line(resources, size, theme, footer=False)
    assert keys_bar == await _last_line(resources, size, theme, footer=True)


async def test_a_click_on_a_welcome_key_presses_it(resources: Resources) -> None:
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.click(offset=(97, 23))  # ^p palette, at the right edge
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(offset=(2, 23))  # ^q Quit: nothing answered yet, nothing asked
        await pilot.pause()
        assert not app.is_running
    start.release.set()


async def test_the_welcome_screen_draws_the_consult_screens_first_question(resources: Resources) -> None:
    """From the real snapshot, every line of the welcome screen is the consult screen's once it has
    taken over, but the footer's keys (the consult screen's own keys come with it)."""
    from assistant.core.hints import answer_hint
    from assistant.services.consult_session import ConsultSession
    from assistant.startup import FirstQuestion

    session = ConsultSession(resources, TODAY)
    question = session.current
    assert question is not None and session.script.intro
    first = FirstQuestion(
        question.id,
        "",
        session.script.intro,
        question.prompt,
        answer_hint(question, session.script),
        session.progress()[1],
    )
    start = SlowStart(resources)
    app = make_app(today=TODAY, loader=start.loader, first=first)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        welcome = [shown(line) for line in app.screen._compositor.render_strips()]
        await start.finish_loading(app, pilot)
        assert isinstance(app.screen, ConsultScreen)
        consult = [shown(line) for line in app.screen._compositor.render_strips()]
    assert welcome[:-1] == consult[:-1]


@pytest.mark.parametrize("release", ["as the app closes", "as its screens close"])
async def test_quitting_while_the_engine_loads_ends_without_an_error(
    resources: Resources, monkeypatch: pytest.MonkeyPatch, release: str
) -> None:
    """Ctrl+Q on the welcome screen while the engine loads: its thread ends as the app closes, and its
    result is left alone, not handed over to a consult screen that will never come (it was "No screens
    on stack" from the key gate, the screens closed under it). Let go just before the app closes, or as
    the welcome screen unmounts; several times, the thread's end falling where it may."""
    starts: list[SlowStart] = []
    if release == "as its screens close":
        monkeypatch.setattr(WelcomeScreen, "on_unmount", lambda _: starts[-1].release.set(), raising=False)
    for _ in range(8):
        starts.append(start := SlowStart(resources))
        app = start.app()
        async with app.run_test(size=(100, 24)) as pilot:
            await until(pilot, lambda app=app: any(w.name == "load-engine" for w in app.workers))
            if release == "as the app closes":
                start.release.set()
            await pilot.press("ctrl+q")
        assert start.release.is_set() and not app.is_running and app.return_code in (0, None)
