"""While the record server is away the PIN is checked against this computer's copy of the staff
register, never replaced by a typed name (issue 20.1), on a real server stopped and started again:
a wrong PIN is refused and counted here, a right one signs the person in for the consult, which is
saved under their name with their signature once the server is back and their PIN typed again. An
edited copy, or none, lets nobody in: the consult is kept as run by "not named"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.lifecycle.staff import NotPermitted
from assistant.files.register_copy import RegisterCopyFile
from assistant.files.resources import Resources
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.services import staff
from assistant.services.desk import Desk
from assistant.services.staff_register import StaffRegister
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.collaborators import finishing
from assistant.tui.screens.account_screen import AccountScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.staff_screen import StaffScreen
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, TODAY
from tests.postgres_server import TemporaryServer
from tests.staff_register import light_argon2
from tests.test_tui_consult import SIZE, type_answer
from tests.test_tui_lifecycle import sign_in
from tests.test_tui_server_outage import notices, rest_of_the_consult
from tests.tui_driving import screen_text, settle, until

pytestmark = pytest.mark.stops_postgres  # the server is stopped: with .ci/run's shared one, a server of its own


@pytest.fixture
def server(postgres_url: str) -> Iterator[PostgresStore]:
    """The clinic's server with a medical director, an injector and a junior."""
    store = PostgresStore(parse_database_url(postgres_url))
    desk = Desk(store)
    with light_argon2():  # their PINs at light argon2 cost (tests/staff_register.py); the screens are the subject
        staff.add(desk, DIRECTOR, "medical_director", PINS[DIRECTOR])
        staff.add(desk, INJECTOR, "injector", PINS[INJECTOR], DIRECTOR, PINS[DIRECTOR])
        staff.add(desk, JUNIOR, "junior", PINS[JUNIOR], DIRECTOR, PINS[DIRECTOR])
    yield store
    store.close()


@pytest.fixture
def away(postgres_server: TemporaryServer) -> Iterator[TemporaryServer]:
    """Stops the server when asked (``away.stop()``); it is always started again."""
    yield postgres_server
    postgres_server.start_again()


def test_a_pin_is_checked_and_counted_against_the_copy_while_the_server_is_away(
    server: PostgresStore, away: TemporaryServer
) -> None:
    register = StaffRegister(Desk(server), RegisterCopyFile(server.describe()))
    assert register.read().source == "record", "read from the server: the copy written"
    away.stop()

    listing = register.read()
    assert listing.source == "copy" and sorted(a.name for a in listing.accounts) == sorted(PINS)
    assert listing.notice is not None and "checked against this computer's copy of the staff register" in listing.notice
    with pytest.raises(NotPermitted, match=r"Wrong PIN for Ina Choi \(4 more"):
        register.authenticate(INJECTOR, "000000", "run")
    counted = json.loads(register.copy_file.wrong_pins_path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert counted["accounts"]["ina choi"]["wrong_pins"] == 1, "counted on this computer"
    account = register.authenticate(INJECTOR, PINS[INJECTOR], "run")
    assert (account.name, account.role, account.sealed_key) == (INJECTOR, "injector", None)
    assert not register.desk.keyring.keys, "nothing unsealed: the key is on the server"

    for _ in range(4):
        with pytest.raises(NotPermitted):
            register.authenticate(JUNIOR, "000000", "run")
    with pytest.raises(NotPermitted, match="now locked"):
        register.authenticate(JUNIOR, "000001", "run")
    with pytest.raises(NotPermitted, match="locked after too many wrong PINs"):
        register.authenticate(JUNIOR, PINS[JUNIOR], "run")


def promote_junior(copy_file: RegisterCopyFile) -> None:
    """The copy edited by hand: the junior made a medical director."""
    data = json.loads(copy_file.path.read_text(encoding="utf-8"))
    for account in data["accounts"]:
        if account["name"] == JUNIOR:
            account["role"] = "medical_director"
    copy_file.path.write_text(json.dumps(data), encoding="utf-8")


def test_an_edited_copy_or_none_lets_nobody_in(server: PostgresStore, away: TemporaryServer) -> None:
    register = StaffRegister(Desk(server), RegisterCopyFile(server.describe()))
    register.read()
    copy_file = register.copy_file
    assert copy_file is not None
    promote_junior(copy_file)
    away.stop()
    listing = register.read()
    assert (listing.accounts, listing.source) == ([], "none")
    assert listing.notice is not None
    assert f"the role of {JUNIOR} (medical director) was not given by a medical director" in listing.notice
    assert "nobody can sign in until it is back" in listing.notice and "not named" in listing.notice

    copy_file.path.unlink()
    listing = register.read()
    assert (listing.accounts, listing.source) == ([], "none")
    assert listing.notice is not None and "no copy of the staff register" in listing.notice


async def wait_for_copy(app: ConsultApp, pilot) -> RegisterCopyFile:  # type: ignore[no-untyped-def]
    copy_file = RegisterCopyFile(app.records.desk.repository.describe())
    await until(pilot, copy_file.path.exists, timeout=5, why=lambda: "the copy was not written at start")
    return copy_file


async def test_signed_in_from_the_copy_then_saved_with_the_signature_once_the_server_is_back(
    resources: Resources,
    tmp_path: Path,
    server: PostgresStore,
    away: TemporaryServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(finishing, "RETRY_SECONDS", 0.5)
    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_copy(app, pilot)
        away.stop()
        try:
            await type_answer(pilot, "Mina Park")
            await rest_of_the_consult(pilot)
            await pilot.press("p")
            await settle(pilot)
            picker = app.screen
            assert isinstance(picker, AccountScreen), type(picker)
            assert "copy of the register" in picker.message
            assert sorted(a.name for a in picker.accounts) == sorted(PINS)
            assert "PINs checked on this computer" in notices(app), "said in one line"

            await pilot.press("down", "down", "enter", *"000000", "enter")  # Ina Choi (the second), a wrong PIN
            await settle(pilot)
            assert app.screen is picker and "Wrong PIN for Ina Choi" in screen_text(app)
            await pilot.press(*PINS[INJECTOR], "enter")
            await settle(pilot)
            plan = app.screen
            assert isinstance(plan, PlanScreen) and plan.record is None, type(plan)
            assert app.account is not None and app.account.name == INJECTOR
            assert not any(isinstance(s, StaffScreen) for s in app.screen_stack), "no typed name"
            assert "NOT SAVED YET" in screen_text(app)

            app.signed_in.last_key -= 3600  # the idle lock: opened by a PIN checked against the copy too
            app.signed_in.check_idle()
            await settle(pilot)
            lock = app.screen
            assert isinstance(lock, AccountScreen) and app.locked and "copy of the register" in lock.message
            await sign_in(pilot, INJECTOR)
            assert not app.locked and app.account is not None and app.account.name == INJECTOR
        finally:
            away.start_again()

        # the retry finds the server back; the key is sealed there: the PIN again
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), timeout=12, why=lambda: notices(app))
        again = app.screen
        assert isinstance(again, AccountScreen), notices(app)
        assert [a.name for a in again.accounts] == [INJECTOR] and "type the PIN again" in again.message
        await sign_in(pilot, INJECTOR)
        await until(pilot, lambda: plan.record is not None, timeout=12, why=lambda: notices(app))
        assert plan.record is not None, notices(app)
        consult_id = plan.record.consult_id

    kept = server.get(consult_id)
    assert kept is not None and (kept.staff, kept.staff_role) == (INJECTOR, "injector")
    [saved] = [e for e in server.audit_entries(consult_id) if e.action == "consult saved"]
    assert saved.actor == INJECTOR and saved.signature, "signed by who ran it"


