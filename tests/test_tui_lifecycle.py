"""The treatment record in the UI, by keypress: a junior runs the consult and signs in with a PIN,
an injector records what was given (a changed line with its reason) and signs; a junior never sees
Sign; the "to sign" list; the lock after idle minutes; a consult given from an open vial."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import audit_trail, vials
from assistant.services.desk import Desk
from assistant.settings import ClinicSettings
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.account_screen import AccountScreen
from assistant.tui.screens.due_screen import DueScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.pin_screen import PinScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.review_screen import ReviewScreen
from assistant.tui.screens.to_sign_screen import ToSignScreen
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, TODAY
from tests.staff_register import WITH_JUNIOR, StaffRegisters
from tests.test_tui_consult import DATE_OF_BIRTH, enter, type_answer
from tests.test_tui_records import full_face
from tests.tui_driving import burst, press_give, screen_text, settle, until

SIZE = (120, 40)


@pytest.fixture
def clinic(tmp_path: Path, staff_registers: StaffRegisters) -> Path:
    """A data folder with a medical director, an injector and a junior."""
    return staff_registers.copy_folder(WITH_JUNIOR, tmp_path / "data")


async def to_review(pilot: Pilot, lot: str | None = None) -> None:
    await full_face(pilot)
    await type_answer(pilot, "never")
    await pilot.press("n")  # no asymmetry
    await pilot.pause()
    await enter(pilot)  # goals
    if lot is None:
        await enter(pilot)  # no lot
    assert lot is not None or isinstance(pilot.app.screen, ReviewScreen)


async def sign_in(pilot: Pilot, name: str) -> None:
    """On the account picker: the account by its place in the list (names sorted; of several none is
    highlighted, the first Down picks the first; one is picked already), then the PIN."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AccountScreen), type(screen)
    names = [a.name for a in screen.accounts]
    downs = ["down"] * (names.index(name) + 1) + ["enter"] if len(names) > 1 else []
    burst(pilot.app, *downs, PINS[name], "enter")
    await settle(pilot)


async def type_pin(pilot: Pilot, name: str, reason: str | None = None) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, PinScreen), type(pilot.app.screen)
    burst(pilot.app, *([] if reason is None else [reason, "enter"]), PINS[name], "enter")
    await settle(pilot)


async def planned_by(pilot: Pilot, name: str) -> None:
    """A consult run to its plan (P), run by ``name`` (the account picker and the PIN)."""
    await to_review(pilot)
    await pilot.press("p")
    await sign_in(pilot, name)


async def give_as_planned(pilot: Pilot) -> None:
    """A consult run, signed in as the injector, and given exactly as planned (G, Ctrl+S, PIN)."""
    await planned_by(pilot, INJECTOR)
    await press_give(pilot)
    await settle(pilot)
    await pilot.press("ctrl+s")
    await type_pin(pilot, INJECTOR)


