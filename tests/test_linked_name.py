"""A consult linked to a registered patient names her as her record does, not as typed.

"MINA  park" typed, confirmed as the register's Mina Park ("Yes, this is her"), was kept, planned and
printed as "MINA  park" while linked to her by key: the header, the documents and the record wrote
her otherwise than her record. Who she is stays decided by two identifiers (matched, or confirmed by
a person); the spelling, once linked, is the register's. The rule (core), the session's link
(services) and the answer-file path (``run --patient``); the UI is in ``test_tui_linked_name``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.core.lifecycle.register import Patient, identify, linked, linked_name
from assistant.files.resources import Resources
from assistant.records import ConsultRepository
from assistant.services.consult_session import ConsultSession
from assistant.services.patients import identifiers_from
from assistant.services.recording import SessionRecorder
from assistant.services.session_patient import decided_key, drop_link, link
from tests.helpers import TODAY, Cli
from tests.test_patient_register import clinic, ids, patient, run  # noqa: F401  (clinic: the CLI fixture)

BORN = "1990-03-02"


# -- the rule (pure) ---------------------------------------------------------------------------------


def test_a_linked_consult_carries_the_registers_spelling() -> None:
    mina = patient("Mina Park", BORN, "P-1")
    suggested = identify(ids("MINA  park", BORN), [mina])
    assert suggested.kind == "suggested" and suggested.identifiers.name == "MINA park"
    assert linked_name(suggested, mina.patient_key) == "Mina Park", "confirmed: her record's spelling"
    assert linked(suggested, mina.patient_key) == mina
    assert linked_name(suggested) is None, "not confirmed yet: nothing of her is used, the name stays as typed"
    assert linked_name(suggested, "pt:someone-else") is None, "only a patient these identifiers suggest"
    exact = identify(ids("Mina  Park", BORN, "P-1"), [mina])
    assert exact.matched == mina and linked_name(exact) == "Mina Park", "matched: the spaces as her record has them"


def test_a_name_never_comes_from_a_person_the_consult_is_not_linked_to() -> None:
    mina = patient("Mina Park", BORN, "P-1")
    conflict = identify(ids("Han Yuna", "1992-09-30", "P-1"), [mina])
    assert conflict.kind == "conflict" and linked_name(conflict, mina.patient_key) is None
    new = identify(ids("Han Yuna", "1992-09-30"), [mina])
    assert new.kind == "new" and linked_name(new) is None


def test_a_patient_from_before_the_register_keeps_the_name_she_is_registered_under() -> None:
    """Confirming her registers her under the identifiers typed (``confirm``): that is her spelling."""
    old = Patient(patient_key="name:mina park", name="mina park", legacy=True)
    identity = identify(ids("Mina  Park", BORN), [old])
    assert linked_name(identity, old.patient_key) == "Mina Park"


# -- the session's link (services) ---------------------------------------------------------------------


def session_of(resources: Resources, **answers: object) -> ConsultSession:
    session = ConsultSession(resources, TODAY)
    for question_id, value in answers.items():
        session.answers = session.flow.answer(session.answers, question_id, value)
    return session


def test_linking_renames_the_consult_and_a_changed_identifier_asks_again(
    resources: Resources, repository: ConsultRepository
) -> None:
    mina = patient("Mina Park", BORN, "P-1")
    repository.save_patients([mina], None)
    session = session_of(resources, patient_name="MINA  park", date_of_birth=dt.date(1990, 3, 2), sex="female")
    identity = identify(identifiers_from(session.answers), [mina])  # type: ignore[arg-type]
    assert link(session, identity) is None and session.answers["patient_name"] == "MINA  park", "undecided"
    assert link(session, identity, mina.patient_key) == "MINA  park", "the name typed, for the transcript"
    assert session.answers["patient_name"] == "Mina Park"
    assert session.consult(stop_early=True).patient_name == "Mina Park", "what the plan and the record read"
    assert (session.patient.confirmed, session.patient.key) == (mina.patient_key, mina.patient_key)
    assert decided_key(repository, session) == mina.patient_key, "still hers once renamed"
    assert link(session, identity, mina.patient_key) is None, "the answers changed since: nothing is linked"
    session.answers = session.flow.answer(session.answers, "patient_name", "Mina Parks")
    assert not session.patient.holds_for(identifiers_from(session.answers)), "another name: asked again"
    assert decided_key(repository, session) is None and session.patient.confirmed is None, "no link kept"


def test_a_link_dropped_by_another_identifier_gives_back_the_name_as_typed(
    resources: Resources, repository: ConsultRepository
) -> None:
    """Confirmed by her clinic number written differently, the consult took a name unlike the one
    typed; the number changed, she is nobody's here, and that name must not stay."""
    mina = patient("Mina Park", BORN, "P-1")
    repository.save_patients([mina], None)
    session = session_of(resources, patient_name="Han Yuna", date_of_birth=dt.date(1990, 3, 2), patient_id="p-1")
    identity = identify(identifiers_from(session.answers), [mina])  # type: ignore[arg-type]
    assert identity.kind == "suggested", identity
    assert link(session, identity, mina.patient_key) == "Han Yuna" and session.answers["patient_name"] == "Mina Park"
    assert drop_link(session) is None, "the link holds: nothing to give back"
    session.answers = session.flow.answer(session.answers, "patient_id", "P-77")
    assert drop_link(session) == ("Mina Park", "Han Yuna")
    assert session.answers["patient_name"] == "Han Yuna" and session.patient.key is None
    assert drop_link(session) is None, "given back once"

    session = session_of(resources, patient_name="Han Yuna", date_of_birth=dt.date(1990, 3, 2), patient_id="p-1")
    link(session, identity, mina.patient_key)
    session.answers = session.flow.answer(session.answers, "patient_name", "Han Yu-na")
    session.answers = session.flow.answer(session.answers, "patient_id", "P-77")
    assert drop_link(session) is None and session.answers["patient_name"] == "Han Yu-na", "typed again: staff's own"


