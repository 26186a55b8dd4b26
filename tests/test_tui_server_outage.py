"""The clinic's PostgreSQL server goes away in the middle of a consult (issue 14.5), on a real
server stopped and started again: the UI says so in one line, keeps the consult on this computer,
and saves it once the server is back; nothing typed is lost, nothing is saved twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.core.lifecycle.staff import StaffAccount
from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.collaborators import finishing
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.review_screen import ReviewScreen
from assistant.tui.widgets.server_line import ServerLine
from tests.conftest import MakeRecord
from tests.helpers import TODAY, keep
from tests.postgres_server import TemporaryServer
from tests.test_tui_consult import SIZE, choose, enter, pick_zones, plan_it, screening_all_no, type_answer
from tests.tui_driving import screen_text, settle, until

pytestmark = pytest.mark.stops_postgres


def notices(app: ConsultApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


def server_line(app: ConsultApp) -> str:
    """The text of the line under the header ("" when hidden)."""
    lines = [line for line in app.screen.query(ServerLine) if line.has_class("-away")]
    return str(lines[0].render()) if lines else ""


async def rest_of_the_consult(pilot: Pilot) -> None:
    """From the date of birth on, to the review screen (glabella and crow's feet)."""
    await type_answer(pilot, "1988-05-14")  # 38 on TODAY
    await type_answer(pilot, "P-1042")
    await enter(pilot)  # English
    await choose(pilot)  # female
    await screening_all_no(pilot)
    await pick_zones(pilot, ["glabella", "crows_feet"])
    await enter(pilot, 3)
    await type_answer(pilot, "never")
    await pilot.press("n")  # no asymmetry
    await pilot.pause()
    await enter(pilot, 2)  # goals, lot
    assert isinstance(pilot.app.screen, ReviewScreen), type(pilot.app.screen)


async def test_the_server_goes_away_mid_consult_and_the_consult_is_saved_once_it_is_back(
    resources: Resources,
    tmp_path: Path,
    postgres_server: TemporaryServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(finishing, "RETRY_SECONDS", 0.5)
    server = PostgresStore(parse_database_url(postgres_url))
    here = TinyDBStore(tmp_path / "here")
    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Mina Park")
        app.drafts.flush()
        assert [d.draft_id for d in server.drafts()] == [app.session.draft_id], "kept on the server"

        postgres_server.stop()
        try:
            await rest_of_the_consult(pilot)
            app.drafts.flush()
            await settle(pilot)
            away = server_line(app)
            assert away.startswith("Server away since ") and away.endswith(": saving on this computer; retrying")
            assert away in screen_text(app), "said in one line under the header, above the question"
            assert "cannot be reached" not in notices(app), [(n.title, n.message) for n in app._notifications]
            assert "connection" not in screen_text(app).lower(), "no libpq detail on screen"
            [waiting] = here.drafts()
            assert waiting.answers["patient_id"] == "P-1042" and waiting.answers["zones"] == ["glabella", "crows_feet"]

            await plan_it(pilot, staff="Dr Lee")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PlanScreen) and screen.record is None
            assert "NOT SAVED YET" in screen_text(app)
            assert server_line(app) in screen_text(app), "the plan screen has the line too"
            assert "Not saved yet" not in notices(app), "no toast over the plan"
            assert "Earlier doses not counted" in screen_text(app), "the 90-day maximum could not be counted: said"
            assert "Earlier doses" not in notices(app), "in the plan's banner, not a notice over the plan"
            assert "kept as run by: not named" in notices(app), "no name typed while the register cannot be read"
        finally:
            postgres_server.start_again()

        # the retry every RETRY_SECONDS finds the server back
        await until(pilot, lambda: screen.record is not None, timeout=12, why=lambda: notices(app))
        assert screen.record is not None, notices(app)
        await settle(pilot)  # the notices are messages: handled after the record is set
        assert "Saved as consult" in screen_text(app) and "record server is back" in notices(app)
        assert "Server away" not in screen_text(app) and server_line(app) == "", "the line goes once saved"
        assert "(planned)" in app.sub_title and "NOT SAVED" not in screen_text(app), "header and banner agree"
        assert "not saved, so it has no documents" not in screen_text(app), "the line above the footer agrees too"
        assert "S saves the patient's explanation" in screen_text(app)
        consult_id = screen.record.consult_id

    kept = server.get(consult_id)
    assert kept is not None and kept.patient_name == "Mina Park" and kept.staff is None  # issue 20.1: not named
    assert kept.answers["patient_id"] == "P-1042"
    assert [r.consult_id for r in server.recent().rows] == [consult_id], "saved once"
    assert server.drafts() == [] and here.drafts() == [], "no draft left behind, here or there"


async def planned_away(pilot: Pilot) -> PlanScreen:
    """Mina Park's consult (glabella, crow's feet: 40 U) run to its plan, by Dr Lee, the server away:
    its plan screen, the consult kept on this computer only."""
    await type_answer(pilot, "Mina Park")
    await rest_of_the_consult(pilot)
    await plan_it(pilot, staff="Dr Lee")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen) and screen.record is None
    return screen


