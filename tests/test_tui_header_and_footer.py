"""The header and the footer: what is drawn follows every change of the sub-title and the title, and
the footer composes its keys with its screen (``widgets/footer.py``), so they are there in the
screen's first frame, not a refresh later (issue 21.2).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.widgets.footer import SteadyFooter
from tests.helpers import TODAY
from tests.tui_driving import screen_text, settle

SIZE = (120, 40)


def header_line(app: App[None]) -> str:
    return screen_text(app).splitlines()[0]


async def test_the_header_drawn_follows_the_sub_title(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "new patient · question 1 of 17" in header_line(app)
        await pilot.press(*"Mina Park", "enter")
        await settle(pilot)
        assert app.sub_title == "Mina Park · question 2 of 17"
        assert "Mina Park · question 2 of 17" in header_line(app)
        await pilot.press("escape")  # back to the name
        await settle(pilot)
        assert "Mina Park · question 1 of 17" in header_line(app)


async def test_the_header_drawn_follows_the_title(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.stage.show_to_sign(3)
        await settle(pilot)
        assert app.title == "Botulax consult · to sign: 3"
        assert "to sign: 3" in header_line(app)
        app.stage.show_to_sign(0)
        await settle(pilot)
        assert "to sign" not in header_line(app)


class KeysAtMount(Screen[None]):
    """Records the footer's keys when the screen mounts, before its first refresh."""

    BINDINGS = [Binding("f9", "nothing", "Nothing")]
    keys_at_mount: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.keys_at_mount = [str(getattr(key, "key", "")) for key in self.query("FooterKey")]


async def test_the_footer_has_its_keys_when_its_screen_mounts() -> None:
    screen = KeysAtMount()

    class OneScreen(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with OneScreen().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen.keys_at_mount is not None and "f9" in screen.keys_at_mount
        assert "Nothing" in screen_text(pilot.app)
