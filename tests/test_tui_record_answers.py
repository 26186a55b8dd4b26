"""What a patient's record filled in and was taken with Enter goes with her (a tryout's finding): once
the consult turns out not to be hers, her last treatment's date and zones, and her language, are
asked again, said in the transcript; before, only what was still offered was taken back, and a date
taken with one Enter timed the other person's doses ("Glabella deferred ... treated 0 days ago").
The same after a draft is resumed: the draft keeps what her record offered, and whose it was.

Real TinyDB data folders with real staff accounts, driven by keypress.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.screens.drafts_screen import DraftsScreen
from tests.helpers import TODAY
from tests.test_tui_consult import SIZE
from tests.test_tui_lifecycle import clinic
from tests.test_tui_patients import (
    FIRST_VISIT,
    ZONES,
    answer,
    first_visit,
    notes,
    prior_date_shown,
    screen_name,
    started,
)
from tests.tui_driving import burst, settle

__all__ = ["clinic"]  # the fixture, used by name

pytestmark = pytest.mark.slow

TAKEN_BACK = "Taken back, as this consult is not that patient's"


MISSPELT = {"patient_name": "kim  MINJI", "patient_id": "P-1"}
"""Her clinic number, her name not as her record writes it: the register asks who she is."""


async def asked_who_she_is(app: ConsultApp, pilot: Pilot) -> None:
    await started(app, pilot)
    await answer(pilot, until="patient_language", **MISSPELT)
    await app.workers.wait_for_complete()
    await settle(pilot)
    assert screen_name(app) == "PatientMatchScreen"


async def her_last_treatment_taken(app: ConsultApp, pilot: Pilot) -> None:
    """At the last treatment's date, pre-filled from her record: taken with Enter, and the zones too."""
    await app.workers.wait_for_complete()
    await answer(pilot, until="prior_treatment_date")
    assert prior_date_shown(app) == FIRST_VISIT.isoformat(), "pre-filled from her record"
    await pilot.press("enter")
    await answer(pilot, until="goals")  # the zones: Enter on the ones pre-filled
    assert app.session.answers["prior_treatment_date"] == FIRST_VISIT
    assert app.session.answers["prior_zones"] == tuple(ZONES)


async def not_her(app: ConsultApp, pilot: Pilot) -> None:
    """On the patient-match dialog: "No, a different person"; then her answers are gone, and said."""
    await app.workers.wait_for_complete()
    await settle(pilot)
    assert screen_name(app) == "PatientMatchScreen", screen_name(app)
    burst(app, "end", "enter")
    await settle(pilot)
    assert app.session.patient.new_patient
    for question in ("prior_treatment_date", "prior_zones", "patient_language"):
        assert question not in app.session.answers, f"{question}: her record's answer stayed"
    assert TAKEN_BACK in notes(app) and "Which zones were treated then?" in notes(app)
    await answer(pilot, until="prior_treatment_date")
    assert prior_date_shown(app) == "", "asked again, empty"


async def test_a_changed_number_that_makes_her_someone_else_takes_back_the_answers_her_record_gave(
    resources: Resources,
    clinic: Path,
) -> None:
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await answer(pilot, until="patient_language", patient_name="Kim Minji", patient_id="P-1")
        assert "Returning patient" in notes(app)
        await her_last_treatment_taken(app, pilot)
        while app.session.current is None or app.session.current.id != "patient_id":
            burst(app, "escape")  # back to the clinic number, the answers after it kept
            await settle(pilot)
        assert app.session.answers["prior_treatment_date"] == FIRST_VISIT, "going back loses nothing"
        burst(app, "ctrl+a", "ctrl+k", "P-9", "enter")
        await not_her(app, pilot)


async def test_a_resumed_draft_that_is_not_hers_takes_back_the_answers_her_record_gave(
    resources: Resources,
    clinic: Path,
) -> None:
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)
    first = make_app(resources, TODAY, data_dir=clinic)
    async with first.run_test(size=SIZE) as pilot:
        await asked_who_she_is(first, pilot)
        burst(first, "down", "enter")  # "Yes, this is her"
        await settle(pilot)
        await her_last_treatment_taken(first, pilot)
        await first.workers.wait_for_complete()
    [draft] = TinyDBStore(clinic).drafts()
    assert draft.offered["prior_treatment_date"] == FIRST_VISIT.isoformat() and draft.offered_by is not None

    second = make_app(resources, TODAY, data_dir=clinic)
    async with second.run_test(size=SIZE) as pilot:
        await second.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(second.screen, DraftsScreen)
        burst(second, "down", "enter")  # the draft, below "Start a new consult"
        await settle(pilot)
        assert second.session.answers["prior_treatment_date"] == FIRST_VISIT, "resumed as kept"
        await not_her(second, pilot)


async def test_a_different_person_with_her_clinic_number_is_told_at_once(
    resources: Resources,
    clinic: Path,
) -> None:
    """A tryout said "No, a different person" to a suggestion that had her clinic number: nothing was
    said until the plan's PIN, when the record refused the consult in a notice that went away."""
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await asked_who_she_is(app, pilot)
        burst(app, "end", "enter")  # "No, a different person"
        await settle(pilot)
        said = " ".join(notes(app).split())
        assert "clinic number P-1 belongs to Kim Minji (born 1990-03-02)" in said, said
        assert "Check the number (Esc goes back to it)" in said


async def test_a_different_person_said_by_a_slip_is_asked_again_at_her_number(
    resources: Resources,
    clinic: Path,
) -> None:
    """After "No, a different person", Esc back to the clinic number and Enter on it as it was asks
    who she is again: "Yes, this is her" then links her. Before, it only repeated that the number is
    another patient's, and only retyping her name as her record has it undid the slip."""
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await asked_who_she_is(app, pilot)
        burst(app, "end", "enter")  # "No, a different person", by a slip
        await settle(pilot)
        assert app.session.patient.new_patient
        while app.session.current is None or app.session.current.id != "patient_id":
            burst(app, "escape")
            await settle(pilot)
        burst(app, "enter")  # P-1, as it was
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen_name(app) == "PatientMatchScreen", "who she is, asked again"
        burst(app, "down", "enter")  # "Yes, this is her"
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.session.patient.key is not None and not app.session.patient.new_patient
        assert app.session.answers["patient_name"] == "Kim Minji"


async def test_a_name_changed_after_the_link_says_the_link_is_gone(
    resources: Resources,
    clinic: Path,
) -> None:
    """A tryout changed a linked patient's name: her record's answers went, but nothing said the
    consult was no longer hers, and "Linked to ... record" stood above as the last word on it."""
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "", give=True)
    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await answer(pilot, until="patient_language", patient_name="Kim Minji")
        assert "Returning patient" in notes(app) and app.session.patient.key is not None
        while app.session.current is None or app.session.current.id != "patient_name":
            burst(app, "escape")
            await settle(pilot)
        burst(app, "ctrl+a", "ctrl+k", "Kim Minja", "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "No longer linked to Kim Minji's record" in " ".join(notes(app).split())
        assert app.session.patient.key is None
