"""The lock after idle minutes cannot be walked around: it hides the record behind an opaque screen
(80x24 and 160x50), and while it is up the palette, To sign, Who is due, Clinic settings and the
plan's G and K do nothing; notices wait for the right PIN, and nothing typed before is lost."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

from assistant.files.resources import Resources
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.account_screen import AccountScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import INJECTOR, TODAY
from tests.test_tui_lifecycle import clinic, planned_by, sign_in  # noqa: F401 (the fixture)
from tests.tui_driving import screen_text, settle

PATIENT = "Mina Park"


def quick(resources: Resources, clinic: Path) -> ConsultApp:  # noqa: F811
    fast = resources.clinic.model_copy(update={"idle_lock_minutes": 0.005})
    return make_app(resources.__class__(**{**resources.__dict__, "clinic": fast}), TODAY, data_dir=clinic)


async def lock_now(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    app.signed_in.last_key -= 60  # a minute without a key
    app.signed_in.check_idle()
    await settle(pilot)
    assert isinstance(app.screen, AccountScreen) and app.locked


async def test_nothing_of_the_record_shows_behind_the_lock(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = quick(resources, clinic)
    async with app.run_test(size=(80, 24)) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and PATIENT in screen_text(app)
        await lock_now(pilot)
        for size in ((80, 24), (160, 50)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert "Locked after" in screen_text(app)
            assert PATIENT not in screen_text(app), size
            assert PATIENT not in app.export_screenshot(), size


async def test_while_locked_no_palette_screen_or_key_works(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = quick(resources, clinic)
    async with app.run_test(size=(120, 40)) as pilot:
        await planned_by(pilot, INJECTOR)
        plan = app.screen
        assert isinstance(plan, PlanScreen) and plan.record is not None
        answers = dict(app.session.answers)
        await lock_now(pilot)
        stack = list(app.screen_stack)

        await pilot.press("ctrl+p")
        await settle(pilot)
        assert not CommandPalette.is_open(app)
        assert list(app.get_system_commands(app.screen)) == []
        for action in ("to_sign", "due", "clinic_settings", "drafts", "sign_in", "command_palette", "toggle_theme"):
            assert not await app.run_action(action), action
            await settle(pilot)
        await pilot.press("g", "k", "f4", "ctrl+r")
        await settle(pilot)
        assert app.screen_stack == stack, "no screen opened over or under the lock"
        assert app.locked and app.account is None

        app.notify(f"{PATIENT}: a notice that came while locked")
        await settle(pilot)
        assert PATIENT not in screen_text(app)
        assert not any(PATIENT in n.message for n in app._notifications)

        await sign_in(pilot, INJECTOR)
        assert not app.locked and app.account is not None and app.account.name == INJECTOR
        assert app.screen is plan and plan.record is not None
        assert app.session.answers == answers, "nothing typed before is lost"
        assert any(PATIENT in n.message for n in app._notifications), "the notice held is shown now"
        assert await app.run_action("toggle_theme")
