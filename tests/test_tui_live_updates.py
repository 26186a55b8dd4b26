"""Two workstations on one record (issue 22.3), both stores: a junior plans on A; the injector on B
records it given; A's open plan screen shows it given, loses G and says who did it, within 2
seconds and without a key pressed on A."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.records import TinyDBStore
from assistant.services import staff
from assistant.services.desk import Desk
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.widgets.live_notice import LiveNotice
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, TODAY, consented
from tests.staff_register import light_argon2
from tests.test_tui_consult import SIZE
from tests.test_tui_lifecycle import footer_keys, planned_by, sign_in, type_pin
from tests.tui_driving import screen_text, settle

pytestmark = pytest.mark.slow


@pytest.fixture(params=["tinydb", "postgres"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, object]]:
    """How both workstations open the one record (``make_app``'s arguments but the data folder),
    with a medical director, an injector and a junior in it."""
    monkeypatch.setenv("BOTULAX_WORKSTATION", "Room B")
    if request.param == "tinydb":
        repository: object = TinyDBStore(tmp_path / "shared")
        opened: dict[str, object] = {"data_dir": tmp_path / "shared"}
    else:
        from assistant.records.postgres.store import PostgresStore
        from assistant.records.postgres.url import parse_database_url

        url = request.getfixturevalue("postgres_url")
        repository = PostgresStore(parse_database_url(url))
        opened = {"database": url}
    desk = Desk(repository)  # type: ignore[arg-type]
    with light_argon2():  # their PINs at light argon2 cost (tests/staff_register.py); the screens are the subject
        staff.add(desk, DIRECTOR, "medical_director", PINS[DIRECTOR])
        staff.add(desk, INJECTOR, "injector", PINS[INJECTOR], DIRECTOR, PINS[DIRECTOR])
        staff.add(desk, JUNIOR, "junior", PINS[JUNIOR], DIRECTOR, PINS[DIRECTOR])
    yield opened
    getattr(repository, "close", lambda: None)()


def workstation(resources: object, store: dict[str, object], folder: Path) -> ConsultApp:
    data_dir = store.get("data_dir", folder)  # on PostgreSQL, each keeps its own folder for outages
    return make_app(resources, TODAY, **{**store, "data_dir": data_dir})  # type: ignore[arg-type]


async def listening(app: ConsultApp) -> None:
    """Until the workstation hears the record (its listener's LISTEN, or its watcher armed)."""
    await asyncio.wait_for(asyncio.to_thread(app.live.started.wait, 30), 35)
    source = app.live.source
    ready = getattr(source, "listening", None) or source.watching
    await asyncio.wait_for(asyncio.to_thread(ready.wait, 10), 15)


async def test_a_give_on_workstation_b_shows_on_a_open_plan_within_two_seconds(
    resources: object, store: dict[str, object], tmp_path: Path
) -> None:
    room_a = workstation(resources, store, tmp_path / "a")
    room_b = workstation(resources, store, tmp_path / "b")
    async with room_a.run_test(size=SIZE) as a, room_b.run_test(size=SIZE) as b:
        await planned_by(a, JUNIOR)
        plan = room_a.screen
        assert isinstance(plan, PlanScreen) and plan.record is not None and plan.record.state == "planned"
        consented(room_b.records.desk, plan.record.consult_id, resources.kb)  # type: ignore[attr-defined]
        plan.saved(room_b.records.repository.get(plan.record.consult_id))  # the consent, seen on A before the give
        await listening(room_a)

        await room_b.run_action("sign_in")  # the injector, at workstation B, gives it
        await sign_in(b, INJECTOR)
        record = plan.record
        room_b.record_desk.in_dialog(lambda: room_b.record_desk.give(record, None), "give")
        await settle(b)
        await b.press("ctrl+s")
        await type_pin(b, INJECTOR)
        given_at = asyncio.get_running_loop().time()
        assert TinyDBStore is not None and room_b.records.repository.get(record.consult_id).state == "given"

        await until_followed(a, plan, within=2.0)
        seen_after = asyncio.get_running_loop().time() - given_at
        assert plan.record is not None and plan.record.state == "given", "followed without a key pressed on A"
        assert "give" not in footer_keys(room_a) and not plan.check_action("give", ()), "G is gone"
        notice = str(plan.query_one(LiveNotice).render())
        where = "another window" if "data_dir" in store else "Room B"  # a TinyDB folder is one workstation's
        assert notice.startswith(f"Given in {where} by Ina Choi at "), notice
        assert notice in screen_text(room_a) and "given by Ina Choi" in screen_text(room_a)
        assert seen_after < 2.0


async def until_followed(pilot: Pilot, plan: PlanScreen, within: float) -> None:
    """Until A's plan shows the record given, failing after ``within`` seconds (no key pressed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while plan.record is None or plan.record.state != "given":
        assert loop.time() < deadline, f"A still shows {plan.record.state if plan.record else None}"
        await pilot.pause(0.05)
    await pilot.pause()
