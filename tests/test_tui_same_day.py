"""Issue 22.4 in the UI: planning a second consult for a patient who already has one today asks
first ("Mina Park already has a consult today, planned at HH:MM: open it instead?")."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import make_app
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.plan_screen import PlanScreen
from assistant.tui.screens.same_day_screen import SameDayScreen
from tests.helpers import INJECTOR, TODAY
from tests.test_tui_drafts import disk_settled, is_drafts_list, listed, start
from tests.test_tui_lifecycle import SIZE, clinic, planned_by, to_review
from tests.tui_driving import burst, screen_text, settle

__all__ = ["clinic"]  # the fixture, used by name

pytestmark = pytest.mark.slow


async def plan_again(pilot) -> None:  # type: ignore[no-untyped-def]
    """N, the same patient's consult again, P (the account stays signed in)."""
    await pilot.press("n")
    await settle(pilot)
    await to_review(pilot)
    await pilot.press("p")
    await settle(pilot)


async def test_a_second_consult_today_asks_first_and_opens_the_first(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        first = app.screen.record.consult_id
        await plan_again(pilot)
        assert isinstance(app.screen, SameDayScreen)
        assert "Mina Park already has a consult today, planned at " in screen_text(app)
        assert "open it instead?" in screen_text(app)
        assert app.screen.query_one(OptionList).highlighted is None, "an Enter typed ahead chooses nothing"
        await pilot.press("down", "enter")  # Open it
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        assert app.screen.record.consult_id == first
    assert [row.consult_id for row in TinyDBStore(clinic).recent().rows] == [first], "nothing second was kept"


async def test_the_consult_left_for_the_one_opened_is_a_draft_free_to_resume(
    resources: Resources, clinic: Path
) -> None:
    """A tryout: "Open it" kept the consult just answered as its draft, claimed still by this
    workstation, and once the app had quit it was "being continued in vm" (this very computer) for the
    claim's 30 minutes, refused here too. It is now kept with its claim released, as a quit does."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        await plan_again(pilot)
        await pilot.press("down", "enter")  # Open it
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await disk_settled(app)
    drafts = TinyDBStore(clinic).drafts()
    assert [d.patient_name for d in drafts] == ["Mina Park"], "the consult just answered, kept as its draft"
    assert drafts[0].claim is not None and drafts[0].claim.released, "free to resume"
    again = make_app(resources, TODAY, data_dir=clinic)
    async with again.run_test(size=SIZE) as pilot:
        await start(again, pilot)
        assert is_drafts_list(again) and not any("being continued" in line for line in listed(again)), listed(again)


async def test_a_second_consult_today_when_meant(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        await plan_again(pilot)
        assert isinstance(app.screen, SameDayScreen)
        await pilot.press("down", "down", "enter")  # Plan a second consult for today
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        await plan_again(pilot)
        await pilot.press("escape")  # back: nothing kept
        await settle(pilot)
        assert not isinstance(app.screen, (SameDayScreen, PlanScreen))
    assert len(TinyDBStore(clinic).recent().rows) == 2


async def test_the_consult_opened_instead_is_the_one_the_plan_screen_acts_on(
    resources: Resources, clinic: Path
) -> None:
    """Opened in place of a second consult, the first is the consult on screen: N starts the next
    patient's consult at once, and her name typed straight after it goes there. It was shown over the
    second, which stayed the app's consult: N asked to discard that hidden one, the name's letters
    answered the question and then worked the plan screen (E edited the hidden consult, whose name
    became the date of birth typed next). The second one is kept as a draft, and said."""
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        first = app.screen.record.consult_id  # type: ignore[attr-defined]
        await plan_again(pilot)
        await pilot.press("down", "enter")  # Open it
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.session.consult_id == first
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert any(m.startswith("The consult just answered is kept as a draft, not planned.") for m in said), said
        burst(app, "n", *"Eun Seo", "enter", *"1979-03-03", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, (PlanScreen, ConfirmScreen)), "no question answered by her name"
        assert app.session.answers["patient_name"] == "Eun Seo"
        assert str(app.session.answers["date_of_birth"]) == "1979-03-03"
        assert app.session.consult_id is None
    drafts, _ = TinyDBStore(clinic).draft_listing()
    assert sorted(d.patient_name or "" for d in drafts) == ["Eun Seo", "Mina Park"], "the second one not lost"


async def test_g_on_the_other_of_two_consults_of_today_says_the_zones_the_first_was_given(
    resources: Resources, clinic: Path
) -> None:
    """Two consults of one patient planned before either was given (a second one meant, or two
    workstations at once), the second given first: G on the other says, on its form before any PIN,
    that its zones are past what the doses just given allow, and only a medical director may record it."""
    from assistant.tui.screens.given_screen import GivenScreen
    from tests.test_tui_lifecycle import type_pin
    from tests.tui_driving import press_give, until

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        first = app.screen.record  # type: ignore[attr-defined]
        await plan_again(pilot)
        await pilot.press("down", "down", "enter")  # Plan a second consult for today
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        second = app.screen.record.consult_id
        await press_give(pilot)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await type_pin(pilot, INJECTOR)
        assert TinyDBStore(clinic).get(second).state == "given"  # type: ignore[union-attr]

        app.record_desk.in_dialog(lambda: app.record_desk.give(first, None), "give")
        await until(pilot, lambda: isinstance(app.screen, (GivenScreen, ConfirmScreen)), why=lambda: app.screen)
        if isinstance(app.screen, ConfirmScreen):  # her consent, asked first when it does not cover this one
            await press_give(pilot)
        await until(pilot, lambda: isinstance(app.screen, GivenScreen), why=lambda: app.screen)
        form = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "no PIN asked"
        said = " ".join(str(form.query_one("#given-refusal").render()).split())
        # the consults are of TODAY, given on the machine's today: the first's doses count from then
        # (a touch-up's most on this clock; "given on ... in consult ..." when both fall on one day)
        assert "Past a limit: glabella: 20 U given" in said, said
        assert "Only a medical director may record doses past a limit" in said
    assert TinyDBStore(clinic).get(first.consult_id).state == "planned"  # type: ignore[union-attr]
