"""The header and the footer: what is drawn follows every change of the sub-title and the title, and
the footer composes its keys with its screen (``widgets/footer.py``), so they are there in the
screen's first frame, not a refresh later (issue 21.2).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.review_screen import ReviewScreen
from assistant.tui.screens.welcome_screen import WelcomeScreen
from assistant.tui.widgets.footer import SteadyFooter
from tests.helpers import TODAY
from tests.test_tui_consult import SlowStart, type_answer
from tests.test_tui_plan import to_plan
from tests.tui_driving import screen_text, settle, until

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


LONG_NAME = "Maximiliana Alexandra Konstantinopoulou-Papadimitriou"
"""Cut at 80 columns on every screen that names the patient in the header, whole at 160."""


async def widened(pilot: Pilot[None], expected: str) -> None:
    """From 80 columns to 160: the header says ``expected`` whole, the name no longer cut."""
    app = pilot.app
    assert "…" in header_line(app), header_line(app)
    await pilot.resize_terminal(160, 50)
    await until(pilot, lambda: expected in header_line(app), timeout=3, why=lambda: header_line(app))
    assert "…" not in header_line(app)


async def test_the_welcome_header_is_fitted_again_when_the_terminal_widens(resources: Resources) -> None:
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=(44, 24)) as pilot:  # "new patient" does not fit at 44
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await widened(pilot, "new patient · question 1 of 17")
        start.release.set()


async def test_the_consult_header_is_fitted_again_when_the_terminal_widens(resources: Resources) -> None:
    """The welcome screen under the consult screen hears the resize too: it must not say "new patient"."""
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start.finish_loading(app, pilot)
        await type_answer(pilot, LONG_NAME)
        assert isinstance(app.screen, ConsultScreen)
        await widened(pilot, f"{LONG_NAME} · question 2 of 17")


async def test_the_review_header_is_fitted_again_when_the_terminal_widens(resources: Resources) -> None:
    """The consult screen under the review hears the resize too: the header stays the review's."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_answer(pilot, LONG_NAME)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await widened(pilot, f"{LONG_NAME} · review")


async def test_the_plan_header_is_fitted_again_when_the_terminal_widens(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_plan(pilot, name=LONG_NAME)
        await widened(pilot, f"{LONG_NAME} · plan (planned)")


async def test_p_on_the_review_takes_review_out_of_the_header(resources: Resources) -> None:
    """Planning from the review asks who ran the consult first: the header said "review" over that
    question, and still did on the consult screen when it was put off (a tryout)."""
    from tests.test_tui_consult import StaffScreen, choose, enter, pick_zones, screening_all_no

    app = make_app(resources, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_answer(pilot, "Mina Park")
        await type_answer(pilot, "1988-05-14")
        await enter(pilot, 2)
        await choose(pilot)
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella"])
        await enter(pilot, 3)
        await type_answer(pilot, "never")
        await enter(pilot, 2)
        assert isinstance(app.screen, ReviewScreen) and "Mina Park · review" in header_line(app)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, StaffScreen))
        assert "review" not in header_line(app), header_line(app)
