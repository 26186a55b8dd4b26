"""A list question with nothing suggested starts with nothing highlighted: an Enter typed ahead (a quick
typist, keys sent in one burst) must not answer it with a choice nobody made. "Which side is
stronger: Patient's left" taken that way changes the doses. Enter there says how to choose instead;
a script's default and an answer given before still start highlighted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import vials
from assistant.services.desk import Desk
from assistant.settings import ClinicSettings
from assistant.tui.app import ConsultApp, make_app
from tests.helpers import INJECTOR, PINS, TODAY
from tests.test_tui_consult import SIZE, enter, pick_zones, screening_all_no, type_answer
from tests.test_tui_lifecycle import clinic, to_review  # noqa: F401  (clinic: the staff fixture)
from tests.tui_driving import burst, settle

HOW_TO_CHOOSE = "Choose one with Up/Down, then Enter."


def current(app: ConsultApp) -> str | None:
    return app.session.current.id if app.session.current is not None else None


def highlighted(app: ConsultApp) -> str | None:
    options = app.screen.query_one("#answer-single", OptionList)
    if options.highlighted is None:
        return None
    return options.get_option_at_index(options.highlighted).id


def refusal(app: ConsultApp) -> str:
    line = app.screen.query_one("#refusal", Static)
    return str(line.render()) if line.display else ""


def open_vials(resources: Resources, folder: Path, *lots: str) -> None:
    """One open vial of each lot in the ledger of the clinic's folder, opened an hour ago by the injector."""
    desk = Desk(TinyDBStore(folder))
    for lot in lots:
        vials.open_one(
            desk, resources.kb, ClinicSettings(), lot=lot, expiry=dt.date(2027, 5, 31), units=100, saline_ml=2.5,
            at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), by=INJECTOR, pin=PINS[INJECTOR],
        )  # fmt: skip


async def at_sex(pilot: Pilot) -> None:
    await type_answer(pilot, "Mina Park")
    await type_answer(pilot, "1988-05-14")
    await enter(pilot, 2)  # no clinic number; English (the script's default)
    assert current(pilot.app) == "sex"  # type: ignore[arg-type]


