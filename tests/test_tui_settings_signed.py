"""The Clinic settings screen once the record has staff accounts (issue 20, section 4): the dilution
changes every mL per point, so saving is a medical director's signed act, with their PIN, saved by
the same service as ``setup --by``. A junior is refused, a wrong PIN or Esc changes nothing, the
records server away changes nothing; each time the screen keeps what was typed. With no account
yet the screen saves with no PIN, as ``setup`` does."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from assistant import locations
from assistant.cli import main
from assistant.core.lifecycle.staff import NotPermitted
from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.records.repository import ConsultRepository
from assistant.services import clinic_settings, staff
from assistant.services.desk import Desk
from assistant.tui.app import make_app
from assistant.tui.screens.account_screen import AccountScreen
from assistant.tui.screens.setup_screen import SetupScreen
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, TODAY
from tests.test_tui_lifecycle import clinic, sign_in  # noqa: F401 (the fixture)
from tests.tui_driving import screen_text, settle, until

SIZE = (120, 40)
WRONG = "999999"
UNREACHABLE = "postgresql://botulax@127.0.0.1:9/botulax"
"""A records server that is away (nothing listens on the discard port)."""


async def settled(pilot: Pilot) -> None:
    """Every key applied, and the settings screen's save (a worker) finished or waiting for a PIN."""
    app = pilot.app
    await settle(pilot)

    def saved_or_asking() -> bool:
        saving = any(w.name == "save-settings" and w.is_running for w in app.workers)
        return not saving or isinstance(app.screen, AccountScreen)

    await until(pilot, saved_or_asking, timeout=20)
    await settle(pilot)


async def typed_dilution(pilot: Pilot, saline_ml: str) -> SetupScreen:
    """The palette's "Clinic settings": the saline per vial typed, Enter through the rest (saves)."""
    app = pilot.app
    assert await app.run_action("clinic_settings")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SetupScreen), type(screen)
    await pilot.press("enter", "enter", *saline_ml, "enter", "enter", "enter")
    await settled(pilot)
    return screen


async def signed_in_as(pilot: Pilot, name: str) -> None:
    assert await pilot.app.run_action("sign_in")
    await sign_in(pilot, name)
    assert pilot.app.account is not None and pilot.app.account.name == name


def settings_file() -> dict[str, object] | None:
    target = locations.user_clinic_file()
    return tomllib.loads(target.read_text(encoding="utf-8")) if target.exists() else None


def actions(data: Path) -> list[str]:
    return [entry.action for entry in TinyDBStore(data).audit_entries()]


def kept(screen: SetupScreen, saline_ml: str) -> str:
    """The screen still up with what was typed; its refusal."""
    assert screen.is_attached and screen.app.screen is screen
    assert screen.query_one("#setup-saline_ml", Input).value == saline_ml, "nothing typed is lost"
    return str(screen.query_one("#setup-problems", Static).render())