async def test_with_an_edited_copy_nobody_signs_in_and_no_name_is_typed(
    resources: Resources,
    tmp_path: Path,
    server: PostgresStore,
    away: TemporaryServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(finishing, "RETRY_SECONDS", 0.5)
    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        promote_junior(await wait_for_copy(app, pilot))
        away.stop()
        try:
            await type_answer(pilot, "Mina Park")
            await rest_of_the_consult(pilot)
            await pilot.press("p")
            await settle(pilot)
            plan = app.screen
            assert isinstance(plan, PlanScreen) and plan.record is None, type(plan)
            assert not any(isinstance(s, StaffScreen | AccountScreen) for s in app.screen_stack)
            said = notices(app)
            assert f"the role of {JUNIOR} (medical director) was not given" in said
            assert "kept as run by: not named" in said
        finally:
            away.start_again()
        await until(pilot, lambda: plan.record is not None, timeout=12, why=lambda: notices(app))
        assert plan.record is not None, notices(app)
        assert plan.record.staff is None, "not named"


async def test_signed_in_from_the_copy_the_pin_is_asked_again_before_a_consult_is_kept_on_the_server(
    resources: Resources,
    tmp_path: Path,
    server: PostgresStore,
    away: TemporaryServer,
    postgres_url: str,
) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_copy(app, pilot)
        away.stop()
        try:
            await app.run_action("sign_in")
            await sign_in(pilot, INJECTOR)
            assert app.account is not None and app.account.name == INJECTOR
            assert not app.records.desk.keyring.keys, "signed in from the copy: no key opened"
        finally:
            away.start_again()
        await type_answer(pilot, "Mina Park")
        await rest_of_the_consult(pilot)
        await pilot.press("p")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, AccountScreen), type(again)
        assert [a.name for a in again.accounts] == [INJECTOR] and "PIN again" in again.message
        await sign_in(pilot, INJECTOR)
        plan = app.screen
        assert isinstance(plan, PlanScreen) and plan.record is not None, notices(app)
        consult_id = plan.record.consult_id

    [saved] = [e for e in server.audit_entries(consult_id) if e.action == "consult saved"]
    assert saved.actor == INJECTOR and saved.signature, "signed by who ran it"


async def test_a_record_desk_built_while_the_server_is_away_keeps_the_clinics_cosign_rule(
    resources: Resources, tmp_path: Path, server: PostgresStore, away: TemporaryServer, postgres_url: str
) -> None:
    """A junior's consult kept here during an outage and saved once the server is back still needs
    a medical director's co-signature when the clinic requires one (the rule holds on every path)."""
    from dataclasses import replace

    cosigning = replace(resources, clinic=resources.clinic.model_copy(update={"require_cosign": True}))
    away.stop()
    try:
        app = make_app(cosigning, TODAY, data_dir=tmp_path / "here", database=postgres_url)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.records.recorder.offline is not None, "away at start"
            assert app.records.recorder.desk.require_cosign, "the clinic's rule, not the default"
    finally:
        away.start_again()