async def review_of_a_given_consult(pilot: Pilot) -> tuple[str, list[str]]:
    """A consult run and given as planned, then E on its plan: its id, and the review's questions row
    by row (Down that many times and Enter to change one)."""
    await give_as_planned(pilot)
    consult_id = pilot.app.screen.record.consult_id  # type: ignore[attr-defined]
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)
    table = pilot.app.screen.query_one(DataTable)
    return consult_id, [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def footer_keys(app: ConsultApp) -> set[str]:
    return {binding.action for (_, binding, enabled, _) in app.active_bindings.values() if enabled and binding.show}


async def test_junior_runs_injector_gives_a_changed_line_and_signs(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, JUNIOR)
        assert isinstance(app.screen, PlanScreen)
        record = app.screen.record
        assert record is not None and (record.staff, record.staff_role) == (JUNIOR, "junior")
        assert {"give", "sign"}.isdisjoint(footer_keys(app)), "a junior never sees Given or Sign"
        await pilot.press("k", "g")  # nothing happens
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert await app.record_desk.sign(record.consult_id) is None  # asked directly: refused with a notice, no dialog
        assert TinyDBStore(clinic).get(record.consult_id).state == "planned"  # type: ignore[union-attr]

        await app.run_action("sign_in")  # the injector takes the keyboard (palette: Sign in)
        await sign_in(pilot, INJECTOR)
        assert {"give"} <= footer_keys(app) and "sign" not in footer_keys(app)
        await press_give(pilot)
        await settle(pilot)
        given_screen = app.screen
        assert isinstance(given_screen, GivenScreen)
        units = given_screen.query_one("#units-0", Input)
        assert units.value == "20" and "20 U · 5" in screen_text(app)
        await pilot.press("1", "8")  # 18 U on the glabella: the box selects its figure on focus, typing replaces it
        await pilot.press("ctrl+s")  # no reason yet: refused at its row
        await settle(pilot)
        assert isinstance(app.screen, GivenScreen) and "differs from the plan" in screen_text(app)
        assert given_screen.query_one("#reason-0", Input).has_focus, "the refused row's reason box is where typing goes"
        await pilot.press(*"asked for a lighter frown", "ctrl+s")
        await type_pin(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen)
        assert "given by Ina Choi" in screen_text(app) and "sign" in footer_keys(app)
        said = [n.message for n in app._notifications if n.title == "Given"]
        assert any("38 U were recorded without a lot" in m for m in said), said  # no lot asked, no vial open
        await pilot.press("k")
        await type_pin(pilot, INJECTOR)
        assert "signed by Ina Choi" in screen_text(app)
    kept = TinyDBStore(clinic).get(record.consult_id)
    assert kept is not None and (kept.state, kept.version) == ("signed", 4)  # version 2: the consent G asked for
    assert kept.given is not None and kept.given.by == INJECTOR
    glabella = next(line for line in kept.given.lines if line.zone == "glabella")
    assert (glabella.units, glabella.differs_from_plan, glabella.reason) == (18, True, "asked for a lighter frown")
    assert kept.signatures[0].name == INJECTOR
    assert audit_trail.check(TinyDBStore(clinic)).ok


async def test_a_wrong_pin_keeps_the_picker_and_says_why(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.query_one("#account-list", OptionList).highlighted is None, "of several, none yet"
        await pilot.press("enter", "tab", *"9999", "enter")  # no account picked: the PIN is checked against none
        await settle(pilot)
        assert "Pick your account first" in screen_text(app) and "9999" not in screen_text(app)
        assert "failed PIN" not in [e.action for e in TinyDBStore(clinic).audit_entries()]
        await pilot.press("down", "enter", *"9999", "enter")  # the first account, a wrong PIN
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "Wrong PIN" in screen_text(app) and "9999" not in screen_text(app)
        assert app.screen.query_one("#account-pin", Input).value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PlanScreen), "cancelled: the consult is not finished"
    assert TinyDBStore(clinic).recent().rows == []
    assert [e.action for e in TinyDBStore(clinic).audit_entries()][-1] == "failed PIN"


async def test_a_pin_goes_to_the_account_picked_and_down_picks_another_after_a_wrong_one(
    resources: Resources, clinic: Path
) -> None:
    """A tryout: a PIN typed on the list before an account was picked vanished without a word; after a
    wrong PIN, Down in the PIN field did nothing, so the next PIN counted against the same account (a
    medical director's, a few tries from a lockout)."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        burst(app, *"9999")
        await settle(pilot)
        assert "Pick your account first" in screen_text(app) and "9999" not in screen_text(app)
        assert app.screen.query_one("#account-pin", Input).value == ""
        burst(app, "down", *"9999", "enter")  # the first account, a wrong PIN typed straight on
        await settle(pilot)
        assert f"Wrong PIN for {DIRECTOR}" in screen_text(app)
        burst(app, "down", *PINS[INJECTOR], "enter")  # from the PIN field: Down is the next account
        await until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await settle(pilot)
        assert app.account is not None and app.account.name == INJECTOR
    failed = [e for e in TinyDBStore(clinic).audit_entries() if e.action == "failed PIN"]
    assert len(failed) == 1 and DIRECTOR in f"{failed[0].actor} {failed[0].detail}", failed


async def test_a_pin_typed_on_the_list_keeps_every_key_across_the_move_to_the_pin_field(
    resources: Resources, clinic: Path
) -> None:
    """A tryout typed Down and a right PIN at the picker and was told "Wrong PIN": the first digits
    went to the PIN field as the focus moved there, and the field, selecting its text on focus, let
    the next digit replace them."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await app.run_action("sign_in")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        pin = PINS[DIRECTOR]
        burst(app, "down", pin[0], pin[1])  # typed on the list
        await settle(pilot)  # the focus has moved to the PIN field meanwhile
        assert app.screen.query_one("#account-pin", Input).has_focus
        burst(app, *pin[2:], "enter")
        await until(pilot, lambda: app.account is not None, why=lambda: screen_text(app))
        assert app.account is not None and app.account.name == DIRECTOR


async def test_the_to_sign_list_and_its_count_in_the_header(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        await settle(pilot)
        assert "to sign: 1" in app.title
        await app.run_action("to_sign")
        await settle(pilot)
        assert isinstance(app.screen, ToSignScreen) and "Mina Park" in screen_text(app)
        await pilot.press("enter")
        await type_pin(pilot, INJECTOR)
        await settle(pilot)
        assert "to sign" not in app.title


async def test_the_screen_locks_after_the_idle_minutes(resources: Resources, clinic: Path) -> None:
    quick = resources.clinic.model_copy(update={"idle_lock_minutes": 0.005})
    app = make_app(resources.__class__(**{**resources.__dict__, "clinic": quick}), TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await app.run_action("sign_in")
        await sign_in(pilot, INJECTOR)
        await type_answer(pilot, "Mina Park")
        app.signed_in.last_key -= 60  # a minute without a key
        app.signed_in.check_idle()
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen) and "Locked after" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen), "only a right PIN opens it"
        assert app.account is None
        await sign_in(pilot, INJECTOR)
        assert app.account is not None and app.session.answers["patient_name"] == "Mina Park"


async def test_a_consult_given_from_an_open_vial(resources: Resources, clinic: Path) -> None:
    desk = Desk(TinyDBStore(clinic))
    opened = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    vial = vials.open_one(
        desk, resources.kb, ClinicSettings(), lot="BX2311", expiry=dt.date(2027, 5, 31), units=100, saline_ml=2.5,
        at=opened, by=INJECTOR, pin=PINS[INJECTOR],
    )  # fmt: skip
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot, lot="pick")
        await settle(pilot)
        area = app.screen.query_one("#answer-single", OptionList)
        assert "lot BX2311 · 100 of 100 U left" in screen_text(app) and area.has_focus
        await pilot.press("enter")  # the open vial
        await settle(pilot)
        assert app.session.answers["lot_number"] == "BX2311" and app.session.vial_id == vial.vial_id
        assert app.screen.query_one("#answer-text", Input).value == "2027-05-31"  # its expiry, suggested
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        await press_give(pilot)
        await settle(pilot)
        assert isinstance(app.screen, GivenScreen)
        assert app.screen.query_one("#given-vial", OptionList).highlighted == 0
        await pilot.press("ctrl+s")
        await type_pin(pilot, INJECTOR)
        record = app.screen.record  # type: ignore[attr-defined]
    kept = TinyDBStore(clinic).get(record.consult_id)
    assert kept is not None and kept.given is not None
    assert {line.vial_id for line in kept.given.lines} == {vial.vial_id}
    left = TinyDBStore(clinic).vial(vial.vial_id)
    assert left is not None and left.units_left == 100 - kept.given.total_units
    assert [r.consult_id for r in TinyDBStore(clinic).recall("BX2311")] == [record.consult_id]


