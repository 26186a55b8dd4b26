"""The chart and the Waiting screen by keypress: a patient found as you type, her chart, a consult's
plan opened from it; the Waiting tabs filtered by the signed-in role; a junior plans on one
workstation and an injector gives and signs it from Waiting on another (two apps on one record,
a TinyDB folder and a PostgreSQL server).

Real data folders and a real server, real PINs; each test waits on what it expects to see.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TabbedContent

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.records.repository import ConsultRepository
from assistant.services import staff, treatment
from assistant.services.desk import Desk
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.messages import RecordChanged
from assistant.tui.screens.chart_screen import ChartScreen
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.patient_search_screen import PatientSearchScreen
from assistant.tui.screens.recorded_plan_screen import RecordedPlanScreen
from assistant.tui.screens.review_screen import ReviewScreen
from assistant.tui.screens.waiting_screen import WaitingScreen
from tests.conftest import MakeRecord
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, TODAY, consented, keep
from tests.staff_register import light_argon2
from tests.test_tui_lifecycle import planned_by, sign_in, type_pin
from tests.tui_driving import press_give, screen_text, settle, until

SIZE = (120, 40)


def _staffed(repository: ConsultRepository) -> None:
    desk = Desk(repository)
    with light_argon2():  # their PINs at light argon2 cost (tests/staff_register.py); the screens are the subject
        staff.add(desk, DIRECTOR, "medical_director", PINS[DIRECTOR])
        staff.add(desk, INJECTOR, "injector", PINS[INJECTOR], DIRECTOR, PINS[DIRECTOR])
        staff.add(desk, JUNIOR, "junior", PINS[JUNIOR], DIRECTOR, PINS[DIRECTOR])


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    _staffed(TinyDBStore(tmp_path / "data"))
    return tmp_path / "data"


def options(app: ConsultApp, selector: str) -> list[str]:
    listing = app.screen.query_one(selector, OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def open_waiting(pilot: Pilot) -> WaitingScreen:
    await pilot.press("f6")
    await until(pilot, lambda: isinstance(pilot.app.screen, WaitingScreen))
    screen = pilot.app.screen
    assert isinstance(screen, WaitingScreen)
    await until(pilot, lambda: "Reading" not in str(screen.query_one("#waiting-counts", Static).render()))
    return screen


async def test_search_as_you_type_opens_the_chart_and_a_consults_plan(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, JUNIOR)
        consult_id = app.screen.record.consult_id  # type: ignore[attr-defined]
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, PatientSearchScreen))
        search = app.screen
        assert isinstance(search, PatientSearchScreen)
        await pilot.press(*"mina pa")
        found = "Mina Park · born 1988-05-14 · no. P-1042 · 1 consult, last 2026-11-24"
        await until(pilot, lambda: options(app, "#patients-found") == [found])  # its date of birth read next
        await pilot.press("backspace", *"x")  # nobody: said, and the list empties
        await until(pilot, lambda: search.searched == "mina px")
        assert options(app, "#patients-found") == [] and "Nobody in the register" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *"P-1042 1988-05-14", "enter")  # the number and the date of birth
        await until(pilot, lambda: search.searched == "P-1042 1988-05-14")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChartScreen))
        chart = app.screen
        await until(pilot, lambda: "planned, to give" in screen_text(app) and "Not signed." in screen_text(app))
        text = screen_text(app)
        assert "Mina Park · born 1988-05-14 · no. P-1042" in text and "Next due: nothing" in text
        assert f"Consult {consult_id}" in text and "run by Jun Park" in text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RecordedPlanScreen))
        assert app.screen.record.consult_id == consult_id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is chart)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RecordedPlanScreen))
        await pilot.press("e")  # its answers in the review, as E after planning
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session.consult_id == consult_id and app.session.answers["patient_name"] == "Mina Park"
        await pilot.press("escape")  # the review closed: back on the consult screen
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, PatientSearchScreen))
        await pilot.press(*"mina", "enter")
        await until(pilot, lambda: app.screen.searched == "mina")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart is not None)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "esc Close" in screen_text(app).splitlines()[-1], "the way out is in the footer at 80 columns"
        await pilot.resize_terminal(*SIZE)
        await pilot.press("n")  # a new consult for her, her identifiers confirmed
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await settle(pilot)
        session = app.session
        assert session.answers["patient_name"] == "Mina Park" and session.answers["patient_id"] == "P-1042"
        assert session.patient.confirmed == session.patient.key is not None
        assert session.current is not None and session.current.id == "patient_language"


async def test_the_waiting_tabs_list_only_what_the_signed_in_role_may_do(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, JUNIOR)
        waiting = await open_waiting(pilot)
        assert waiting.rows == {"give": [], "sign": [], "cosign": []}
        assert "Only an injector or a medical director acts on these" in screen_text(app)
        assert "nothing you may act on  (Jun Park, junior)" in screen_text(app)
        await pilot.press("escape")
        await app.run_action("sign_in")
        await sign_in(pilot, INJECTOR)
        waiting = await open_waiting(pilot)
        assert [len(waiting.rows[k]) for k in ("give", "sign", "cosign")] == [1, 0, 0]
        assert "to give: 1 · to sign: 0  (Ina Choi, injector)" in screen_text(app)
        assert "Mina Park" in options(app, "#waiting-give")[0]
        app.screen.query_one(TabbedContent).active = "tab-cosign"
        await settle(pilot)
        assert "Only a medical director acts on these; Ina Choi, injector does not." in screen_text(app)
        [row] = waiting.rows["give"]  # given on another workstation: told "something changed" (None)
        elsewhere = Desk(TinyDBStore(clinic))
        consented(elsewhere, row.consult_id, resources.kb)
        treatment.give(elsewhere, row.consult_id, INJECTOR, PINS[INJECTOR], resources.kb)
        app.tell_screens(RecordChanged(None))
        await until(pilot, lambda: waiting.rows["give"] == [] and len(waiting.rows["sign"]) == 1)
        await pilot.press("escape")
        await app.run_action("sign_in")
        await sign_in(pilot, DIRECTOR)
        waiting = await open_waiting(pilot)
        assert "to give: 0 · to sign: 1 · to co-sign: 0  (Dr Mina Seo, medical director)" in screen_text(app)


async def give_and_sign_from_waiting(pilot: Pilot) -> str:
    """On a second workstation: the injector signs in, opens Waiting, gives the consult as planned
    from its plan screen and signs it there; returns its id."""
    app = pilot.app
    await app.run_action("sign_in")
    await sign_in(pilot, INJECTOR)
    waiting = await open_waiting(pilot)
    [row] = waiting.rows["give"]
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, RecordedPlanScreen))
    await press_give(pilot)
    await settle(pilot)
    await pilot.press("ctrl+s")
    await type_pin(pilot, INJECTOR)
    await until(pilot, lambda: "given by Ina Choi" in screen_text(app))
    await pilot.press("k")
    await type_pin(pilot, INJECTOR)
    await until(pilot, lambda: "signed by Ina Choi" in screen_text(app))
    await pilot.press("escape")  # back to Waiting, read again: nothing waits any more
    await until(pilot, lambda: app.screen is waiting and waiting.rows["give"] == [] and waiting.rows["sign"] == [])
    return row.consult_id


async def _two_workstations(resources: Resources, here: Path, database: str | None) -> ConsultRepository:
    room_a = make_app(resources, TODAY, data_dir=here / "a" if database else here, database=database)
    room_b = make_app(resources, TODAY, data_dir=here / "b" if database else here, database=database)
    async with room_a.run_test(size=SIZE) as pilot_a, room_b.run_test(size=SIZE) as pilot_b:
        await planned_by(pilot_a, JUNIOR)
        planned = room_a.screen.record.consult_id  # type: ignore[attr-defined]
        given = await give_and_sign_from_waiting(pilot_b)
        assert given == planned
        repository = room_b.records.repository
    return repository


async def test_a_junior_plans_in_room_a_and_an_injector_gives_and_signs_from_waiting_in_room_b(
    resources: Resources, clinic: Path
) -> None:
    await _two_workstations(resources, clinic, None)
    [row] = TinyDBStore(clinic).history("Mina Park")
    assert (row.state, row.version, row.staff) == ("signed", 4, JUNIOR)  # version 2: the consent


@pytest.mark.slow
async def test_the_same_across_two_workstations_on_a_postgresql_server(
    resources: Resources, tmp_path: Path, postgres_url: str
) -> None:
    from assistant.records.postgres.store import PostgresStore
    from assistant.records.postgres.url import parse_database_url

    server = PostgresStore(parse_database_url(postgres_url))
    _staffed(server)
    await _two_workstations(resources, tmp_path, postgres_url)
    [row] = server.history("Mina Park")
    assert (row.state, row.version, row.staff) == ("signed", 4, JUNIOR)


async def test_the_waiting_lists_read_their_next_page_as_they_scroll(
    resources: Resources, clinic: Path, make_record: MakeRecord
) -> None:
    store = TinyDBStore(clinic, durable=False)
    for n in range(56):  # 56 to give, oldest first
        keep(store, make_record(f"Patient {n:02d}", patient_id=f"P-{n}", day=TODAY - dt.timedelta(days=60 - n)))
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        waiting = await open_waiting(pilot)
        assert len(waiting.rows["give"]) == 50 and "50 or more to give" in screen_text(app)
        listing = app.screen.query_one("#waiting-give", OptionList)
        await pilot.press("end")
        await until(pilot, lambda: listing.option_count == 56)
        assert len({listing.get_option_at_index(i).id for i in range(56)}) == 56
        assert "Patient 00" in str(listing.get_option_at_index(0).prompt)


async def test_a_change_is_told_only_to_the_screens_that_read_it_again(
    resources: Resources, clinic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Waiting lists over a plan screen over the consult screen: a change heard (a draft kept, a
    save elsewhere) reaches the two that read it again, not the consult screen below them, which a
    message would only make repaint whole."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, JUNIOR)
        await open_waiting(pilot)
        told: list[str] = []
        for screen in app.screen_stack:
            post = screen.post_message
            monkeypatch.setattr(
                screen, "post_message", lambda m, s=screen, p=post: told.append(type(s).__name__) or p(m)
            )
        app.tell_screens(RecordChanged(None))
        kinds = [type(s).__name__ for s in app.screen_stack]
        assert "ConsultScreen" in kinds and sorted(told) == ["PlanScreen", "WaitingScreen"]


def header(app: ConsultApp) -> str:
    """The header's line as shown now ("" before the first frame)."""
    return next(iter(screen_text(app).splitlines()), "")


