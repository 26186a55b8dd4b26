"""G's form when the vial picked holds less than the doses: the vial the rest came from is asked for
on the form (a vial run out during a treatment), where it was refused after the PIN with words that
named a command-line flag (``--vial``), and the UI had no way to name a second vial."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widgets import OptionList, Static

from assistant.core.lifecycle.vials import Vial
from assistant.files.resources import Resources
from assistant.tui.screens.given_screen import GivenChoice, GivenScreen
from tests.test_document_layout import plan_of
from tests.test_vial_ledger import vial
from tests.tui_driving import settle

pytestmark = pytest.mark.slow  # Pilot (tests/slow.py)

RUN_OUT, FULL = vial("V-A", lot="A-1", units_left=12), vial("V-B", lot="B-2")
LOW = vial("V-C", lot="C-3", units_left=10)


class FormOnly(App[None]):
    """G's form on its own, its answer kept (what the record desk would be handed)."""

    def __init__(self, form: GivenScreen) -> None:
        super().__init__()
        self.form = form
        self.answer: GivenChoice | str | None = "not answered"

    def on_mount(self) -> None:
        self.push_screen(self.form, self.answered)

    def answered(self, choice: GivenChoice | None) -> None:
        self.answer = choice


def form_of(resources: Resources, vials: list[Vial], picked: str, again: GivenChoice | None = None) -> GivenScreen:
    plan, _ = plan_of(resources, "full_face")  # 52 U: glabella 20, forehead 12, crow's feet 10 a side
    paired = {zone.id: zone.paired for zone in resources.kb.zones()}
    return GivenScreen(plan, paired, vials, picked, again=again)


def said(form: GivenScreen) -> str:
    return " ".join(str(form.query_one("#given-refusal", Static).render()).split())


async def test_the_vial_the_rest_came_from_is_asked_for_on_the_form(resources: Resources) -> None:
    form = form_of(resources, [RUN_OUT, FULL, LOW], RUN_OUT.vial_id)
    app = FormOnly(form)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.answer == "not answered", "no PIN asked for doses the vial does not hold"
        assert "The vial (lot A-1, 12 U left): 40 U short of the rows. Choose the vial the rest" in said(form)
        heading = str(form.query_one("#given-vial-heading", Static).render())
        assert heading == "The other 40 U (after lot A-1) from the vial:"
        listed = form.query_one("#given-vial", OptionList)
        assert listed.has_focus and listed.highlighted is None
        await pilot.press("down", "ctrl+s")  # the same vial again
        await settle(pilot)
        assert "That vial is named already" in said(form)
        await pilot.press("down", "down", "down", "ctrl+s")  # no vial of the ledger, for the rest
        await settle(pilot)
        assert "The rest came from a vial of the ledger too" in said(form)
        await pilot.press("up", "ctrl+s")  # the 10 U vial: still 30 U short
        await settle(pilot)
        assert "The vials (lot A-1, 12 U left); (lot C-3, 10 U left): 30 U short of the rows" in said(form)
        await pilot.press("down", "down", "ctrl+s")  # the full one
        await settle(pilot)
    answer: Any = app.answer
    assert isinstance(answer, GivenChoice) and answer.vial_ids == ["V-A", "V-C", "V-B"], "drawn in that order"


async def keys_on(form: GivenScreen, *keys: str) -> tuple[FormOnly, str, str]:
    """``keys`` pressed on the form: the app (its answer), the refusal and the vials' heading shown last."""
    app = FormOnly(form)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        if app.answer != "not answered":
            return app, "", ""
        return app, said(form), str(form.query_one("#given-vial-heading", Static).render())


async def test_vials_that_hold_too_little_together_point_to_opening_another(resources: Resources) -> None:
    app, refusal, _ = await keys_on(
        form_of(resources, [RUN_OUT, LOW], RUN_OUT.vial_id), "ctrl+s", "down", "down", "ctrl+s"
    )
    assert "The open vials hold 22 U, 30 U less than the rows: open another vial" in refusal
    assert app.answer == "not answered"


async def test_a_vial_that_holds_the_doses_is_recorded_from_alone(resources: Resources) -> None:
    app, _, _ = await keys_on(form_of(resources, [RUN_OUT, FULL], FULL.vial_id), "ctrl+s")
    answer: Any = app.answer
    assert isinstance(answer, GivenChoice) and answer.vial_ids == ["V-B"]


async def test_the_vials_named_come_back_with_the_form_after_esc_on_the_pin(resources: Resources) -> None:
    """Esc on the PIN shows the form again as it was typed: the first vial still named in the heading,
    the second highlighted, and Ctrl+S hands both on again."""
    app, _, _ = await keys_on(form_of(resources, [RUN_OUT, FULL], RUN_OUT.vial_id), "ctrl+s", "down", "down", "ctrl+s")
    before: Any = app.answer
    assert isinstance(before, GivenChoice) and before.vial_ids == ["V-A", "V-B"]
    _, _, heading = await keys_on(form_of(resources, [RUN_OUT, FULL], RUN_OUT.vial_id, before))
    assert heading == "The rest (after lot A-1) from the vial:"
    app, _, _ = await keys_on(form_of(resources, [RUN_OUT, FULL], RUN_OUT.vial_id, before), "ctrl+s")
    after: Any = app.answer
    assert isinstance(after, GivenChoice) and after.vial_ids == ["V-A", "V-B"], "the second vial highlighted again"
