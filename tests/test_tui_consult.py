"""Whole consults driven by keypress only, as junior staff would run them.

Each test asserts on the session state first (what the app believes) and on what the plan screen
shows second.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from assistant.files.clinic_file import Loaded
from assistant.files.resources import Resources
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consult_screen import ConsultScreen
from assistant.tui.screens.explanation_screen import ExplanationScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.review_screen import ReviewScreen
from assistant.tui.screens.staff_screen import StaffScreen
from assistant.tui.widgets.transcript import KnowledgeTurn, StaffTurn, StopTurn
from tests.helpers import TODAY
from tests.tui_driving import burst, read, settle, until

SIZE = (120, 40)

DATE_OF_BIRTH = "What is the patient's date of birth? (YYYY-MM-DD)"
"""The question the age is worked out from (the age itself is no longer asked once it is answered)."""

# Position of each zone in the shipped zones list, for arrow-key navigation.
ZONE_ORDER = ["glabella", "forehead", "crows_feet", "bunny_lines", "gummy_smile", "marionette", "chin", "masseter"]


async def type_answer(pilot: Pilot, text: str) -> None:
    """Type ``text`` and Enter as one burst (a quick typist), then wait until the app has applied every
    key: ``pilot.press`` would wait for the screen after each character, which is most of a test's time."""
    burst(pilot.app, *text, "enter")
    await settle(pilot)


async def pick_zones(pilot: Pilot, zones: list[str]) -> None:
    """Tick zones in the multi-select (cursor starts on the first), then Enter."""
    position, typed = 0, []
    for zone in sorted(zones, key=ZONE_ORDER.index):
        target = ZONE_ORDER.index(zone)
        typed += [*["down"] * (target - position), "space"]
        position = target
    burst(pilot.app, *typed, "enter")
    await settle(pilot)


async def enter(pilot: Pilot, times: int = 1) -> None:
    """Enter ``times`` times, as one burst: each takes the answer on screen (a default, a pre-filled
    value, the highlighted choice) before the next is let through."""
    burst(pilot.app, *["enter"] * times)
    await settle(pilot)


async def choose(pilot: Pilot, position: int = 0) -> None:
    """Down to the choice at ``position`` of a list that starts with nothing highlighted (no default and
    no answer before, as the sex, an asymmetry's zone and side), then Enter, as one burst."""
    burst(pilot.app, *["down"] * (position + 1), "enter")
    await settle(pilot)


async def screening_all_no(pilot: Pilot, female: bool = True) -> None:
    burst(pilot.app, *["n"] * (5 if female else 4))
    await settle(pilot)


async def plan_it(pilot: Pilot, staff: str = "Dr Lee") -> None:
    """From the review screen: plan, and give the staff name asked once per session."""
    await pilot.press("p")
    with contextlib.suppress(AssertionError):  # planning takes a moment under load; a refusal keeps the review
        await until(pilot, lambda: isinstance(pilot.app.screen, StaffScreen | PlanScreen), timeout=10)
    if isinstance(pilot.app.screen, StaffScreen):
        burst(pilot.app, *(["ctrl+a", staff, "enter"] if staff else ["escape"]))
        await settle(pilot)
    await pilot.app.workers.wait_for_complete()  # the end of the consult (its look-ups, the save) is done
    await pilot.pause()


def consult_screen(app: ConsultApp) -> ConsultScreen:
    screen = app.screen
    assert isinstance(screen, ConsultScreen), type(screen)
    return screen


