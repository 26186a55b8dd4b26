"""In the UI, a patient confirmed as the register's is named as her record names her from then on:
the header, the plan, the documents and the record saved, while the transcript keeps what was typed
and says so. Changing her name afterwards asks again who she is: no link is kept to a person the
identifiers no longer name. (The rule and the answer-file path: ``test_linked_name``.)
"""

from __future__ import annotations

from pathlib import Path

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services.paperwork import render_record
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.widgets.transcript import StaffTurn
from tests.helpers import INJECTOR, TODAY
from tests.test_tui_consult import SIZE
from tests.test_tui_lifecycle import clinic, sign_in  # noqa: F401  (clinic: the staff fixture)
from tests.test_tui_patients import answer, first_visit, notes, plan, screen_name, started
from tests.tui_driving import burst, screen_text, settle, until

BORN = "1990-03-02"


def typed_names(app: ConsultApp) -> list[str]:
    """The name as each answer to it shows in the transcript."""
    screen = next(s for s in app.screen_stack if type(s).__name__ == "ConsultScreen")
    return [str(t.render()) for t in screen.query(StaffTurn) if t.question_id == "patient_name"]


async def confirmed(app: ConsultApp, pilot) -> None:
    """Her name typed otherwise than her record writes it, no clinic number: suggested, and "Yes, this is her"."""
    await started(app, pilot)
    await answer(pilot, until="patient_language", patient_name="MINA  park", date_of_birth=BORN)
    assert screen_name(app) == "PatientMatchScreen", "a name written differently is only suggested"
    assert "Yes, this is her: Mina Park" in screen_text(app)
    await pilot.press("down", "enter")
    await app.workers.wait_for_complete()
    await settle(pilot)


async def test_a_confirmed_patient_is_named_as_her_record_names_her(resources: Resources, clinic: Path) -> None:  # noqa: F811
    first = await first_visit(resources, clinic, "Mina Park", BORN, "P-1", give=False)
    key = TinyDBStore(clinic).get(first).patient_key  # type: ignore[union-attr]

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await confirmed(app, pilot)
        assert app.session.patient.key == key
        assert app.sub_title.startswith("Mina Park · question "), app.sub_title
        said = notes(app)
        assert "Linked to Mina Park's record." in said and "(it was typed “MINA  park”)" in said
        assert typed_names(app) == ["MINA  park"], "the transcript keeps what was typed"
        await answer(pilot)
        await plan(pilot)
        made = app.screen.plan  # type: ignore[attr-defined]
        assert made.patient_name == "Mina Park"
        assert "Dose plan for Mina Park" in screen_text(app)
        assert app.sub_title.startswith("Mina Park · plan"), app.sub_title
        record = app.screen.record  # type: ignore[attr-defined]
    kept = TinyDBStore(clinic).get(record.consult_id)
    assert kept is not None and kept.patient_key == key
    assert (kept.patient_name, kept.answers["patient_name"], kept.plan.patient_name) == ("Mina Park",) * 3
    for what in ("patient", "summary"):
        document = str(render_record(kept, resources, what, "text"))
        assert "Mina Park" in document and "MINA" not in document, what


async def test_changing_her_name_after_the_link_asks_again_who_she_is(resources: Resources, clinic: Path) -> None:  # noqa: F811
    await first_visit(resources, clinic, "Mina Park", BORN, "P-1", give=False)

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await confirmed(app, pilot)
        assert app.session.answers["patient_name"] == "Mina Park"
        for _ in range(5):  # back (Esc) to her name
            if app.session.current is not None and app.session.current.id == "patient_name":
                break
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen.query_one("#answer-text").value == "Mina Park", "her record's spelling, offered"  # type: ignore[attr-defined]
        burst(app, "ctrl+a", "ctrl+k", "Mina Parks", "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        decision = app.session.patient
        assert decision.key is None and decision.confirmed is None, "no link kept to the patient no longer named"
        assert app.session.answers["patient_name"] == "Mina Parks" and app.sub_title.startswith("Mina Parks · ")


async def test_confirmed_only_when_asked_again_before_the_plan_she_is_planned_under_her_records_spelling(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    """Esc on the suggestion (decided later), then P: asked again, "Yes, this is her", and the plan
    made before she was confirmed is made again under her name as her record writes it."""
    await first_visit(resources, clinic, "Mina Park", BORN, "P-1", give=False)

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await answer(pilot, until="patient_language", patient_name="MINA  park", date_of_birth=BORN)
        await pilot.press("escape")  # decide later
        await answer(pilot)
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        await until(pilot, lambda: screen_name(app) == "PatientMatchScreen", why=lambda: screen_name(app))
        await pilot.press("down", "enter")
        await until(pilot, lambda: screen_name(app) == "PlanScreen", why=lambda: list(app._notifications))
        assert app.screen.plan.patient_name == "Mina Park"  # type: ignore[attr-defined]
        assert "Linked to Mina Park's record." in notes(app)
        record = app.screen.record  # type: ignore[attr-defined]
    kept = TinyDBStore(clinic).get(record.consult_id)
    assert kept is not None and (kept.patient_name, kept.answers["patient_name"]) == ("Mina Park", "Mina Park")


async def test_changing_her_date_of_birth_after_the_link_gives_back_the_name_as_typed(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    """Linked, the consult carries her record's spelling; her date of birth changed (she is not that
    patient after all), the link is dropped and so is that spelling: the name goes back to as typed,
    said, in the header too. (By clinic number a suggestion can carry a name unlike the one typed.)"""
    await first_visit(resources, clinic, "Mina Park", BORN, "P-1", give=False)

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await confirmed(app, pilot)
        assert app.session.answers["patient_name"] == "Mina Park"
        for _ in range(5):  # back (Esc) to her date of birth
            if app.session.current is not None and app.session.current.id == "date_of_birth":
                break
            await pilot.press("escape")
            await settle(pilot)
        burst(app, "ctrl+a", "ctrl+k", "1991-07-09", "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        decision = app.session.patient
        assert decision.key is None and decision.confirmed is None, "no link kept to the patient no longer named"
        assert app.session.answers["patient_name"] == "MINA  park", "the name as typed, not her record's"
        assert app.sub_title.startswith("MINA  park · "), app.sub_title
        assert "No longer linked to Mina Park's record (an identifier changed)" in notes(app)
        assert "“MINA  park”" in notes(app)
