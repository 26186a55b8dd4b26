"""One patient is one patient, in the UI (issue 19.1): a consult is hers only when her name and date
of birth (and her clinic number, where she has one) agree exactly; a near match is asked, and nothing
of it is used before a person says "Yes, this is her"; her last treatment comes from doses given;
another person's clinic number stops the plan; keys typed ahead never answer the question of who
she is.

Real TinyDB data folders with real staff accounts, driven by keypress. The consults are answered
question by question as they come (``answer``), so a test reads the same whichever questions the
script asks before the one it is about.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import treatment
from assistant.services.desk import Desk
from assistant.tui.app import ConsultApp, make_app
from assistant.tui.widgets.transcript import KnowledgeTurn
from tests.helpers import INJECTOR, PINS, TODAY, consented
from tests.test_tui_consult import SIZE, pick_zones
from tests.test_tui_lifecycle import clinic, sign_in, type_pin  # noqa: F401  (clinic: the staff fixture)
from tests.tui_driving import burst, press_give, screen_text, settle

FIRST_VISIT = TODAY.replace(day=5)
"""19 days before TODAY: inside the touch-up window, and inside the session maximum's 90 days."""

ZONES = ["glabella", "crows_feet"]

TYPED = {
    "date_of_birth": "1990-03-02",
    "age": "36",  # asked only by a script without the date of birth (the commit before the register)
    "patient_id": "",
    "prior_treatment_date": "never",
    "goals": "",
    "lot_number": "",
}
"""What is typed at each question a test says nothing about."""


def screen_name(app: ConsultApp) -> str:
    return type(app.screen).__name__


async def started(app: ConsultApp, pilot: Pilot) -> None:
    """The app up, and a drafts list that opened by itself closed ("not now")."""
    await app.workers.wait_for_complete()
    await settle(pilot)
    if screen_name(app) == "DraftsScreen":
        await pilot.press("escape")
        await settle(pilot)


async def answer(pilot: Pilot, until: str | None = None, **typed: str) -> None:
    """Answer each question as it comes, as a person at the keyboard would: ``typed`` text for a
    question (else ``TYPED``), "no" to a yes/no question, the first (or pre-filled) choice, the
    zones ``ZONES``. Stops when ``until`` is asked, when a dialog opens, or at the review."""
    app: ConsultApp = pilot.app  # type: ignore[assignment]
    for _ in range(40):
        await settle(pilot)
        question = app.session.current
        if screen_name(app) != "ConsultScreen" or question is None or question.id == until:
            return
        text = typed.get(question.id, TYPED.get(question.id))
        if question.type == "yes_no":
            await pilot.press("n")
        elif question.type == "single":  # Down first where nothing is highlighted (no default, no answer yet)
            unchosen = app.screen.query_one("#answer-single", OptionList).highlighted is None
            await pilot.press(*(["down"] if unchosen else []), "enter")
        elif question.type == "multiple":
            if app.session.suggested(question):
                await pilot.press("enter")  # the pre-filled zones
            else:
                await pick_zones(pilot, ZONES)
        else:
            assert text is not None, f"nothing to type at {question.id}"
            burst(app, "ctrl+a", "ctrl+k", text, "enter")
    raise AssertionError(f"the consult never got to {until}")


async def plan(pilot: Pilot) -> None:
    """From the review: plan, run by the injector (account and PIN)."""
    await settle(pilot)
    assert screen_name(pilot.app) == "ReviewScreen", screen_name(pilot.app)  # type: ignore[arg-type]
    await pilot.press("p")
    await sign_in(pilot, INJECTOR)
    assert screen_name(pilot.app) == "PlanScreen", screen_name(pilot.app)  # type: ignore[arg-type]


