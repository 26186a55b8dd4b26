"""The day-14 review in the UI, by keypress: "Who is due" (F7), Enter on the review, the review
screen typed line by line (a mistake said at its line), the account picker's PIN, and the review
kept on the record as the command line keeps it; a serious event then flags her chart (F5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import make_app
from assistant.tui.screens.chart_screen import ChartScreen
from assistant.tui.screens.due_screen import DueScreen
from assistant.tui.screens.patient_search_screen import PatientSearchScreen
from assistant.tui.screens.treatment_review_screen import TreatmentReviewScreen
from tests.helpers import INJECTOR, TODAY
from tests.test_tui_lifecycle import SIZE, clinic, give_as_planned, sign_in  # noqa: F401  (clinic: a fixture)
from tests.tui_driving import screen_text, settle, until


async def test_a_review_is_completed_from_the_due_list(resources: Resources, clinic: Path) -> None:  # noqa: F811
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await give_as_planned(pilot)
        consult_id = app.screen.record.consult_id  # type: ignore[attr-defined]

    review_day = TODAY + dt.timedelta(days=14)
    later = make_app(resources, review_day, data_dir=clinic)
    async with later.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await later.run_action("due")
        await settle(pilot)
        assert isinstance(later.screen, DueScreen) and "Enter on a review records it" in screen_text(later)
        await pilot.press("enter")  # the first row: her review, today
        await settle(pilot)
        screen = later.screen
        assert isinstance(screen, TreatmentReviewScreen)
        assert "What is the effect at the review?" in screen_text(later), "the review script's own words"
        assert not screen.query("#residual-glabella") and screen.query("#residual-crows_feet"), "sides: paired zones"
        await pilot.press(*"full", "enter")  # glabella: full (a central zone: no sides to differ, none asked)
        await pilot.press(*"partial", "enter", *"right 2 U", "enter")  # crow's feet: the right still moves more
        await pilot.press(*"headache mild, ptosis serious", "enter")
        await pilot.press(*"9", "enter")  # out of 1-5: said at its line, nothing kept
        await settle(pilot)
        assert later.screen is screen and "above the highest allowed, 5" in screen_text(later)
        satisfaction = screen.query_one("#review-satisfaction", Input)
        assert satisfaction.has_focus
        satisfaction.value = ""
        await pilot.press("3", "enter")
        await sign_in(pilot, INJECTOR)  # nobody signed in: the account picker's PIN records it
        await settle(pilot)
        assert not isinstance(later.screen, TreatmentReviewScreen)
        await until(pilot, lambda: not isinstance(later.screen, DueScreen | TreatmentReviewScreen))

        await pilot.press("f5")  # her chart: the serious event flagged above her due dates
        await until(pilot, lambda: isinstance(later.screen, PatientSearchScreen))
        await pilot.press(*"mina", "enter")
        await until(pilot, lambda: later.screen.searched == "mina")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(later.screen, ChartScreen) and later.screen.chart is not None)
        await settle(pilot)
        assert "SERIOUS ADVERSE EVENT: ptosis on " in screen_text(later)

    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.revision is not None and kept.revision.kind == "reviewed"
    (review,) = kept.reviews
    assert review.by == INJECTOR and review.satisfaction == 3 and review.serious
    assert [(f.zone, f.effect, f.stronger_side, f.difference_units) for f in review.findings] == [
        ("glabella", "full", None, None),
        ("crows_feet", "partial", "right", 2.0),
    ]
    assert [(e.event, e.severity) for e in review.adverse_events] == [("headache", "mild"), ("ptosis", "serious")]
