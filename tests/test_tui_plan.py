"""The plan screen: documents saved without freezing it (issue 10.7), words staff can read
(issue 10.9) and a footer that shows every key at 80x24 (issue 10.8)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from assistant.files.resources import Resources
from assistant.services import paperwork
from assistant.tui.app import make_app
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.explanation_screen import ExplanationScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE, choose, enter, pick_zones, plan_it, screening_all_no, type_answer
from tests.tui_driving import screen_text, settle, until


async def to_plan(pilot, zones: tuple[str, ...] = ("glabella",), name: str = "Mina Park") -> None:
    await type_answer(pilot, name)
    await type_answer(pilot, "1988-05-14")  # 38 on TODAY: the age is not asked
    await enter(pilot, 2)  # no clinic number, English
    await choose(pilot)  # female
    await screening_all_no(pilot)
    await pick_zones(pilot, list(zones))
    await enter(pilot, 3)
    await type_answer(pilot, "never")
    if set(zones) - {"glabella", "forehead", "chin"}:
        await pilot.press("n")  # no asymmetry
        await pilot.pause()
    await enter(pilot, 2)  # goals, lot
    await plan_it(pilot)
    assert isinstance(pilot.app.screen, PlanScreen)


class HeldSave:
    """The real ``save_documents``, held until ``release`` is set, counting its calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.calls = 0
        self.real = paperwork.save_documents
        monkeypatch.setattr(paperwork, "save_documents", self)

    def __call__(self, *args: object, **kwargs: object) -> list[Path]:
        self.calls += 1
        self.release.wait(10)
        return self.real(*args, **kwargs)  # type: ignore[arg-type]


def documents_line(app) -> str:
    return str(app.screen.query_one("#plan-documents", Static).render())