# -- the answer-file path ------------------------------------------------------------------------------


def test_an_answer_file_confirmed_with_patient_is_kept_under_her_records_spelling(
    clinic: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    code, first, err = run(clinic, tmp_path, patient_name="Mina Park", date_of_birth=BORN, patient_id="P-1")
    assert code == 0, err
    code, _, err = run(clinic, tmp_path, stem="b", patient_name="MINA  park", date_of_birth=BORN)
    assert code == 2 and "a name written differently" in err, "only suggested: a person says who she is"
    key = clinic.repository().get(first["consult_id"]).patient_key
    code, second, err = run(clinic, tmp_path, "--patient", key, stem="b", patient_name="MINA  park", date_of_birth=BORN)
    assert code == 0, err
    assert second["patient_name"] == "Mina Park"
    assert "her name is written as in the record, not as typed (“MINA  park”)" in err
    kept = clinic.repository().get(second["consult_id"])
    assert kept is not None and kept.patient_key == key
    assert (kept.patient_name, kept.answers["patient_name"], kept.plan.patient_name) == ("Mina Park",) * 3


def test_a_draft_keeps_the_name_as_typed_while_a_link_renames_it(
    resources: Resources, repository: ConsultRepository
) -> None:
    """A tryout: linked by a clinic number written differently, quit, resumed, the number changed:
    the consult went on (and was kept, as a different person) under the other patient's name, since
    the draft held her record's spelling as the name typed. The draft keeps what was typed; who she
    is is asked again when it is resumed, and a changed identifier can then give the name back."""
    sora = patient("Sora Han", BORN, "P-2222")
    repository.save_patients([sora], None)
    session = session_of(resources, patient_name="Sarah Lee", date_of_birth=dt.date(1990, 3, 2), patient_id="p-2222")
    link(session, identify(identifiers_from(session.answers), [sora]), sora.patient_key)  # type: ignore[arg-type]
    assert session.answers["patient_name"] == "Sora Han"
    recorder = SessionRecorder(repository)
    draft = recorder.draft_of(session, "Mina Park")
    assert draft.answers["patient_name"] == "Sarah Lee", "the draft: the name as typed"
    assert session.answers["patient_name"] == "Sora Han", "the consult on screen still names her as linked"
    repository.save_draft(draft)

    resumed = ConsultSession(resources, TODAY)
    resumed.resume(repository.get_draft(draft.draft_id).answers)  # type: ignore[union-attr]
    assert resumed.answers["patient_name"] == "Sarah Lee"
    again = identify(identifiers_from(resumed.answers), [sora])  # type: ignore[arg-type]
    assert again.kind == "suggested", "asked again who she is"
    assert link(resumed, again, sora.patient_key) == "Sarah Lee"
    resumed.answers = resumed.flow.answer(resumed.answers, "patient_id", "P-8888")
    assert drop_link(resumed) == ("Sora Han", "Sarah Lee") and resumed.answers["patient_name"] == "Sarah Lee"

    session.answers = session.flow.answer(session.answers, "patient_name", "Sarah Leigh")  # typed again
    assert recorder.draft_of(session, "Mina Park").answers["patient_name"] == "Sarah Leigh"