async def first_visit(resources: Resources, data: Path, name: str, born: str, number: str, *, give: bool) -> str:
    """A consult on FIRST_VISIT planned (and, with ``give``, given as planned with G); its id."""
    app = make_app(resources, FIRST_VISIT, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await answer(pilot, patient_name=name, date_of_birth=born, patient_id=number)
        await plan(pilot)
        consult_id = app.screen.record.consult_id  # type: ignore[attr-defined]
        if give:
            await press_give(pilot)
            await settle(pilot)
            await pilot.press("ctrl+s")
            await type_pin(pilot, INJECTOR)
    kept = TinyDBStore(data).get(consult_id)
    assert kept is not None and kept.state == ("given" if give else "planned")
    return consult_id


def notes(app: ConsultApp) -> str:
    screen = next(s for s in app.screen_stack if type(s).__name__ == "ConsultScreen")
    return "\n".join(str(t.render()) for t in screen.query(KnowledgeTurn))


def last_time(app: ConsultApp) -> str:
    """The plan screen's "Last time" lines ("" when there are none)."""
    shown = app.screen.query("#plan-last-time")
    return str(shown.first().render()) if shown else ""


def prior_date_shown(app: ConsultApp) -> str:
    assert app.session.current is not None and app.session.current.id == "prior_treatment_date"
    return app.screen.query_one("#answer-text").value  # type: ignore[attr-defined]


async def test_a_suggested_patient_is_used_only_once_confirmed(resources: Resources, clinic: Path) -> None:  # noqa: F811
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)

    again = make_app(resources, TODAY, data_dir=clinic)  # the same name and date of birth, no number
    async with again.run_test(size=SIZE) as pilot:
        await started(again, pilot)
        await answer(pilot, until="patient_language", patient_name="Kim Minji", date_of_birth="1990-03-02")
        assert screen_name(again) == "PatientMatchScreen", "a near match is asked, not taken"
        shown = " ".join(screen_text(again).split())
        for words in ("Kim Minji", "born 1990-03-02", "clinic number P-1", "last visit 2026-11-05"):
            assert words in shown, words
        assert "last zones Glabella, Crow's feet" in shown, "the zones given, as people say them"
        assert "No, a different person" in shown
        assert "prior_treatment_date" not in again.session.prefill, "nothing is pre-filled before she is confirmed"
        assert again.session.previous is None and again.session.patient.confirmed is None
        await pilot.press("down", "enter")  # "Yes, this is her"
        await again.workers.wait_for_complete()
        await settle(pilot)
        assert again.session.patient.confirmed is not None
        assert "Returning patient: 1 consult, the last on 2026-11-05." in notes(again)
        await answer(pilot, until="prior_treatment_date")
        assert prior_date_shown(again) == "2026-11-05", "pre-filled from the doses given"
        await pilot.press("enter")
        await answer(pilot)
        assert again.session.answers["prior_zones"] == tuple(ZONES), "the zones given, pre-filled"
        await plan(pilot)
        assert again.screen.plan.earlier_units == 40, "her doses given count towards the maximum"  # type: ignore[attr-defined]

    other = make_app(resources, TODAY, data_dir=clinic)
    async with other.run_test(size=SIZE) as pilot:
        await started(other, pilot)
        await answer(pilot, until="patient_language", patient_name="Kim Minji", date_of_birth="1990-03-02")
        assert screen_name(other) == "PatientMatchScreen"
        await pilot.press("end", "enter")  # the last line: "No, a different person"
        await settle(pilot)
        assert other.session.patient.new_patient and other.session.patient.confirmed is None
        await answer(pilot, until="prior_treatment_date")
        assert prior_date_shown(other) == "", "nothing of the suggested patient is pre-filled"
        assert "Returning patient" not in notes(other)
        await answer(pilot)
        await plan(pilot)
        plan_made = other.screen.plan  # type: ignore[attr-defined]
        assert plan_made.earlier_units == 0 and {line.kind for line in plan_made.lines} == {"full"}


async def test_only_doses_given_pre_fill_the_last_treatment(resources: Resources, clinic: Path) -> None:  # noqa: F811
    consult_id = await first_visit(resources, clinic, "Lee Sora", "1985-07-20", "P-9", give=False)
    identifiers = {"patient_name": "Lee Sora", "date_of_birth": "1985-07-20", "patient_id": "P-9"}

    planned_only = make_app(resources, TODAY, data_dir=clinic)
    async with planned_only.run_test(size=SIZE) as pilot:
        await started(planned_only, pilot)
        await answer(pilot, until="prior_treatment_date", **identifiers)
        assert "Returning patient: 1 consult, the last on 2026-11-05." in notes(planned_only), "her, exactly"
        assert prior_date_shown(planned_only) == "", "a plan never given is no last treatment"
        assert "prior_treatment_date" not in planned_only.session.prefill

    desk = Desk(TinyDBStore(clinic))  # recorded as given today (the real clock), injected on the consult's day
    consented(desk, consult_id, resources.kb)
    given = treatment.give(desk, consult_id, INJECTOR, PINS[INJECTOR], resources.kb)
    assert given.given is not None and given.given.at.date() != FIRST_VISIT

    after = make_app(resources, TODAY, data_dir=clinic)
    async with after.run_test(size=SIZE) as pilot:
        await started(after, pilot)
        await answer(pilot, until="prior_treatment_date", **identifiers)
        assert screen_name(after) == "ConfirmScreen", "her consult left unfinished above is offered"
        await pilot.press("n")  # start another (test_tui_drafts_of_patient.py)
        await answer(pilot, until="prior_treatment_date")
        assert "Last treatment 2026-11-05 (Glabella, Crow's feet)" in notes(after)
        assert prior_date_shown(after) == "2026-11-05", "dated by the consult's date"
        await pilot.press("enter")
        await settle(pilot)
        assert after.session.answers["prior_treatment_date"] == FIRST_VISIT
        assert after.session.suggested(after.session.flow.question("prior_zones")) == tuple(ZONES)


