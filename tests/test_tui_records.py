"""The UI and the consult record: a consult is kept, a returning patient is recognised and an
interrupted consult is offered for resuming."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from assistant.files.resources import Resources
from assistant.files.user_config import load_user_config
from assistant.records import TinyDBStore, open_repository
from assistant.services import staff, treatment
from assistant.services.desk import Desk
from assistant.tui.app import make_app
from assistant.tui.screens.drafts_screen import DraftsScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.widgets.transcript import KnowledgeTurn
from tests.helpers import INJECTOR, PINS, TODAY, consented
from tests.staff_register import light_argon2
from tests.test_tui_consult import (
    DATE_OF_BIRTH,
    SIZE,
    choose,
    enter,
    pick_zones,
    plan_it,
    screening_all_no,
    type_answer,
)


async def full_face(
    pilot, name: str = "Mina Park", patient_id: str = "P-1042", date_of_birth: str = "1988-05-14"
) -> None:
    """Name, date of birth (38 on TODAY: the age is not asked), clinic number, ... to the prior
    treatment question (glabella and crow's feet)."""
    await type_answer(pilot, name)
    await type_answer(pilot, date_of_birth)
    await type_answer(pilot, patient_id)
    await enter(pilot)  # patient language: English (the default)
    await choose(pilot)  # female
    await screening_all_no(pilot)
    await pick_zones(pilot, ["glabella", "crows_feet"])
    await enter(pilot, 3)


async def planned(pilot, staff: str = "Dr Hana Cho") -> None:
    """The full face, first visit, no asymmetry, to the plan, run by ``staff``."""
    await full_face(pilot)
    await type_answer(pilot, "never")
    await pilot.press("n")
    await pilot.pause()
    await enter(pilot, 2)  # goals, lot
    await plan_it(pilot, staff=staff)


async def test_a_finished_consult_is_kept_with_the_staff_name(resources: Resources, tmp_path: Path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await planned(pilot)
        assert isinstance(app.screen, PlanScreen)
        record = app.screen.record
        assert record is not None and record.staff == "Dr Hana Cho"
    kept = open_repository(tmp_path).get(record.consult_id)
    assert kept is not None and kept.plan.total_units == record.plan.total_units
    assert kept.script_approval is not None and kept.script_approval.approved is False, "no director approved it"
    assert kept.script_approval.sha256 == resources.script_sha256
    assert load_user_config().staff_name == "Dr Hana Cho", "remembered for the next session"
    assert open_repository(tmp_path).drafts() == [], "the draft is gone once the consult is kept"


def given_as_planned(resources: Resources, data: Path, consult_id: str) -> None:
    """The injector records the plan as given (the clinic's first account, an injector): only doses
    given are a last treatment (a plan never given treated nobody)."""
    desk = Desk(TinyDBStore(data))
    with light_argon2():  # their PINs at light argon2 cost (tests/staff_register.py); the screens are the subject
        staff.add(desk, INJECTOR, "injector", PINS[INJECTOR])
    consented(desk, consult_id, resources.kb)
    treatment.give(desk, consult_id, INJECTOR, PINS[INJECTOR], resources.kb)


async def test_a_returning_patient_gets_last_treatment_prefilled_and_shown(
    resources: Resources, tmp_path: Path
) -> None:
    from tests.test_tui_lifecycle import sign_in

    first = make_app(resources, TODAY.replace(day=5), data_dir=tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await planned(pilot, staff="Dr Lee")
        consult_id = first.session.consult_id
    assert consult_id is not None
    given_as_planned(resources, tmp_path, consult_id)
    second = make_app(resources, TODAY, data_dir=tmp_path)  # 19 days later
    async with second.run_test(size=SIZE) as pilot:
        await full_face(pilot)
        await second.workers.wait_for_complete()
        await pilot.pause()
        notes = [str(t.render()) for t in second.screen.query(KnowledgeTurn)]
        assert any(n.startswith("Returning patient: 1 consult, the last on 2026-11-05.") for n in notes)
        assert second.session.current is not None and second.session.current.id == "prior_treatment_date"
        field = second.screen.query_one("#answer-text")
        assert field.value == "2026-11-05", "pre-filled from the last record"
        await pilot.press("enter")  # accept the pre-filled date
        await pilot.pause()
        await pilot.press("enter")  # accept the pre-filled zones
        await pilot.pause()
        assert second.session.answers["prior_zones"] == ("glabella", "crows_feet")
        await pilot.press("n")
        await pilot.pause()
        await enter(pilot, 2)
        await pilot.press("p")  # planned by the injector (the record has staff accounts now)
        await sign_in(pilot, INJECTOR)
        plan = second.screen.plan
        assert {line.kind for line in plan.lines} == {"touch_up"}
        last_time = str(second.screen.query_one("#plan-last-time", Static).render())
        assert "Glabella: center 20 U (2 U today)" in last_time


async def test_an_interrupted_consult_is_offered_for_resuming(resources: Resources, tmp_path: Path) -> None:
    first = make_app(resources, TODAY, data_dir=tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Interrupted Ida")
        await type_answer(pilot, "1979-08-30")
        await enter(pilot)
        await first.workers.wait_for_complete()
    assert len(open_repository(tmp_path).drafts()) == 1, "kept as a draft while it went on"
    second = make_app(resources, TODAY, data_dir=tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await second.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(second.screen, DraftsScreen)
        await pilot.press("down", "enter")  # the first row starts a new consult; the draft is below it
        await pilot.pause()
        await pilot.pause()
        assert second.session.answers["patient_name"] == "Interrupted Ida"
        assert second.session.current is not None and second.session.current.id == "patient_language"


async def test_a_consult_changed_after_planning_stays_one_consult(resources: Resources, tmp_path: Path) -> None:
    """Issue 10.5: plan, E, change the date of birth (so the age), plan again: the history showed
    the patient twice."""
    from textual.widgets import DataTable

    from assistant.tui.screens.review_screen import ReviewScreen

    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await planned(pilot)
        first = app.screen.record  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        born_row = [str(table.get_row_at(i)[1]) for i in range(table.row_count)].index(DATE_OF_BIRTH)
        await pilot.press(*["down"] * born_row, "enter")
        await pilot.pause()
        await type_answer(pilot, "1966-05-14")  # 60 on TODAY
        await plan_it(pilot)
        assert isinstance(app.screen, PlanScreen)
        second = app.screen.record
    assert second is not None and (second.consult_id, second.version) == (first.consult_id, 2)
    repository = open_repository(tmp_path)
    assert [row.consult_id for row in repository.recent().rows] == [first.consult_id], "listed once"
    assert second.revision is not None and second.revision.kind == "revised"
    assert second.revision.change == (
        "answers changed: What is the patient's date of birth? (YYYY-MM-DD): 1988-05-14 -> 1966-05-14; "
        "How old is the patient: 38 -> 60"
    )
    kept_first = repository.get(first.consult_id, 1)
    assert kept_first is not None and kept_first.answers["age"] == 38, "the earlier version is kept"
