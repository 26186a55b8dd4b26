"""The asymmetries repeat group asked in the UI by keypress: each entry's questions come as ordinary
questions with the entry's number, "another one?" after each, one entry per zone."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from assistant.files.resources import Resources
from assistant.tui.app import make_app
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.review_screen import ReviewScreen
from tests.helpers import TODAY
from tests.test_tui_consult import (
    SIZE,
    choose,
    consult_screen,
    enter,
    pick_zones,
    plan_it,
    screening_all_no,
    type_answer,
)


async def test_two_asymmetries_entered_by_keypress(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Jiwoo Han")
        await type_answer(pilot, "1993-05-14")  # 33 on TODAY
        await enter(pilot, 2)  # no clinic number, English
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["crows_feet", "masseter"])
        await enter(pilot, 3)  # skin, strength, effect: the defaults
        await type_answer(pilot, "never")
        assert app.session.current is not None and app.session.current.id == "asymmetries.0"
        await pilot.press("y")
        await pilot.pause()
        prompt = str(consult_screen(app).query_one("#question-prompt").render())
        assert "Asymmetry 1: In which zone?" in prompt
        offered = app.screen.query_one("#answer-single", OptionList)
        assert [offered.get_option_at_index(i).id for i in range(offered.option_count)] == ["crows_feet", "masseter"]
        # typed in one burst: crow's feet, the patient's right side, 2 U; another one? yes (the zone and
        # the side start with nothing highlighted: Down to the first choice)
        await pilot.press("down", "enter", "down", "down", "enter", *"2", "enter", "y")
        await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "asymmetries.1.zone"
        offered = app.screen.query_one("#answer-single", OptionList)
        assert [offered.get_option_at_index(i).id for i in range(offered.option_count)] == ["masseter"], (
            "one entry per zone: crow's feet is taken"
        )
        await pilot.press("down", "enter", "down", "enter", *"1", "enter")  # masseter, the patient's left side, 1 U
        await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "goals", (
            "no zone is left for a third asymmetry: 'another one?' is not asked"
        )
        await enter(pilot, 2)  # goals, lot number: skip
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        prompts = [" ".join(str(table.get_row_at(i)[1]).split()) for i in range(table.row_count)]  # cells wrap
        assert "Asymmetry 2: Which side is stronger (the patient's own left or right)?" in prompts
        assert app.session.record_answers()["asymmetries"] == [
            {"zone": "crows_feet", "stronger_side": "right", "extra_units": 2.0},
            {"zone": "masseter", "stronger_side": "left", "extra_units": 1.0},
        ]
        await plan_it(pilot)
        assert isinstance(app.screen, PlanScreen)
        plan = app.screen.plan
        assert (plan.units_for("crows_feet", "left"), plan.units_for("crows_feet", "right")) == (10, 12)
        assert (plan.units_for("masseter", "left"), plan.units_for("masseter", "right")) == (26, 25)
        assert app.screen.record is not None
        assert app.screen.record.answers["asymmetries"][1]["zone"] == "masseter", "kept as the group's entries"


async def test_going_back_into_an_entry_and_changing_its_zone_asks_its_questions_again(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Back Again")
        await type_answer(pilot, "1986-05-14")  # 40 on TODAY
        await enter(pilot, 2)
        await choose(pilot)  # female
        await screening_all_no(pilot)
        await pick_zones(pilot, ["forehead", "crows_feet"])
        await enter(pilot, 3)
        await type_answer(pilot, "never")
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "enter", "down", "enter")  # forehead, the patient's left side
        await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "asymmetries.0.extra_units"
        await pilot.press("escape", "escape")  # back to the zone
        await pilot.pause()
        assert app.session.current is not None and app.session.current.id == "asymmetries.0.zone"
        await pilot.press("down", "enter")  # crow's feet instead
        await pilot.pause()
        assert app.session.answers["asymmetries.0.zone"] == "crows_feet"
        assert "asymmetries.0.stronger_side" not in app.session.answers, "measured on another zone: asked again"
        assert app.session.current is not None and app.session.current.id == "asymmetries.0.stronger_side"


def test_the_face_map_shows_the_forehead_in_halves(resources: Resources) -> None:
    from rich.console import Console

    from assistant.files.loaders import load_answers
    from assistant.locations import EXAMPLES_DIR
    from assistant.services.headless import run_answer_file
    from assistant.tui.widgets.face_map import face_map

    answer_file = load_answers(EXAMPLES_DIR / "asymmetry_forehead.yaml").value
    assert answer_file is not None
    plan = run_answer_file(resources, answer_file, TODAY).plan
    assert plan is not None
    labels = {zone.id: zone.label for zone in resources.kb.zones()}
    console = Console(width=80, record=True)
    console.print(face_map(plan, labels, resources.kb.paired_zone_ids()))
    [row] = [line for line in console.export_text().splitlines() if "Forehead" in line]
    assert row.split() == ["8", "U", "Forehead", "(uneven)", "6", "U"], "the patient's right on the left of the screen"