async def test_saving_says_so_at_once_and_the_screen_stays_usable(
    resources: Resources, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldSave(monkeypatch)
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert "Saving the documents" in documents_line(app)
        await pilot.press("x")  # the screen is usable while the PDFs are made
        await pilot.pause()
        assert isinstance(app.screen, ExplanationScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")  # a hurried second S
        await pilot.pause()
        assert "Still saving" in documents_line(app)
        held.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert held.calls == 1, "a second S while saving saves nothing twice"
        line = documents_line(app)
        assert line.startswith("Saved: ") and "-patient.pdf" in line and "-summary.pdf" in line
        assert list(app._notifications) == [], "no notice in the corner over the plan's warnings"
        assert sorted(p.name for p in (tmp_path / "documents").iterdir()) == sorted(
            f"{app.screen.record.consult_id}-{what}.pdf" for what in ("patient", "summary")
        )


async def test_a_failed_save_arrives_as_a_notice(resources: Resources, tmp_path: Path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(pilot)
        (tmp_path / "documents").write_text("a file where the folder should be", encoding="utf-8")
        await pilot.press("s")
        await until(pilot, lambda: "Documents not written" in documents_line(app))
        [notice] = list(app._notifications)
        assert notice.severity == "error" and "Mina Park" in notice.title


async def test_the_saved_line_does_not_carry_into_the_next_consult(resources: Resources, tmp_path: Path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(pilot)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert documents_line(app).startswith("Saved: ")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert "Saved" not in screen_text(app)
        assert list(app._notifications) == []


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_the_plan_footer_shows_new_consult(resources: Resources, tmp_path: Path, size) -> None:
    """Issue 10.8: at 80x24 the footer was cut to "n Ne..."; with Given (or Sign) it still fits."""
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await to_plan(pilot)
        footer = screen_text(app).splitlines()[-1]
        for words in ("n New consult", "x Explain", "s PDFs", "p Print", "e Edit", "^q Quit"):
            assert words in footer, footer


async def test_the_plan_scrolls_by_keyboard_at_80x24(resources: Resources, tmp_path: Path) -> None:
    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_plan(pilot, ("glabella", "crows_feet", "masseter"))
        body = app.screen.query_one("#plan-body")
        assert body.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        assert "Follow-up: review" in screen_text(app)
        await pilot.press("pageup")
        await pilot.pause()
        assert body.scroll_y < body.max_scroll_y


@pytest.mark.parametrize("example", ["all_zones", "returning_touch_up", "asymmetry_masseter"])
async def test_the_dose_table_reads_whole_at_80_columns(resources: Resources, example: str) -> None:
    """Issue 10.8: every column on screen (long zone names wrap), none scrolled out sideways."""
    from textual.widgets import DataTable

    from assistant.files.loaders import load_answers
    from assistant.locations import EXAMPLES_DIR
    from assistant.services.consult_session import ConsultSession
    from assistant.services.headless import run_answer_file

    answers = load_answers(EXAMPLES_DIR / f"{example}.yaml").value
    assert answers is not None
    plan = run_answer_file(resources, answers, TODAY).plan
    assert plan is not None and plan.lines
    app = make_app(resources, TODAY, trainer=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(PlanScreen(ConsultSession(resources, TODAY), plan, None))
        await settle(pilot)
        table = app.screen.query_one("#plan-table", DataTable)
        assert table.max_scroll_x == 0
        header = screen_text(app)
        for column in ("Zone", "Side", "Points", "U/point", "mL/point", "Marks", "Dose"):
            assert column in header
        shown = [" ".join(str(table.get_cell_at((row, 0))).split()) for row in range(table.row_count)]
        assert shown == [line.zone_label.split(" (")[0] + (" *" if line.off_label else "") for line in plan.lines]


async def test_a_plan_that_injects_nothing_gives_no_review_date(resources: Resources) -> None:
    """Every zone deferred (retreat_wait): nothing is injected, so there is no review at the peak to
    come back for; the plan screen said "Follow-up: review ..." as the documents did not."""
    from assistant.files.loaders import load_answers
    from assistant.locations import EXAMPLES_DIR
    from assistant.services.consult_session import ConsultSession
    from assistant.services.headless import run_answer_file

    answers = load_answers(EXAMPLES_DIR / "retreat_wait.yaml").value
    assert answers is not None
    plan = run_answer_file(resources, answers, TODAY).plan
    assert plan is not None and plan.status == "planned" and not plan.lines and plan.deferred
    app = make_app(resources, TODAY, trainer=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(PlanScreen(ConsultSession(resources, TODAY), plan, None))
        await settle(pilot)
        assert not app.screen.query("#plan-follow-up")
        assert "Follow-up" not in screen_text(app)


async def test_leaving_an_edited_kept_consult_asks_before_the_changes_are_lost(resources: Resources, tmp_path) -> None:
    """E on the plan, an answer changed, then Ctrl+N or Ctrl+Q: the program started anew (or quit)
    at once, the change lost without a word, the consult staying as kept. Now each asks first; once
    planned again, the change is kept and nothing is lost."""
    from textual.widgets import DataTable

    from assistant.tui.screens.confirm import ConfirmScreen
    from assistant.tui.screens.review_screen import ReviewScreen
    from tests.tui_driving import burst

    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(pilot)
        assert not app.session.changed_since_kept
        burst(app, "e")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        goals = app.screen.query_one(DataTable).get_row_index("goals")
        burst(app, *["down"] * goals, "enter", "ctrl+a", "ctrl+k", "Softer frown", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.session.changed_since_kept
        for key in ("ctrl+n", "ctrl+q"):
            burst(app, key)
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen), key
            assert "not planned again" in app.screen.message
            burst(app, "n")  # stay
            await settle(pilot)
        assert app.is_running and app.session.answers.get("goals") == "Softer frown", "stayed, the change kept"
        burst(app, "p")  # planned again: kept with the change
        await until(pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen.record is not None)
        await settle(pilot)
        assert not app.session.changed_since_kept


async def test_a_consult_from_the_chart_in_place_of_an_edited_kept_one_says_its_changes_are_not_kept(
    resources: Resources, tmp_path
) -> None:
    """The other way a kept consult's unplanned changes go: a new consult for a patient from her chart
    takes its place. Nothing asks there, so it is said, never silent."""
    from textual.widgets import DataTable

    from assistant.tui.screens.chart_screen import ChartScreen
    from assistant.tui.screens.patient_search_screen import PatientSearchScreen
    from tests.tui_driving import burst

    app = make_app(resources, TODAY, data_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_plan(pilot)
        burst(app, "e")
        await settle(pilot)
        goals = app.screen.query_one(DataTable).get_row_index("goals")
        burst(app, *["down"] * goals, "enter", "ctrl+a", "ctrl+k", "Softer frown", "enter")
        await settle(pilot)
        assert app.current.changes_unplanned
        burst(app, "f5")
        await until(pilot, lambda: isinstance(app.screen, PatientSearchScreen))
        burst(app, "mina", "enter")
        await until(pilot, lambda: app.screen.searched == "mina")  # type: ignore[attr-defined]
        burst(app, "enter")
        await until(pilot, lambda: isinstance(app.screen, ChartScreen) and app.screen.chart is not None)
        burst(app, "n")
        await until(pilot, lambda: isinstance(app.screen, ConsultScreen))
        await settle(pilot)
        said = " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]
        assert "were not planned again" in said