async def test_a_director_changes_the_dilution_with_their_pin_as_a_signed_act(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_as(pilot, DIRECTOR)
        screen = await typed_dilution(pilot, "5")
        picker = app.screen
        assert isinstance(picker, AccountScreen), "the PIN is asked before anything is written"
        assert [a.name for a in picker.accounts] == [DIRECTOR], "the director signed in signs"
        assert "saline_ml" in screen_text(app) and settings_file() is None
        await pilot.press(*PINS[DIRECTOR], "enter")
        await settled(pilot)
        assert not screen.is_attached
        assert app.resources.clinic.saline_ml == 5
        assert f"changed by {DIRECTOR}" in screen_text(app)
    assert settings_file() is not None and settings_file()["saline_ml"] == 5  # type: ignore[index]
    last = list(TinyDBStore(clinic).audit_entries())[-1]
    assert (last.action, last.actor) == ("settings changed", DIRECTOR)
    assert last.data is not None and last.data["changes"]["saline_ml"]["new"] == 5.0
    assert last.signature, "signed with the director's key"
    assert main(["audit", "verify", "--data-dir", str(clinic)]) == 0


async def test_a_junior_is_refused_and_a_director_can_come_and_sign(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_as(pilot, JUNIOR)
        screen = await typed_dilution(pilot, "5")
        picker = app.screen
        assert isinstance(picker, AccountScreen)
        assert [a.name for a in picker.accounts] == [DIRECTOR], "only enabled medical directors are offered"
        assert f"{JUNIOR} is a junior and may not change the clinic settings" in picker.message
        await pilot.press("escape")
        await settled(pilot)
        assert "medical director's PIN is needed" in kept(screen, "5")
        assert settings_file() is None and "settings changed" not in actions(clinic)
        assert app.resources.clinic.saline_ml != 5

        await pilot.press("enter")  # the last field again: saved, with the director's PIN
        await settled(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press(*PINS[DIRECTOR], "enter")
        await settled(pilot)
        assert not screen.is_attached and app.resources.clinic.saline_ml == 5
        assert app.account is not None and app.account.name == JUNIOR, "the junior is still signed in"
        director = TinyDBStore(clinic).staff_account(DIRECTOR)
        assert director is not None and director.key not in app.records.desk.keyring.keys, (
            "the director's key is not kept"
        )
    assert actions(clinic)[-1] == "settings changed"


async def test_a_wrong_pin_or_esc_changes_nothing(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        before = app.resources.clinic
        screen = await typed_dilution(pilot, "5")  # nobody signed in: the picker of the directors
        assert isinstance(app.screen, AccountScreen) and [a.name for a in app.screen.accounts] == [DIRECTOR]
        await pilot.press(*WRONG, "enter")
        await settled(pilot)
        assert isinstance(app.screen, AccountScreen), "the picker stays"
        assert "Wrong PIN" in screen_text(app)
        assert settings_file() is None
        assert actions(clinic)[-1] == "failed PIN", "counted"
        await pilot.press("escape")
        await settled(pilot)
        assert "Not saved" in kept(screen, "5")
        await pilot.press("escape")  # the settings screen itself: left as they are
        await settled(pilot)
        assert not screen.is_attached and app.resources.clinic == before
    assert settings_file() is None and "settings changed" not in actions(clinic)


async def test_a_locked_director_is_told_so(resources: Resources, clinic: Path) -> None:  # noqa: F811
    desk = Desk(TinyDBStore(clinic))
    for _ in range(desk.policy.max_wrong_pins):
        with pytest.raises(NotPermitted):
            staff.authenticate(desk, DIRECTOR, WRONG, "run")
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        screen = await typed_dilution(pilot, "5")
        await pilot.press(*PINS[DIRECTOR], "enter")
        await settled(pilot)
        assert isinstance(app.screen, AccountScreen) and "locked" in screen_text(app)
        await pilot.press("escape")
        await settled(pilot)
        kept(screen, "5")
    assert settings_file() is None and "settings changed" not in actions(clinic)


async def test_with_no_account_yet_the_screen_saves_with_no_pin(resources: Resources, tmp_path: Path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        screen = await typed_dilution(pilot, "5")
        assert not screen.is_attached, "no PIN asked"
        assert app.resources.clinic.saline_ml == 5
    assert settings_file() is not None and settings_file()["saline_ml"] == 5  # type: ignore[index]
    assert "settings changed" not in actions(tmp_path / "data")


async def test_while_the_records_server_is_away_the_settings_are_not_changed(
    resources: Resources, tmp_path: Path
) -> None:
    """Whether the record has accounts cannot be read, so nobody may change them without a PIN."""
    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=UNREACHABLE)
    async with app.run_test(size=SIZE) as pilot:
        before = app.resources.clinic
        screen = await typed_dilution(pilot, "5")
        refusal = kept(screen, "5")
        assert refusal.startswith("Not saved:") and "cannot be reached" in refusal
        assert app.resources.clinic == before
    assert settings_file() is None


def test_the_rule_is_one_service_for_setup_and_the_screen(repository: ConsultRepository) -> None:
    desk = Desk(repository)
    assert not clinic_settings.needs_director(desk) and clinic_settings.directors(desk) == []
    staff.add(desk, DIRECTOR, "medical_director", PINS[DIRECTOR])
    staff.add(desk, INJECTOR, "injector", PINS[INJECTOR], DIRECTOR, PINS[DIRECTOR])
    assert clinic_settings.needs_director(desk)
    assert [a.name for a in clinic_settings.directors(desk)] == [DIRECTOR]