async def test_the_header_never_names_the_patient_of_a_screen_gone_or_under(resources: Resources, clinic: Path) -> None:
    """A tryout: a plan opened from the Waiting list, then Esc twice, left "Kim Ji-woo · plan (signed)"
    above the next consult's first question; a chart showed the patient of the screen under it."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)  # who may give: the Waiting list lists hers
        await pilot.press("n")  # the next patient: her first question
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await until(pilot, lambda: "new patient · question 1 of" in header(app), why=lambda: header(app))
        waiting = await open_waiting(pilot)
        await until(pilot, lambda: bool(options(app, "#waiting-give")))
        assert "Mina Park" not in header(app) and "waiting" in header(app), header(app)
        await pilot.press("enter")  # her plan, from the list
        await until(pilot, lambda: isinstance(app.screen, RecordedPlanScreen))
        await until(pilot, lambda: "Mina Park · plan (planned)" in header(app), why=lambda: header(app))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is waiting)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await until(pilot, lambda: "new patient · question 1 of" in header(app), why=lambda: header(app))
        assert "Mina Park" not in header(app)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, PatientSearchScreen))
        await pilot.press(*"mina", "enter")
        await until(pilot, lambda: app.screen.searched == "mina")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChartScreen))
        await until(pilot, lambda: "Mina Park · chart" in header(app), why=lambda: header(app))


async def test_left_and_right_change_the_waiting_lists_tab_as_soon_as_it_opens(
    resources: Resources, clinic: Path
) -> None:
    """A tryout: the screen says "Left and Right change tabs", but they did nothing until Tab moved
    the focus off the list, which took them for itself."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        waiting = await open_waiting(pilot)
        first = waiting.kind
        await pilot.press("right")
        await settle(pilot)
        assert waiting.kind != first
        await pilot.press("left")
        await settle(pilot)
        assert waiting.kind == first
