"""The consent in the UI, by keypress: G on the plan screen without the patient's consent is refused
with the command line's sentence and offers to record it; recorded (witness, photos, PIN), the doses
are given. C records it beforehand; the chart's F saves the form to print."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import make_app
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.consent_screen import ConsentScreen
from assistant.tui.screens.given_screen import GivenScreen
from assistant.tui.screens.plan_screen import PlanScreen
from tests.helpers import INJECTOR, PINS, TODAY
from tests.staff_register import WITH_JUNIOR, StaffRegisters
from tests.test_tui_lifecycle import SIZE, planned_by, type_pin
from tests.tui_driving import consent_dialog, record_consent, screen_text, settle


@pytest.fixture
def clinic(tmp_path: Path, staff_registers: StaffRegisters) -> Path:
    return staff_registers.copy_folder(WITH_JUNIOR, tmp_path / "data")


async def test_g_without_consent_offers_it_and_gives_once_it_is_recorded(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        said = str(app.screen.query_one("#dialog-message", Static).render())
        assert "Consent form 'treatment' version 1 is not recorded for Mina Park" in said
        assert "botulax-consult consent record" not in said, "the UI records it here: no command to type"
        await pilot.press("n")  # back: refused, nothing recorded
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert TinyDBStore(clinic).get(consult_id).state == "planned"  # type: ignore[union-attr]

        await pilot.press("g")
        await settle(pilot)
        await pilot.press("y")  # record the consent now
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        await consent_dialog(pilot, PINS[INJECTOR], "Hana Lee", "y")
        assert isinstance(app.screen, GivenScreen), "once recorded, giving goes on"
        await pilot.press("ctrl+s")
        await type_pin(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and "given by Ina Choi" in screen_text(app)
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.state == "given"
    assert kept.consent is not None and (kept.consent.witness, kept.consent.photos) == ("Hana Lee", True)
    assert [v.revision.kind for v in TinyDBStore(clinic).versions(consult_id) if v.revision] == [
        "created",
        "consented",
        "given",
    ]


async def test_c_records_the_consent_before_g(resources: Resources, clinic: Path) -> None:
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await planned_by(pilot, INJECTOR)
        assert isinstance(app.screen, PlanScreen) and app.screen.record is not None
        consult_id = app.screen.record.consult_id
        await record_consent(pilot, PINS[INJECTOR])
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, GivenScreen), "no question: the consent holds"
    kept = TinyDBStore(clinic).get(consult_id)
    assert kept is not None and kept.consent is not None and kept.consent.witness == "Front desk"