async def test_another_patients_clinic_number_stops_the_plan_until_it_is_changed(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    await first_visit(resources, clinic, "Park Jiyeon", "1984-02-11", "P-7", give=False)

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await answer(pilot, patient_name="Han Yuna", date_of_birth="1992-09-30", patient_id="P-7")
        assert "The clinic number P-7 belongs to Park Jiyeon (born 1984-02-11)." in notes(app)
        await pilot.press("p")
        await sign_in(pilot, INJECTOR)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen_name(app) != "PlanScreen", "not planned under another patient's number"
        said = [(n.title, n.message) for n in app._notifications]
        assert (
            "Cannot plan yet",
            "The clinic number P-7 belongs to Park Jiyeon (born 1984-02-11). Change the answer (F2) and plan again.",
        ) in said
        for _ in range(20):  # back (Esc) to the clinic number
            if app.session.current is not None and app.session.current.id == "patient_id":
                break
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("ctrl+a", "ctrl+k", *"P-8", "enter")
        await settle(pilot)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen_name(app) == "PlanScreen"
        said = [n.title for n in app._notifications]
        assert "Cannot plan yet" not in said, "the refusal taken down once the plan is made, not left over it"
        record = app.screen.record  # type: ignore[attr-defined]
    kept = TinyDBStore(clinic).get(record.consult_id)
    assert kept is not None and kept.patient_id == "P-8" and kept.patient_name == "Han Yuna"
    holder = TinyDBStore(clinic).registered(kept.patient_key)
    assert holder is not None and (holder.name, holder.clinic_number) == ("Han Yuna", "P-8")
    assert holder.date_of_birth == dt.date(1992, 9, 30)


async def test_keys_typed_ahead_never_answer_who_the_patient_is(resources: Resources, clinic: Path) -> None:  # noqa: F811
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        burst(
            app, "Kim Minji", "enter", "1990-03-02", "enter", "enter",  # no clinic number: a near match
            "enter", "down", "down", "enter", "n", "n", "n", "n",  # typed ahead: English, male, screening
        )  # fmt: skip
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen_name(app) == "PatientMatchScreen", "still asked: no key typed ahead answered it"
        assert "Returning patient" not in notes(app)
        assert "prior_treatment_date" not in app.session.prefill and app.session.previous is None
        decision = app.session.patient
        assert decision.confirmed is None and not decision.new_patient, "no key typed ahead said who she is"
        await pilot.press("escape")  # decided later: the keys typed ahead go on to the consult, in order
        await settle(pilot)
        answers = app.session.answers
        assert (answers["patient_language"], answers["sex"]) == ("en", "male")
        assert [answers[q] for q in ("neuromuscular_disorder", "infection_at_site", "toxin_allergy")] == [False] * 3
        assert answers["aminoglycosides"] is False and app.session.current.id == "zones"  # type: ignore[union-attr]
        assert app.session.patient.confirmed is None, "still undecided: asked again before the plan"


async def test_a_kept_consult_stays_hers_when_her_date_of_birth_is_corrected(
    resources: Resources,
    clinic: Path,  # noqa: F811
) -> None:
    """Planned, then E: the date of birth typed wrong is corrected. Her own clinic number is no
    conflict, the consult stays hers (as `amend` keeps her), and last time stays beside today's."""
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await answer(pilot, patient_name="Kim Minji", date_of_birth="1990-03-02", patient_id="P-1")
        await plan(pilot)
        first = app.screen.record  # type: ignore[attr-defined]
        assert last_time(app).startswith("Glabella: center 20 U")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("down", "enter")  # the date of birth, the second row
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "date_of_birth"
        await pilot.press(*"1990-03-12", "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "belongs to" not in notes(app), "her own number is no other patient's"
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen_name(app) == "PlanScreen", [n.message for n in app._notifications]
        second = app.screen.record  # type: ignore[attr-defined]
        assert last_time(app).startswith("Glabella: center 20 U"), "still her last time, beside today's"
        assert app.screen.plan.earlier_units == 40  # type: ignore[attr-defined]
    assert (second.consult_id, second.version) == (first.consult_id, 2)
    assert second.patient_key == first.patient_key
    assert second.answers["date_of_birth"] == "1990-03-12"


async def test_a_changed_identifier_takes_back_what_her_record_pre_filled(resources: Resources, clinic: Path) -> None:  # noqa: F811
    """Her last treatment is pre-filled once she is recognised. A clinic number changed afterwards
    asks again who she is; said to be a different person, nothing of Kim Minji's record may stay
    offered: her last treatment date, one Enter away, would time the other person's doses."""
    await first_visit(resources, clinic, "Kim Minji", "1990-03-02", "P-1", give=True)

    app = make_app(resources, TODAY, data_dir=clinic)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await answer(pilot, until="patient_language", patient_name="Kim Minji", patient_id="P-1")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "Returning patient" in notes(app)
        assert app.session.prefill.get("prior_treatment_date") == FIRST_VISIT, "recognised: pre-filled"
        burst(app, "escape")  # back to the clinic number
        await settle(pilot)
        assert app.session.current is not None and app.session.current.id == "patient_id"
        burst(app, "ctrl+a", "ctrl+k", "P-9", "enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen_name(app) == "PatientMatchScreen", "a near match: asked who she is"
        burst(app, "end", "enter")  # "No, a different person"
        await settle(pilot)
        assert app.session.patient.new_patient
        await answer(pilot, until="prior_treatment_date")
        assert prior_date_shown(app) == "", "nothing of the other patient's record is offered"
        assert "prior_treatment_date" not in app.session.prefill and app.session.previous is None
