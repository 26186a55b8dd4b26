"""F5 finds a patient by her date of birth alone (issue 22.1), by keypress: the two patients born
that day are listed as the date is typed, a date typed otherwise is said under the field, and Enter
on the one chosen opens her chart. A real data folder, registered as the program registers."""

from __future__ import annotations

from pathlib import Path

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import make_app
from assistant.tui.screens.chart_screen import ChartScreen
from assistant.tui.screens.patient_search_screen import PatientSearchScreen
from tests.conftest import MakeRecord
from tests.helpers import TODAY
from tests.test_records_find_by_birth import register
from tests.test_tui_chart import options
from tests.tui_driving import screen_text, until


async def test_f5_and_a_date_of_birth_list_everyone_born_that_day_and_enter_opens_her_chart(
    resources: Resources, tmp_path: Path, make_record: MakeRecord
) -> None:
    keys = register(TinyDBStore(tmp_path / "data"), make_record)
    app = make_app(resources, TODAY, data_dir=tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, PatientSearchScreen))
        search = app.screen
        assert isinstance(search, PatientSearchScreen)
        await pilot.press(*"07.03.1991")  # day first: said, not guessed at
        await until(pilot, lambda: search.searched == "07.03.1991")
        assert "07.03.1991: type a date of birth as YYYY-MM-DD, e.g. 1991-03-07." in screen_text(app)
        assert options(app, "#patients-found") == []
        await pilot.press("ctrl+a", "ctrl+k", *"1991-03-0")  # the day not typed whole: nothing said
        await until(pilot, lambda: search.searched == "1991-03-0")
        assert "YYYY-MM-DD" not in str(app.screen.query_one("#patient-search-note").render())
        await pilot.press("7")
        both = ["Kim Ji-woo · born 1991-03-07 · no. C-17", "Lee Seo-yeon · born 1991-03-07 · no. C-18"]
        await until(pilot, lambda: options(app, "#patients-found") == both)
        assert "YYYY-MM-DD" not in str(app.screen.query_one("#patient-search-note").render())
        await pilot.press("down", "down", "enter")  # to the list, the second one, her chart
        await until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart is not None)
        assert app.screen.chart.patient.patient_key == keys["C-18"]  # type: ignore[attr-defined]
        await until(pilot, lambda: "Lee Seo-yeon · born 1991-03-07 · no. C-18" in screen_text(app))