async def test_enter_on_the_sex_question_with_nothing_chosen_answers_nothing(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await at_sex(pilot)
        assert highlighted(app) is None, "the script suggests no sex: nothing is chosen for her"
        hint = str(app.screen.query_one("#answer-hint").render())
        assert "Up/Down" in hint and "Enter" in hint, hint
        await enter(pilot)
        assert "sex" not in app.session.answers, "an Enter alone chose nothing"
        assert current(app) == "sex"
        assert HOW_TO_CHOOSE in refusal(app), refusal(app)
        await pilot.press("down")
        assert highlighted(app) == "female", "the first Down highlights the first choice"
        await enter(pilot)
        assert app.session.answers["sex"] == "female"
        assert refusal(app) == "", "the line goes once an answer is taken"
        await enter(pilot)  # at "pregnant or breastfeeding?", a yes/no with nothing highlighted
        assert "pregnant_or_breastfeeding" not in app.session.answers and "Y or N" in refusal(app)


async def test_which_side_is_stronger_is_not_answered_by_enter(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await at_sex(pilot)
        burst(app, "down", "enter")
        await settle(pilot)
        await screening_all_no(pilot)
        await pick_zones(pilot, ["crows_feet"])
        await enter(pilot, 3)  # skin, strength, effect: the script's defaults
        await type_answer(pilot, "never")
        await pilot.press("y")  # an asymmetry was measured
        await settle(pilot)
        assert current(app) == "asymmetries.0.zone" and highlighted(app) is None, "one zone offered, none chosen"
        burst(app, "enter", "enter")
        await settle(pilot)
        assert "asymmetries.0.zone" not in app.session.answers and HOW_TO_CHOOSE in refusal(app)
        burst(app, "down", "enter")
        await settle(pilot)
        assert current(app) == "asymmetries.0.stronger_side" and highlighted(app) is None
        await enter(pilot, 3)
        assert current(app) == "asymmetries.0.stronger_side", "no side was said: none is taken"
        assert "asymmetries.0.stronger_side" not in app.session.answers
        assert HOW_TO_CHOOSE in refusal(app)
        burst(app, "down", "down", "enter")
        await settle(pilot)
        assert app.session.answers["asymmetries.0.stronger_side"] == "right"


async def test_a_default_and_an_answer_given_before_still_start_highlighted(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await type_answer(pilot, "Mina Park")
        await type_answer(pilot, "1988-05-14")
        await enter(pilot)  # no clinic number
        assert current(app) == "patient_language" and highlighted(app) == "en", "the script's default"
        await enter(pilot)
        burst(app, "up", "enter")  # from nothing, Up goes to the last choice: male
        await settle(pilot)
        assert app.session.answers["sex"] == "male"
        await pilot.press("escape")  # back to the sex question
        await settle(pilot)
        assert current(app) == "sex" and highlighted(app) == "male", "the answer given stays highlighted"
        await enter(pilot)
        assert app.session.answers["sex"] == "male"
        await screening_all_no(pilot, female=False)
        await pick_zones(pilot, ["glabella"])
        assert current(app) == "skin_thickness" and highlighted(app) == "normal", "the script's default"


async def test_a_burst_typed_at_the_list_lands_in_order(resources: Resources) -> None:
    app = make_app(resources, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        # name, date of birth, no clinic number, English, then an Enter too many at the sex question,
        # the male patient chosen, and the four screening questions: one burst, as a paste would come
        burst(app, "Jin Seo", "enter", "1990-01-02", "enter", "enter", "enter")
        burst(app, "enter", "down", "down", "enter", "n", "n", "n", "n")
        await settle(pilot)
        answers = app.session.answers
        assert answers["sex"] == "male", "the stray Enter chose nothing; Down twice is the second choice"
        screening = ("neuromuscular_disorder", "infection_at_site", "toxin_allergy", "aminoglycosides")
        assert [answers[q] for q in screening] == [False] * 4
        assert "pregnant_or_breastfeeding" not in answers
        assert current(app) == "zones"


async def test_of_several_open_vials_none_is_taken_by_enter(resources: Resources, clinic: Path) -> None:  # noqa: F811
    """The lot question offers the open vials: one open vial is highlighted (it is the one drawn from,
    as ``give`` takes it), but of several the first is only first by its id."""
    open_vials(resources, clinic, "BX2311", "BX2312")
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot, lot="pick")
        await settle(pilot)
        assert current(app) == "lot_number" and highlighted(app) is None
        await enter(pilot)
        assert "lot_number" not in app.session.answers and HOW_TO_CHOOSE in refusal(app)
        burst(app, "down", "down", "enter")  # the second vial
        await settle(pilot)
        second = app.session.open_vials[1]
        assert app.session.answers["lot_number"] == second.lot and app.session.vial_id == second.vial_id
        await pilot.press("escape")  # back to the lot: the vial picked stays highlighted
        await settle(pilot)
        assert current(app) == "lot_number" and highlighted(app) == f"vial:{second.vial_id}"


async def test_the_given_screen_draws_from_no_vial_nobody_chose(resources: Resources, clinic: Path) -> None:  # noqa: F811
    """A lot typed at the lot question that no open vial holds: the given screen highlighted the first
    open vial, only first by its id, and Ctrl+S drew the doses from it. Now none is highlighted and
    Ctrl+S asks for the vial first."""
    from textual.widgets import OptionList

    from assistant.tui.screens.given_screen import GivenScreen
    from tests.test_tui_lifecycle import sign_in, type_pin
    from tests.tui_driving import press_give, until

    open_vials(resources, clinic, "A-1", "B-2")
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await to_review(pilot, lot="pick")
        await settle(pilot)
        burst(app, "down", "down", "down", "enter")  # past both vials: another lot
        await settle(pilot)
        await type_answer(pilot, "C-9")
        await type_answer(pilot, "2027-05-31")
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        await press_give(pilot)
        await until(pilot, lambda: isinstance(app.screen, GivenScreen))
        given = app.screen
        assert isinstance(given, GivenScreen)
        listed = given.query_one("#given-vial", OptionList)
        assert listed.highlighted is None, "no vial was chosen"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is given and "Choose the vial" in str(given.query_one("#given-refusal", Static).render())
        assert listed.has_focus
        await pilot.press("down", "down", "ctrl+s")  # the second vial
        await type_pin(pilot, INJECTOR)
    [record] = [r for r in TinyDBStore(clinic).latest_records() if r.given is not None]
    drawn = {draw.vial_id for line in record.given.lines for draw in line.draws}  # type: ignore[union-attr]
    assert drawn == {given.vials[1].vial_id}
