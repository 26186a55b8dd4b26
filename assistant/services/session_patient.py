"""Who a session's patient is, and what the record holds of her: the register's word on her
identifiers, the key her earlier doses count under, those doses, and her history.

Read by the UI while a consult runs (through ``SessionRecorder``) and when it is kept; each call
reads the repository afresh, because another workstation may have registered her or recorded doses
meanwhile.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.listing import PatientMatch
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.register import Identity, RegisterRefused, conflict_words, linked, linked_name
from assistant.core.lifecycle.residuals import touch_up_prefill
from assistant.core.plan import EarlierDoses, RecordedTreatments
from assistant.records import ConsultRepository, PatientHistory
from assistant.services import patients
from assistant.services.consult_session import ConsultSession, PatientDecision
from assistant.services.earlier import earlier_doses, last_treatment, recorded_treatments


def identify(repository: ConsultRepository, session: ConsultSession) -> Identity | None:
    """What the register says of the patient's identifiers (None before the name is answered).

    A consult already kept (changed after planning, or amended) stays its patient's, as ``amend``
    on the command line keeps her: a corrected date of birth or name is no new person, and her
    own clinic number is no conflict. Only a number held by another person is said."""
    return identify_kept(repository, session)[0]


def identify_kept(repository: ConsultRepository, session: ConsultSession) -> tuple[Identity | None, str | None]:
    """The identity, and the register key of the kept consult's patient (None: not kept yet)."""
    identifiers = patients.identifiers_from(session.answers)
    if not identifiers:
        return None, None
    identity = patients.identify(repository, identifiers)
    kept = repository.get(session.consult_id) if session.consult_id is not None else None
    if kept is None:
        return identity, None
    holder = identity.conflict
    own = patients.group(repository, kept.patient_key)
    conflict = holder if holder is not None and holder.patient_key not in own else None
    return Identity(identifiers=identifiers, conflict=conflict), kept.patient_key


def link(session: ConsultSession, identity: Identity, confirmed: str | None = None) -> str | None:
    """Decide the session's patient as the registered one ``identity`` names (matched exactly, or the
    suggestion a person ``confirmed``) and name the consult as her record does (``linked_name``): the
    header, the plan, the documents and the record read the answers. The decision then holds for
    the identifiers as renamed, so a later change of the name, the date of birth or the number asks
    again who she is, as any changed identifier does. The name as typed when the record writes it
    otherwise (for the transcript to say so; it keeps what was typed), else None. Nothing is linked
    when the answers no longer give these identifiers (changed meanwhile)."""
    patient, name = linked(identity, confirmed), linked_name(identity, confirmed)
    if patient is None or name is None or patients.identifiers_from(session.answers) != identity.identifiers:
        return None
    typed = str(session.answers["patient_name"])
    if name != typed:
        session.answers = session.flow.answer(session.answers, "patient_name", name)
    renamed = patients.identifiers_from(session.answers)
    was_typed = typed if name != typed else None
    session.patient = PatientDecision(
        identifiers=renamed, confirmed=confirmed, key=patient.patient_key, typed_name=was_typed
    )
    return was_typed


def _typed_while_renamed(session: ConsultSession) -> str | None:
    """The name as typed while the consult still carries the spelling a link gave it (None: no link
    renamed it, or the name was typed again since: staff's own words)."""
    decision = session.patient
    linked_as = decision.identifiers.name if decision.identifiers is not None else None
    if decision.typed_name is not None and session.answers.get("patient_name") == linked_as:
        return decision.typed_name
    return None


def answers_as_typed(session: ConsultSession) -> dict[str, object]:
    """The answers with the name as typed while a link renames it: what a draft keeps. A draft keeps
    answers, not who she was decided to be (asked again when it is resumed), so her record's spelling
    kept there became the name typed, and no changed identifier could give the real one back."""
    answers: dict[str, object] = dict(session.answers)
    if (typed := _typed_while_renamed(session)) is not None:
        answers["patient_name"] = typed
    return answers


def drop_link(session: ConsultSession) -> tuple[str, str] | None:
    """A link the identifiers no longer hold for (her date of birth or clinic number answered again)
    gives back the name as typed: the consult is no longer known to be that patient's, so it must not
    go on under her record's spelling, which may be another person's name (a suggestion by clinic
    number carries a name unlike the one typed). (the record's name, the typed name) when given back,
    else None: no rename to undo, the link still holds, the name typed again since, or a kept
    consult, which stays its patient's (``identify``)."""
    typed, linked_as = _typed_while_renamed(session), str(session.answers.get("patient_name"))
    if typed is None or session.consult_id is not None:
        return None
    if session.patient.holds_for(patients.identifiers_from(session.answers)):
        return None
    session.answers = session.flow.answer(session.answers, "patient_name", typed)
    session.patient = PatientDecision(identifiers=patients.identifiers_from(session.answers))
    return linked_as, typed


