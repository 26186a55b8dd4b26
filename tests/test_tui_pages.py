"""The Waiting lists of the UI come a page at a time and read the next page as they scroll: "To
sign" and "Who is due" show their first 50, and the rest arrives when the highlight nears the end."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from textual.widgets import DataTable, OptionList

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.given import lines_from_plan
from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services.tracing import who_is_due
from assistant.tui.app import make_app
from assistant.tui.screens.due_screen import REASONS, DueScreen
from assistant.tui.screens.to_sign_screen import ToSignScreen
from tests.conftest import MakeRecord
from tests.helpers import TODAY, keep
from tests.test_records_contract import AT, INJECTOR
from tests.test_tui_lifecycle import SIZE, clinic  # noqa: F401  (the fixture)
from tests.tui_driving import screen_text, settle, until

GIVEN = 60


def _give_many(folder: Path, make_record: MakeRecord) -> None:
    """60 patients treated 14 to 20 days ago: 60 consults to sign, each with a review due this week."""
    store = TinyDBStore(folder, durable=False)
    for n in range(GIVEN):
        day = TODAY - dt.timedelta(days=14 + n % 7)
        planned = keep(store, make_record(f"Patient {n:02d}", patient_id=f"P-{n}", day=day))
        keep(store, rules.give(planned, lines_from_plan(planned.plan, "BX1", None), INJECTOR, AT))  # type: ignore[arg-type]


async def test_the_to_sign_list_reads_its_next_page_as_it_scrolls(
    resources: Resources,
    clinic: Path,  # noqa: F811
    make_record: MakeRecord,
) -> None:
    _give_many(clinic, make_record)
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("to_sign")
        await settle(pilot)
        assert isinstance(app.screen, ToSignScreen) and "50 or more consults wait" in screen_text(app)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 50
        await pilot.press("end")
        await until(pilot, lambda: options.option_count == GIVEN)
        assert len({options.get_option_at_index(i).id for i in range(GIVEN)}) == GIVEN


async def test_who_is_due_reads_its_next_page_as_it_scrolls(
    resources: Resources,
    clinic: Path,  # noqa: F811
    make_record: MakeRecord,
) -> None:
    _give_many(clinic, make_record)
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("due")
        await settle(pilot)
        assert isinstance(app.screen, DueScreen) and "50 and more below" in screen_text(app)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 50
        await pilot.press(*["down"] * 49)  # to the last row shown: the next page is read
        await until(pilot, lambda: table.row_count > 50)
        await pilot.press(*["down"] * (table.row_count - 50))
        await until(pilot, lambda: app.screen.pages.after is None)
        whole = who_is_due(TinyDBStore(clinic), resources.kb, TODAY, 7)
        assert len(whole) > 50 and table.row_count == len(whole), "every entry once, none twice"
        shown = Counter((str(table.get_row_at(row)[2]), table.get_row_at(row)[1]) for row in range(table.row_count))
        assert shown == Counter((e.patient_name + f" ({e.patient_id})", REASONS[e.reason]) for e in whole)
