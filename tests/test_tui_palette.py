"""Issue 22.8: the command palette offers the clinic's actions only (none of Textual's theme picker,
keys panel, screenshot or maximize), and every action in it has a key, and every key of a staff action
an entry in it, on the consult screen and on the plan screen of an injector."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from assistant.files.resources import Resources
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.commands import PALETTE_ONLY, screen_actions
from assistant.tui.screens.account_screen import AccountScreen
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.due_screen import DueScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import INJECTOR, TODAY
from tests.test_tui_lifecycle import clinic, planned_by  # noqa: F401 (the fixture)
from tests.tui_driving import press_give, settle, until

pytestmark = pytest.mark.slow  # whole consults driven through the UI (tests/slow.py)

TEXTUALS_OWN = {"Theme", "Keys", "Screenshot", "Maximize", "Minimize"}


def entries(app: ConsultApp) -> list[SystemCommand]:
    return list(app.get_system_commands(app.screen))


def action_of(command: SystemCommand) -> str:
    """The action an entry runs: a screen's binding (``run_action``) or an app's ``action_*`` method."""
    callback = command.callback
    if isinstance(callback, partial):
        return str(callback.args[0]).removeprefix("app.")
    return callback.__name__.removeprefix("action_")  # type: ignore[union-attr]


def keyed_actions(app: ConsultApp, screen: Screen) -> set[str]:
    """Every action with a key here, allowed now: the app's and the screen's."""
    found = set()
    for holder in (app, screen):
        for binding in holder.BINDINGS:
            assert isinstance(binding, Binding)
            name = binding.action.removeprefix("app.")
            if holder.check_action(name, ()) is not False:
                found.add(name)
    return found


def assert_palette_and_keys_agree(app: ConsultApp) -> None:
    screen = app.screen
    palette = {action_of(c): c.title for c in entries(app)}
    assert not TEXTUALS_OWN & set(palette.values()), palette
    keyed = keyed_actions(app, screen)
    without_key = set(palette) - keyed - set(PALETTE_ONLY)
    assert not without_key, f"palette entries without a key: {without_key}"
    staff_keys = {b.action.removeprefix("app.") for b in screen_actions(screen)}
    staff_keys |= {b.action for b in app.BINDINGS if isinstance(b, Binding)}  # type: ignore[union-attr]
    staff_keys = {name for name in staff_keys if name in keyed}
    assert not staff_keys - set(palette), f"keys without a palette entry: {staff_keys - set(palette)}"


async def test_on_the_consult_screen_every_entry_has_a_key_and_every_key_an_entry(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        titles = [c.title for c in entries(app)]
        assert "Quit" in titles and "Why we ask" in titles and "To sign" in titles
        assert len(titles) == len(set(titles)), "each entry once"
        assert_palette_and_keys_agree(app)


async def test_on_an_injectors_plan_every_entry_has_a_key_and_over_a_dialog_only_quit(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=(120, 40)) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen)
        titles = {c.title for c in entries(app)}
        assert {"Record what was given", "Save the PDFs", "Print", "Edit the answers"} <= titles
        assert "Sign" not in titles, "a planned consult is given before it is signed: K is hidden, so is its entry"
        assert_palette_and_keys_agree(app)
        await press_give(pilot)
        await until(pilot, lambda: isinstance(app.screen, GivenScreen))
        stack = list(app.screen_stack)
        over = {c.title for c in entries(app)}
        assert "Quit" in over and not {"To sign", "Sign in", "Clinic settings", "New consult"} & over
        await pilot.press("f8", "f6", "f9")  # over the dialog: nothing opens on top of it
        await settle(pilot)
        assert app.screen_stack == stack


async def test_the_new_keys_open_their_lists(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await pilot.press("f10")  # To sign, of an empty record: said in a notice
        await until(pilot, lambda: any("Nothing waits" in n.message for n in app._notifications))
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, DueScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        await settle(pilot)


async def test_until_the_consult_has_loaded_the_palette_only_quits(resources: Resources) -> None:
    from tests.test_tui_consult import SlowStart

    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [c.title for c in entries(app)] == ["Quit"]
        await start.finish_loading(app, pilot)