async def test_doses_given_in_the_last_90_days_count_towards_the_maximum(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        assert "given by Ina Choi (40 U)" in screen_text(app)

    # the same zones the same day wait for the peak (the record's timing), so the 40 U given alone
    # pass this clinic's maximum
    strict = resources.clinic.model_copy(update={"session_max_units": 30})
    again = make_app(resources.__class__(**{**resources.__dict__, "clinic": strict}), TODAY, data_dir=clinic)
    async with again.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        assert "already has a consult today" in screen_text(again)  # issue 22.4: asked first
        await pilot.press("down", "down", "enter")  # a second consult is meant
        await settle(pilot)
        assert isinstance(again.screen, PlanScreen)
        plan = again.screen.plan
        assert plan.status == "refused" and [r.code for r in plan.reasons] == ["cumulative_max"]
        assert "REFUSED" in screen_text(again) and "given in the last 90 days" in screen_text(again)


async def test_signing_from_the_list_asks_who_is_signing_and_the_pin_once(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        consult_id = app.screen.record.consult_id  # type: ignore[attr-defined]

    later = make_app(resources, TODAY, data_dir=clinic)  # the next morning: nobody signed in yet
    async with later.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await later.run_action("to_sign")
        await settle(pilot)
        assert isinstance(later.screen, ToSignScreen) and "Enter signs" in screen_text(later)
        await pilot.press("enter")
        await settle(pilot)
        assert "You sign consult" in screen_text(later), "what is signed, above the account picker's PIN"
        await sign_in(pilot, DIRECTOR)  # the PIN typed there signs: it is asked once
        assert not isinstance(later.screen, PinScreen), "no second PIN"
        assert "to sign" not in later.title and later.account is not None and later.account.name == DIRECTOR
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.state == "signed" and kept.signatures[0].name == DIRECTOR


async def test_who_is_due_lists_the_review_two_weeks_later(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)

    review_day = TODAY + dt.timedelta(days=14)
    later = make_app(resources, review_day - dt.timedelta(days=2), data_dir=clinic)
    async with later.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await later.run_action("due")
        await settle(pilot)
        assert isinstance(later.screen, DueScreen)
        text = screen_text(later)
        assert f"{review_day.isoformat()}" in text and "review" in text and "Mina Park (P-1042)" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(later.screen, DueScreen)


async def test_changing_a_given_consult_is_an_amendment_with_its_reason(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        consult_id, questions = await review_of_a_given_consult(pilot)
        born_row = questions.index(DATE_OF_BIRTH)
        await pilot.press(*["down"] * born_row, "enter")
        await settle(pilot)
        await type_answer(pilot, "1966-05-14")  # 60 on TODAY
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen) and "amendment" in screen_text(app)
        await type_pin(pilot, INJECTOR, reason="age was typed wrong")
        assert isinstance(app.screen, PlanScreen)
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.answers["age"] == 60
    revision = kept.revision
    assert revision is not None and (revision.kind, revision.by, revision.reason) == (
        "amended",
        INJECTOR,
        "age was typed wrong",
    )
    first = TinyDBStore(clinic).get(consult_id, 1)
    assert first is not None and first.answers["age"] == 38, "the original stays readable"
    assert [r.consult_id for r in TinyDBStore(clinic).recent().rows] == [consult_id], "one consult in the history"
