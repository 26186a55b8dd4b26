"""The clinic's PostgreSQL server goes away in the middle of a consult (issue 14.5), on a real
server stopped and started again: the UI says so in one line, keeps the consult on this computer,
and saves it once the server is back; nothing typed is lost, nothing is saved twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.tui import finishing
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.review_screen import ReviewScreen
from tests.helpers import TODAY
from tests.postgres_server import TemporaryServer
from tests.test_tui_consult import SIZE, enter, pick_zones, plan_it, screening_all_no, type_answer
from tests.tui_driving import screen_text, settle


def notices(app: ConsultApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def rest_of_the_consult(pilot: Pilot) -> None:
    """From the date of birth on, to the review screen (glabella and crow's feet)."""
    await type_answer(pilot, "1988-05-14")  # 38 on TODAY
    await type_answer(pilot, "P-1042")
    await enter(pilot)  # English
    await enter(pilot)  # female
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
            assert "cannot be reached" in notices(app), "said in one line"
            [waiting] = here.drafts()
            assert waiting.answers["patient_id"] == "P-1042" and waiting.answers["zones"] == ["glabella", "crows_feet"]

            await plan_it(pilot, staff="Dr Lee")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PlanScreen) and screen.record is None
            assert "NOT SAVED YET" in screen_text(app)
            assert "Earlier doses not checked" in notices(app), "the 90-day maximum could not be counted: said"
        finally:
            postgres_server.start_again()

        for _ in range(60):  # the retry every RETRY_SECONDS finds the server back
            await pilot.pause(0.2)
            if screen.record is not None:
                break
        assert screen.record is not None, notices(app)
        assert "Saved as consult" in screen_text(app) and "record server is back" in notices(app)
        consult_id = screen.record.consult_id

    kept = server.get(consult_id)
    assert kept is not None and kept.patient_name == "Mina Park" and kept.staff == "Dr Lee"
    assert kept.answers["patient_id"] == "P-1042"
    assert [r.consult_id for r in server.recent().rows] == [consult_id], "saved once"
    assert server.drafts() == [] and here.drafts() == [], "no draft left behind, here or there"