def plan_table_rows(app: ConsultApp) -> list[list[str]]:
    table = app.screen.query_one("#plan-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_standard_full_face_consult(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Mina Park")
        await type_answer(pilot, "1988-05-14")  # date of birth: 38 on TODAY
        await enter(pilot)  # skip patient id
        await enter(pilot)  # patient language: English (the default)
        await choose(pilot)  # sex: Female is first
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella", "forehead", "crows_feet"])
        await enter(pilot, 3)  # skin normal, strength average, effect standard (defaults)
        await type_answer(pilot, "never")
        await pilot.press("n")  # no asymmetry
        await pilot.pause()
        await enter(pilot)  # goals: skip
        await enter(pilot)  # lot number: skip
        assert isinstance(app.screen, ReviewScreen)
        assert app.session.answers["zones"] == ("glabella", "forehead", "crows_feet")
        await plan_it(pilot)
        assert isinstance(app.screen, PlanScreen)
        plan = app.screen.plan
        assert plan.status == "planned"
        assert plan.total_units == 52
        rows = plan_table_rows(app)
        assert rows[0][:5] == ["Glabella", "center", "5", "4", "20"]
        crows = [row for row in rows if row[0].startswith("Crow")]
        assert [row[1] for row in crows] == ["left", "left", "right", "right"]
        # 10 U over 4 points in steps the syringe can draw (half a mark, 0.2 U): 2 x 2.4 U and 2 x 2.6 U
        assert crows[0][2:7] == crows[2][2:7] == ["2", "2.4", "4.8", "0.060", "6"]
        assert crows[1][2:7] == crows[3][2:7] == ["2", "2.6", "5.2", "0.065", "6.5"]
        totals = str(app.screen.query_one("#plan-totals", Static).render())
        assert "Total 52 U" in totals and "1 vial of 100 U" in totals
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExplanationScreen)
        assert "Mina Park" in app.screen.text