LANGUAGE_QUESTION = "patient_language"
"""The script's question of the explanation's language, carried over to a returning patient's next consult."""


def history_of(repository: ConsultRepository, patient_key: str) -> PatientHistory | None:
    """A returning patient's consults, last record and last treatment (doses given, dated the
    day given), over every key of the patient."""
    consults = patients.history(repository, patient_key)
    if not consults:
        return None
    newest = consults[0]
    patient = PatientMatch(
        patient_key=patient_key,
        patient_name=newest.patient_name,
        patient_id=newest.patient_id,
        consults=len(consults),
        last_date=newest.date,
    )
    prior = last_treatment(repository, patient_key)
    last = repository.get(prior.consult_id) if prior else None  # "last time": doses given, never a plan
    latest = last if last is not None and last.consult_id == newest.consult_id else repository.get(newest.consult_id)
    language = latest.answers.get(LANGUAGE_QUESTION) if latest is not None else None
    return PatientHistory(
        patient=patient,
        consults=tuple(consults),
        last=last,
        prior=prior,
        language=language if isinstance(language, str) and language else None,
    )


def decided_key(repository: ConsultRepository, session: ConsultSession) -> str | None:
    """The register key whose earlier doses count today, checked against the register as it is
    now (another workstation may have registered her meanwhile). ``RegisterRefused`` for a clinic
    number held by another person, and for suggestions nobody decided on; None for a new patient
    or one without a date of birth; a consult already kept stays its patient's (see ``identify``)."""
    identity, kept = identify_kept(repository, session)
    if identity is None:
        return None
    decision = session.patient
    if not decision.holds_for(identity.identifiers):
        decision = PatientDecision(identifiers=identity.identifiers)
        session.patient = decision
    if identity.conflict is not None:
        assert identity.identifiers.clinic_number is not None
        raise RegisterRefused(conflict_words(identity.identifiers.clinic_number, identity.conflict))
    if kept is not None:
        decision.key = kept
    elif identity.matched is not None:
        decision.key = identity.matched.patient_key
    elif decision.confirmed is not None:
        decision.key = decision.confirmed
    elif identity.suggestions and not decision.new_patient:
        raise RegisterRefused(patients.suggestion_words(identity))
    return decision.key


def earlier(repository: ConsultRepository, session: ConsultSession) -> EarlierDoses | None:
    """Doses the patient was given in the session maximum's window before today."""
    if not session.answers.get("patient_name"):
        return None
    window = session.resources.kb.safety.session_max_units.window_days
    key = decided_key(repository, session)
    if key is None and session.answers.get("date_of_birth"):
        return EarlierDoses(units=0, window_days=window)  # a new patient: nothing given before
    return earlier_doses(repository, key, session.today, window, exclude=session.consult_id)


def recorded(repository: ConsultRepository, session: ConsultSession) -> RecordedTreatments | None:
    """The doses the record holds as given to the patient (this consult's own left out): their
    dates win over the typed last treatment for timing."""
    if not session.answers.get("patient_name"):
        return None
    return recorded_treatments(repository, decided_key(repository, session), session.today, session.consult_id)


def review_prefill(last: ConsultRecord | None, today: dt.date, kb: KnowledgeBase) -> dict[str, object]:
    """The touch-up consult's asymmetry answers from the review of her last treatment (see
    ``core.lifecycle.residuals``); empty outside the review-to-touch-up days or without a difference."""
    if last is None:
        return {}
    takes = frozenset(zone.id for zone in kb.knowledge.zones if zone.takes_asymmetry)
    return touch_up_prefill(last, today, kb.timing.touch_up, kb.timing.follow_up, takes)


def keep_offers_of(session: ConsultSession, patient_key: str | None) -> list[str]:
    """The consult is now ``patient_key``'s (None: nobody's known record, or not decided): answers
    another patient's record filled in and that were taken unchanged are removed, to be asked again,
    since her last treatment's date taken with one Enter would time another person's doses. Also
    after a draft is resumed (a draft keeps what was offered, and by whom). The questions removed."""
    from assistant.core.lifecycle.record_model import jsonable_answers

    if not session.offered or (patient_key is not None and patient_key == session.offered_by):
        return []
    offered, answered = jsonable_answers(session.offered), jsonable_answers(session.answers)
    taken = [question for question, value in offered.items() if answered.get(question, object()) == value]
    session.forget_record()  # nothing of hers stays offered either
    session.offered, session.offered_by = {}, None
    if taken:
        session.answers = session.flow.prune({k: v for k, v in session.answers.items() if k not in taken})
    return taken
