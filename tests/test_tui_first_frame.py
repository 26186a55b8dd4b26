"""The welcome screen is drawn with fewer widgets than the consult screen, and looks the same."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.strip import Strip

from assistant.files.resources import Resources
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.welcome_screen import WelcomeScreen
from tests.test_tui_consult import SlowStart


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