async def test_returning_patient_on_day_19_gets_touch_ups(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Joon Kim")
        await type_answer(pilot, "1982-05-14")  # 44 on TODAY
        await type_answer(pilot, "P-77")
        await enter(pilot)  # patient language: English (the default)
        await pilot.press("down", "down", "enter")  # male: the second choice, from none highlighted
        await pilot.pause()
        await screening_all_no(pilot, female=False)
        await pick_zones(pilot, ["glabella", "crows_feet"])
        await enter(pilot, 3)
        await type_answer(pilot, "2026-11-05")  # 19 days before TODAY
        transcript = " ".join(str(t.render()) for t in app.screen.query(KnowledgeTurn))
        assert "19 days ago" in transcript
        await pick_zones(pilot, ["glabella", "crows_feet"])
        await pilot.press("n")
        await pilot.pause()
        await enter(pilot, 2)  # goals, lot number
        await plan_it(pilot)
        plan = app.screen.plan
        assert {line.kind for line in plan.lines} == {"touch_up"}
        assert plan.units_for("glabella", "center") == 2
        assert plan.units_for("crows_feet", "left") == plan.units_for("crows_feet", "right") == 2
        assert "touch_up_early" not in plan.warning_codes()
        assert all(row[7] == "touch-up" for row in plan_table_rows(app))
        follow_up = str(app.screen.query_one("#plan-follow-up", Static).render())
        assert "touch-up window" not in follow_up, "no second touch-up window after touch-ups"
        assert "next full treatment of the zones touched up today from 2027-02-03" in follow_up


async def test_contraindicated_patient_stops_with_reasons_and_no_doses(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Sara Lee")
        await type_answer(pilot, "1995-02-20")
        await enter(pilot)
        await enter(pilot)  # patient language: English (the default)
        await choose(pilot)  # female
        await pilot.press("y")  # pregnant or breastfeeding
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        stops = [str(t.render()) for t in app.screen_stack[-2].query(StopTurn)]
        assert len(stops) == 1 and "pregnancy or breastfeeding" in stops[0]
        await read(pilot)  # a question whose Yes stops the consult: read first
        await pilot.press("y")  # stop here
        await pilot.pause()
        assert isinstance(app.screen, StaffScreen)
        await pilot.press("escape")  # no name given
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        plan = app.screen.plan
        assert plan.status == "contraindicated"
        assert plan.lines == ()
        assert [r.code for r in plan.reasons] == ["pregnant_or_breastfeeding"]
        assert not app.screen.query("#plan-table")
        banner = str(app.screen.query_one("#plan-status", Static).render())
        assert "No dose is planned" in banner


async def test_invalid_answer_is_refused_in_place_and_nothing_is_lost(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Ana Cho")
        await type_answer(pilot, "1992-05-14")
        await enter(pilot)
        await enter(pilot)  # patient language: English (the default)
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella"])
        await pilot.press("f2")  # the date of birth changed on the review screen
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        born_row = [str(table.get_row_at(i)[1]) for i in range(table.row_count)].index(DATE_OF_BIRTH)
        await pilot.press(*["down"] * born_row, "enter")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"2014-05-14", "enter")  # 12 on TODAY: below 18
        await pilot.pause()
        screen = consult_screen(app)
        assert screen.session.current is not None and screen.session.current.id == "date_of_birth"
        refusal = str(screen.query_one("#refusal", Static).render())
        assert "2014-05-14 makes the patient 12 years old; the allowed ages are 18 to 100." in refusal
        assert app.session.answers["patient_name"] == "Ana Cho"
        assert app.session.answers["zones"] == ("glabella",)


async def test_back_and_edit_drop_answers_that_no_longer_apply(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Lee Min")
        await type_answer(pilot, "1990-03-02")
        await enter(pilot)
        await enter(pilot)  # patient language: English (the default)
        await choose(pilot)  # female
        await pilot.press("n")  # not pregnant
        await pilot.pause()
        assert "pregnant_or_breastfeeding" in app.session.answers
        await pilot.press("escape")  # back to the pregnancy question
        await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "pregnant_or_breastfeeding"
        await pilot.press("escape")  # back to sex
        await pilot.pause()
        assert app.session.current.id == "sex"
        await pilot.press("down", "enter")  # change to male
        await pilot.pause()
        assert app.session.answers["sex"] == "male"
        assert "pregnant_or_breastfeeding" not in app.session.answers
        dropped = [t for t in app.screen.query(StaffTurn) if t.has_class("-dropped")]
        assert [t.question_id for t in dropped] == ["pregnant_or_breastfeeding"]
        # the next question is the first unanswered one, not the removed pregnancy question
        assert app.session.current.id == "neuromuscular_disorder"


async def test_edit_from_review_screen_changes_the_plan(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Edit Me")
        await type_answer(pilot, "1996-05-14")  # 30 on TODAY
        await enter(pilot)
        await enter(pilot)  # patient language: English (the default)
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["glabella"])
        await enter(pilot, 3)
        await type_answer(pilot, "never")
        await enter(pilot)  # goals (no paired zone: no asymmetry question)
        await enter(pilot)  # lot number: skip
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        born_row = [str(table.get_row_at(i)[1]) for i in range(table.row_count)].index(DATE_OF_BIRTH)
        await pilot.press(*["down"] * born_row, "enter")
        await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "date_of_birth"
        await type_answer(pilot, "1966-05-14")  # 60 on TODAY
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == born_row, "back on the row just changed, not on the first"
        await plan_it(pilot)
        plan = app.screen.plan
        assert plan.units_for("glabella", "center") == 20.8  # 20 x 1.04 = 20.8, on the marks: not rounded to 21
        assert [m.name for m in plan.modifiers] == ["age"]


async def test_asking_the_knowledge_base_keeps_the_current_question(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "? max glabella")
        assert app.session.answers == {}
        turns = [str(t.render()) for t in app.screen.query(KnowledgeTurn)]
        assert turns and "25 U" in turns[0] and "reference-article" in turns[0]
        assert app.session.current is not None and app.session.current.id == "patient_name"
        await type_answer(pilot, "? xyzzy plugh")
        assert "Nothing found" in str(list(app.screen.query("AssistantTurn"))[-1].render())


async def test_warning_answer_needs_confirmation(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Old Patient")
        await type_answer(pilot, "1946-05-14")  # 80 on TODAY: the age question's warning
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.session.answers["age"] == 80


async def test_quitting_mid_consult_asks_first(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Half Done")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await read(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConsultScreen)
        assert app.is_running


class SlowStart:
    """An app that draws its first question from a snapshot while its engine "loads" until
    ``release`` is set: the progressive start, with the loading moment held open."""

    def __init__(self, resources: Resources) -> None:
        from threading import Event

        from assistant.startup import FirstQuestion

        self.resources = resources
        self.release = Event()
        self.first = FirstQuestion(
            "patient_name", "Botulax consultation", None, "What is the patient's full name?", "Type", 17
        )

    def loader(self) -> Loaded[Resources]:
        self.release.wait(5)
        return Loaded(self.resources)

    def app(self) -> ConsultApp:
        return make_app(today=TODAY, loader=self.loader, first=self.first)

    async def finish_loading(self, app: ConsultApp, pilot: Pilot[None]) -> None:
        self.release.set()
        await until(pilot, lambda: app.current.engine_ready)  # the loading starts after the first frame settles
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()


async def test_first_question_from_snapshot_carries_typing_into_the_consult(resources: Resources) -> None:
    """Start-up draws the first question before the engine loads; nothing typed meanwhile is lost."""
    from assistant.tui.screens.welcome_screen import WelcomeScreen

    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        assert app.sub_title == "new patient · question 1 of 17"
        await pilot.press(*"Mina Park", "enter")  # typed and submitted while the engine loads
        assert isinstance(app.screen, WelcomeScreen)
        await start.finish_loading(app, pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert app.session.answers == {"patient_name": "Mina Park"}
        assert app.session.current is not None and app.session.current.id == "date_of_birth"
        assert app.sub_title == "Mina Park · question 2 of 17"


async def test_the_engine_starts_loading_once_the_first_frame_is_drawn(resources: Resources, monkeypatch) -> None:
    """Its thread would hold the GIL while Textual draws the first question: the load starts after
    the frame that follows the first layout (Ready), and only once (a timer would start it too)."""
    from assistant.tui.start_up import LOAD_AT_THE_LATEST

    start = SlowStart(resources)
    frames: list[object] = []  # what the app handed to the terminal, one entry a frame
    at_ready: list[int] = []
    at_load: list[int] = []

    def loader() -> Loaded[Resources]:
        at_load.append(len(frames))
        return start.loader()

    app = make_app(today=TODAY, loader=loader, first=start.first)
    display, on_ready = app._display, ConsultApp.on_ready

    def displayed(screen: object, renderable: object) -> None:
        if renderable is not None and not app._batch_count:
            frames.append(renderable)
        display(screen, renderable)  # type: ignore[arg-type]

    def ready(self: ConsultApp) -> None:
        at_ready.append(len(frames))
        on_ready(self)

    monkeypatch.setattr(app, "_display", displayed)
    monkeypatch.setattr(ConsultApp, "on_ready", ready)
    async with app.run_test(size=SIZE) as pilot:
        await start.finish_loading(app, pilot)
        await pilot.pause(LOAD_AT_THE_LATEST * 2)
        assert isinstance(app.screen, ConsultScreen)
    assert len(at_load) == 1, "the engine is loaded once"
    assert at_load[0] > at_ready[0], "a frame is drawn between the first layout and the load"


async def test_the_first_frame_parses_only_the_consult_screens_styles(resources: Resources, monkeypatch) -> None:
    """From the snapshot, the first frame reads consult.tcss alone; app.tcss (every other screen's
    styles) is read once that frame is drawn, after it, and styles the dialogs. Without the snapshot
    both are read at start, in the same order."""
    from assistant.tui import styles

    def read(app: ConsultApp) -> list[str]:
        return [Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")]

    at_ready: list[list[str]] = []
    on_ready = ConsultApp.on_ready

    def ready(self: ConsultApp) -> None:
        at_ready.append(read(self))
        on_ready(self)

    monkeypatch.setattr(ConsultApp, "on_ready", ready)
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=SIZE) as pilot:
        await start.finish_loading(app, pilot)
        assert read(app) == [styles.FIRST.name, styles.REST.name]
        await app.push_screen(ConfirmScreen("Go on?"))
        assert app.screen.styles.align == ("center", "middle"), "app.tcss styles the dialogs"
    assert at_ready == [[styles.FIRST.name]]
    at_ready.clear()
    async with make_app(resources, TODAY).run_test(size=SIZE):
        assert at_ready == [[styles.FIRST.name, styles.REST.name]]


async def test_while_the_engine_loads_an_open_palette_gives_way_to_the_consult(resources: Resources) -> None:
    """A command palette opened in the first moments is closed when the consult takes over,
    rather than left under it."""
    from textual.command import CommandPalette

    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await start.finish_loading(app, pilot)
        assert isinstance(app.screen, ConsultScreen)
        assert not any(isinstance(screen, CommandPalette) for screen in app.screen_stack)


async def test_while_the_engine_loads_quit_asks_nothing(resources: Resources) -> None:
    """Nothing has been answered yet, so there is nothing to lose."""
    start = SlowStart(resources)
    app = start.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    start.release.set()


async def test_the_explanation_preview_keeps_the_printed_lines_at_80_columns(resources: Resources) -> None:
    """The text is laid out for print at 78 columns; the preview must not wrap it a second time."""
    from assistant.documents import render_patient
    from assistant.files.loaders import load_answers
    from assistant.locations import EXAMPLES_DIR
    from assistant.services.headless import run_answer_file

    answer_file = load_answers(EXAMPLES_DIR / "full_face.yaml").value
    assert answer_file is not None
    outcome = run_answer_file(resources, answer_file, TODAY)
    assert outcome.plan is not None
    text = str(render_patient(outcome.plan, resources.kb, resources.clinic, "text"))
    assert max(len(line) for line in text.splitlines()) > 70  # long enough to be wrapped at 80 columns
    app = make_app(resources, TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ExplanationScreen(text))
        await pilot.pause()
        shown = app.screen.query_one("#explanation-text", Static)
        assert shown.size.height == len(text.splitlines())


async def to_date_of_birth(pilot: Pilot) -> None:
    await type_answer(pilot, "Ana Cho")


async def test_refused_text_is_selected_so_typing_replaces_it(resources: Resources) -> None:
    """Issue 10.6: "14 May 1992" refused, then "1992-05-14" typed: taken as that date (age 34),
    not "14 May 19921992-05-14"."""
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await to_date_of_birth(pilot)
        await type_answer(pilot, "14 May 1992")
        assert app.session.current is not None and app.session.current.id == "date_of_birth"
        field = app.screen.query_one("#answer-text", Input)
        assert field.value == "14 May 1992", "the refused text stays, to be read and corrected"
        assert field.selected_text == "14 May 1992"
        await type_answer(pilot, "1992-05-14")
        assert app.session.answers["age"] == 34


async def test_only_the_latest_refusal_is_shown_and_it_goes_once_an_answer_is_taken(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await to_date_of_birth(pilot)
        for wrong in ("14 May 1992", "2014-05-14", "1870-01-01", "abc", "", "2030-01-01"):
            await pilot.press("ctrl+a", "ctrl+k", *wrong, "enter")
            await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "date_of_birth"
        piled = [t for t in app.screen.query("Turn") if "Not taken" in str(t.render())]
        assert piled == [], "refusals do not pile up in the transcript"
        refusal = app.screen.query_one("#refusal", Static)
        assert refusal.display and "2030-01-01" in str(refusal.render()), "the latest refusal, under the question"
        await type_answer(pilot, "1992-05-14")
        assert app.session.answers["age"] == 34
        assert not app.screen.query_one("#refusal", Static).display


async def test_the_garbage_collector_is_back_once_the_first_frame_is_drawn(resources: Resources) -> None:
    """``cmd_ui`` turns it off before the first frame is made; the app turns it back on once drawn."""
    import gc

    start = SlowStart(resources)
    app = start.app()
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await start.finish_loading(app, pilot)
            assert gc.isenabled()
    finally:
        gc.enable()