def given_today_elsewhere(
    server: PostgresStore, make_record: MakeRecord, zones: tuple[str, ...] = ("glabella", "forehead", "crows_feet")
) -> float:
    """Mina Park (P-1042, the register's) given ``zones`` today on another workstation (by default
    52 U: glabella 20, forehead 12, crow's feet 10 a side): the units given."""
    from assistant.core.lifecycle.register import Identifiers
    from assistant.services import patients

    earlier = make_record("Mina Park", patient_id="P-1042", zones=zones)
    mina = Identifiers(name="Mina Park", date_of_birth=date(1988, 5, 14), clinic_number="P-1042")
    key = patients.attach(server, patients.identify(server, mina), earlier.finished_at)  # the register's Mina
    earlier = earlier.model_copy(update={"patient_key": key})
    injector = StaffAccount(name="Ina Choi", role="injector", pin_hash="$argon2id$x", created_at=earlier.finished_at)
    keep(server, earlier)
    at = datetime.combine(TODAY, time(11), UTC)
    keep(server, rules.give(earlier, lines_from_plan(earlier.plan, "BX1", None), injector, at))
    return earlier.plan.total_units


async def test_a_consult_planned_while_the_server_was_away_is_planned_again_when_it_is_saved(
    resources: Resources,
    tmp_path: Path,
    postgres_server: TemporaryServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    make_record: MakeRecord,
) -> None:
    """Issue 19.3: forehead and masseter were given to Mina Park today on another workstation; planned
    while the server is away, today's 40 U (glabella, crow's feet) look fine, but with those they pass
    the clinic's maximum of 80 U. Saved once the server is back, the consult is planned again against
    the record: REFUSED, nothing to give."""
    monkeypatch.setattr(finishing, "RETRY_SECONDS", 0.5)
    server = PostgresStore(parse_database_url(postgres_url))
    given = given_today_elsewhere(server, make_record, ("forehead", "masseter"))
    small_maximum = resources.clinic.model_copy(update={"session_max_units": 80})
    clinic_resources = resources.__class__(**{**resources.__dict__, "clinic": small_maximum})
    app = make_app(clinic_resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        postgres_server.stop()
        try:
            screen = await planned_away(pilot)
            assert screen.plan.status == "planned" and screen.plan.total_units == 40, "the doses given not counted"
            assert "NOT SAVED YET" in screen_text(app)
        finally:
            postgres_server.start_again()

        await until(pilot, lambda: screen.record is not None, timeout=12, why=lambda: notices(app))
        await settle(pilot)
        record = screen.record
        assert record is not None, notices(app)
        assert app.screen is screen
        assert record.status == "refused" and record.plan.lines == () and record.plan.earlier_units == given
        assert screen.plan == record.plan
        text = screen_text(app)
        assert "REFUSED" in text and "Saved as consult" in text and "NOT SAVED YET" not in text
        assert "The plan changed" in notices(app)
        assert not screen.check_action("give", ()), "nothing can be given"

    kept = server.get(record.consult_id)
    assert kept is not None and kept.status == "refused" and kept.total_units == 0
    assert f"40 U and {given:g} U were given in the last 90 days" in kept.plan.reasons[0].message


async def test_zones_given_today_elsewhere_wait_once_the_consult_planned_while_away_is_saved(
    resources: Resources,
    tmp_path: Path,
    postgres_server: TemporaryServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    make_record: MakeRecord,
) -> None:
    """A tryout: glabella given today on another workstation; planned while the server was away, a full
    glabella; once saved, "The earlier doses are counted now: the plan stands", G offered. Planned
    again against the record, each zone given today waits, as planning online says."""
    monkeypatch.setattr(finishing, "RETRY_SECONDS", 0.5)
    server = PostgresStore(parse_database_url(postgres_url))
    given_today_elsewhere(server, make_record)
    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        postgres_server.stop()
        try:
            screen = await planned_away(pilot)
            assert screen.plan.total_units == 40, "planned away from the record: a full glabella and crow's feet"
        finally:
            postgres_server.start_again()

        await until(pilot, lambda: screen.record is not None, timeout=12, why=lambda: notices(app))
        await settle(pilot)
        record = screen.record
        assert record is not None and not record.plan.lines, record.plan.lines
        assert {d.zone for d in record.plan.deferred} == {"glabella", "crows_feet"}
        assert "The plan changed" in notices(app) and "the plan stands" not in notices(app)
        assert "0 U; waiting: Glabella not before " in notices(app)
        assert not screen.check_action("give", ()), "nothing to give"


async def test_quitting_with_a_consult_not_saved_yet_asks_and_a_new_consult_leaves_it_saving(
    resources: Resources,
    tmp_path: Path,
    postgres_server: TemporaryServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tryout planned while the server was away and pressed Ctrl+Q: the app left at once, and the
    consult never reached the record by itself. Ctrl+Q now asks first; and N, a new consult, no longer
    stops the one kept here from being saved once the server is back."""
    from assistant.tui.screens.confirm import ConfirmScreen

    monkeypatch.setattr(finishing, "RETRY_SECONDS", 0.5)
    server = PostgresStore(parse_database_url(postgres_url))
    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        postgres_server.stop()
        try:
            await planned_away(pilot)
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen), "asked before leaving a consult not saved"
            said = " ".join(str(app.screen.query_one("#dialog-message").render()).split())
            assert said.startswith("NOT SAVED YET: the consult of Mina Park is kept on this computer only"), said
            await pilot.press("escape")  # Stay
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, PlanScreen)
            await until(pilot, lambda: server_line(app).startswith("Server away since "), timeout=10)
            await pilot.press("n")  # the next patient
            await settle(pilot)
            assert not isinstance(app.screen, PlanScreen)
            # the new consult's screen says it too (a tryout's line went with N, the server still away)
            await until(pilot, lambda: server_line(app).startswith("Server away since "), timeout=5)
        finally:
            postgres_server.start_again()
        saved = lambda: [r for r in server.recent().rows if r.patient_name == "Mina Park"]  # noqa: E731
        await until(pilot, lambda: bool(saved()), timeout=15, why=lambda: notices(app))
        await until(pilot, lambda: not app.current.waiting, timeout=5)


async def test_a_consult_not_saved_when_the_app_quit_is_free_to_resume_at_the_next_start(
    resources: Resources,
    tmp_path: Path,
    postgres_server: TemporaryServer,
    postgres_url: str,
) -> None:
    """Quit (asked, and said yes) with a consult kept on this computer only: at the next start, with
    the server back, its draft is offered free to resume. A tryout's was "being continued" by the very
    account that had quit, refused here until its claim lapsed."""
    from tests.test_tui_drafts import is_drafts_list, listed, start

    app = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with app.run_test(size=SIZE) as pilot:
        postgres_server.stop()
        try:
            await planned_away(pilot)
            await pilot.press("ctrl+q")
            await settle(pilot)
            await pilot.press("y")  # Quit, NOT SAVED YET as it is
            await until(pilot, lambda: not app.is_running, timeout=10)
        finally:
            postgres_server.start_again()
    again = make_app(resources, TODAY, data_dir=tmp_path / "here", database=postgres_url)
    async with again.run_test(size=SIZE) as pilot:
        await start(again, pilot)
        assert is_drafts_list(again), "her consult, offered to resume"
        mina = [line for line in listed(again) if line.startswith("Mina Park")]
        assert mina and not any("being continued" in line for line in mina), listed(again)
