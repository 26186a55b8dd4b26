"""A vial opened elsewhere while G's form is open shows up in its list, both stores.

A tryout's injector was told on the form "The open vials hold 30 U, 10 U less than the rows: open
another vial (botulax-consult vial open)", opened one in a terminal beside the app, and the form never
showed it: the only way to it was Esc and G again, which dropped the rows typed. The form now reads the
open vials again when the record changes elsewhere; the rows typed stay as they were."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import vials
from assistant.services.desk import Desk
from assistant.settings import ClinicSettings
from assistant.tui.screens.given_screen import GivenScreen
from tests.helpers import INJECTOR, PINS
from tests.test_tui_lifecycle import planned_by, sign_in, to_review, type_pin
from tests.test_tui_live_updates import listening, store, workstation  # noqa: F401
from tests.tui_driving import burst, press_give, screen_text, settle, until

pytestmark = pytest.mark.slow  # Pilot (tests/slow.py)


def elsewhere(store: dict[str, object]) -> Desk:  # noqa: F811
    """The record as a terminal beside the app opens it (its own store, as ``vial open`` would)."""
    if "data_dir" in store:
        return Desk(TinyDBStore(store["data_dir"]))  # type: ignore[arg-type]
    from assistant.records.postgres.store import PostgresStore
    from assistant.records.postgres.url import parse_database_url

    return Desk(PostgresStore(parse_database_url(str(store["database"]))))


def opened(desk: Desk, resources: Resources, lot: str, units: float) -> vials.Vial:
    """A vial of ``units`` at 4 U per 0.1 mL, opened an hour ago by the injector."""
    return vials.open_one(
        desk, resources.kb, ClinicSettings(), lot=lot, expiry=dt.date(2027, 5, 31), units=units,
        saline_ml=units / 40, at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), by=INJECTOR, pin=PINS[INJECTOR],
    )  # fmt: skip


def listed(form: GivenScreen) -> list[str]:
    choices = form.query_one("#given-vial", OptionList)
    return [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]


async def test_a_vial_opened_elsewhere_shows_in_the_open_form_and_the_rows_typed_stay(
    resources: Resources,
    store: dict[str, object],  # noqa: F811
    tmp_path: Path,
) -> None:
    beside = elsewhere(store)
    small = opened(beside, resources, "LOT-A", 30)
    app = workstation(resources, store, tmp_path / "a")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot, lot="pick")  # glabella 20, crow's feet 10 a side: 40 U
        await pilot.press("enter")  # the open vial, LOT-A
        await settle(pilot)
        await pilot.press("enter")  # its expiry, suggested
        await settle(pilot)
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        await press_give(pilot)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GivenScreen)
        burst(app, "ctrl+a", "ctrl+k", "18", "tab", "tab", "less on the left brow", "ctrl+s")
        await settle(pilot)
        said = " ".join(str(form.query_one("#given-refusal").render()).split())
        assert "The open vials hold 30 U, 8 U less than the rows: open another vial" in said, said
        assert "it shows here once opened" in said
        assert "no vial of the ledger (the lot of the consult)" in screen_text(app), (
            "at 80x24 the list's foot stays in sight"
        )

        await listening(app)
        full = await asyncio.to_thread(opened, beside, resources, "LOT-B", 100)
        await until(pilot, lambda: len(listed(form)) == 3, timeout=10, why=lambda: listed(form))
        assert app.screen is form, "the same form, not a new one"
        assert [line.split(" · ")[0] for line in listed(form)] == ["lot LOT-A", "lot LOT-B", listed(form)[2]]
        assert form.query_one("#units-0", Input).value == "18", "the rows typed stay"
        assert form.query_one("#reason-0", Input).value == "less on the left brow"
        assert form.query_one("#given-vial", OptionList).highlighted == 0, "the vial chosen stays chosen"
        await until(pilot, lambda: any("Opened meanwhile: lot LOT-B" in n.message for n in app._notifications))

        await pilot.press("ctrl+s")  # LOT-A first: 8 U short, so the rest is asked for
        await settle(pilot)
        await pilot.press("down", "down", "ctrl+s")  # LOT-B for the rest
        await type_pin(pilot, INJECTOR)
        record = app.screen.record  # type: ignore[attr-defined]
    kept = beside.repository.get(record.consult_id)
    assert kept is not None and kept.given is not None and kept.given.total_units == 38
    drawn = {(d.vial_id, d.units) for line in kept.given.lines for d in line.draws}
    assert {vial_id for vial_id, _ in drawn} == {small.vial_id, full.vial_id}
    assert sum(units for _, units in drawn) == 38
    assert any(line.units == 18 and line.reason == "less on the left brow" for line in kept.given.lines)
    getattr(beside.repository, "close", lambda: None)()


async def test_with_no_vial_open_at_g_a_vial_opened_meanwhile_brings_the_list(
    resources: Resources,
    store: dict[str, object],  # noqa: F811
    tmp_path: Path,
) -> None:
    """No vial was open when G was pressed, so the form had no list; one opened meanwhile brings it,
    none chosen: Ctrl+S asks which vial, rather than drawing from one nobody chose."""
    beside = elsewhere(store)
    app = workstation(resources, store, tmp_path / "a")
    async with app.run_test(size=(80, 24)) as pilot:
        await planned_by(pilot, INJECTOR)  # no lot typed
        await press_give(pilot)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GivenScreen) and not form.query("#given-vial")
        await listening(app)
        vial = await asyncio.to_thread(opened, beside, resources, "LOT-B", 100)
        await until(pilot, lambda: bool(form.query("#given-vial")), timeout=10)
        assert form.query_one("#given-vial", OptionList).highlighted is None
        assert "Ctrl+L jumps to the vial" in str(form.query_one("#dialog-message").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Choose the vial the doses were drawn from" in str(form.query_one("#given-refusal").render())
        await pilot.press("down", "ctrl+s")
        await type_pin(pilot, INJECTOR)
        record = app.screen.record  # type: ignore[attr-defined]
    kept = beside.repository.get(record.consult_id)
    assert kept is not None and kept.given is not None
    assert {d.vial_id for line in kept.given.lines for d in line.draws} == {vial.vial_id}
    getattr(beside.repository, "close", lambda: None)()


async def test_a_vial_opened_elsewhere_is_offered_at_the_lot_question_on_screen(
    resources: Resources,
    store: dict[str, object],  # noqa: F811
    tmp_path: Path,
) -> None:
    """A tryout opened a vial with the lot question on screen: it was offered only to the next
    consult. The open vials are read again when the record changes, and the question offers it."""
    beside = elsewhere(store)
    app = workstation(resources, store, tmp_path / "a")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot, lot="pick")  # at the lot question, no vial open: a box to type the lot
        assert app.session.current is not None and app.session.current.id == "lot_number"
        assert not app.screen.query_one("#answer-single").display
        await listening(app)
        await asyncio.to_thread(opened, beside, resources, "LOT-B", 100)
        await until(pilot, lambda: "lot LOT-B · 100 of 100 U left" in screen_text(app), timeout=10)
        await pilot.press("enter")  # the vial offered
        await settle(pilot)
        assert app.session.answers["lot_number"] == "LOT-B"
    getattr(beside.repository, "close", lambda: None)()
