"""Has this patient been here before? Asked once name, date of birth and clinic number are known,
before the next question is shown.

An exact two-identifier match is a returning patient (her last treatment pre-fills the questions
about it); a suggestion is asked (nothing of it is used before a person says it is her); a clinic
number held by another person is said at once. Once linked to her record, the consult names her as
the record does (``session_patient.link``); the transcript keeps what was typed and says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from assistant.core.text import counted
from assistant.tui.texts import NEW_PATIENT, linked_words, unlinked_words

if TYPE_CHECKING:
    from assistant.core.lifecycle.register import Identity, Patient
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.dialogs import Dialogs

OfferDrafts = Callable[["ConsultSession", Callable[[], Awaitable[None]]], Awaitable[bool]]

RETURNING_WAIT = 3.0
"""Seconds the next question waits for the returning-patient check before going on without it."""


class ReturningPatients:
    def __init__(
        self,
        current: Current,
        host: Host,
        dialogs: Dialogs,
        records: RecordLink,
        show_name: Callable[[], object],
        offer_drafts: OfferDrafts | None = None,
    ) -> None:
        """``show_name`` shows the patient's name again in the consult's header (renamed as her record
        writes it outside an answer, once a person says who she is). ``offer_drafts(session, otherwise)``
        offers her unfinished consult first (``Drafts.offer_hers``): True when it does, and then the
        register is asked (``otherwise``) only if a new consult is started for her."""
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.records = records
        self.show_name = show_name
        self.offer_drafts = offer_drafts

    def look_up_later(self, session: ConsultSession) -> None:
        """A resumed draft's patient, looked up in the background as one typed would be."""
        if session.answers.get("patient_name"):
            self.host.run_worker(self.look_up(session, offer_drafts=False), name="returning", exit_on_error=False)

    async def look_up(self, session: ConsultSession, *, offer_drafts: bool = True) -> None:
        """Awaited by the consult screen before the next question is shown. ``offer_drafts``: her
        unfinished consult is offered first (not for a draft just resumed: it is hers)."""
        if self.current.trainer:
            return
        self._drop_link(session)
        offer = self.offer_drafts if offer_drafts else None
        if offer is not None and await offer(session, lambda: self._identify(session)):
            return
        await self._identify(session)

    async def answered_again(self, session: ConsultSession, question_id: str) -> None:
        """Her name, date of birth or number answered again as it was, after "No, a different person":
        who she is is asked again. A tryout chose it by a slip, and going back to the number only
        repeated that it is another patient's, until the name was typed again as her record has it."""
        if session.identifies_patient(question_id) and session.patient.new_patient:
            await self.look_up(session, offer_drafts=False)

    async def _identify(self, session: ConsultSession) -> None:
        from assistant.records import RecordsError
        from assistant.services.consult_session import PatientDecision

        say = self.host.say
        try:
            identity = await asyncio.wait_for(
                asyncio.to_thread(self.records.recorder.identify, session), RETURNING_WAIT
            )
        except TimeoutError:
            say("The consult record is slow to answer: whether this patient has been here before was not checked.")
            return
        except RecordsError as error:
            self.records.unreadable(error)
            return
        if identity is None or session is not self.current.session:
            return
        if session.consult_id is not None and identity.conflict is None:
            return  # a kept consult changed: she stays its patient, and her last time stays shown
        was = session.patient
        session.patient = PatientDecision(identifiers=identity.identifiers)
        session.forget_record()
        matched = identity.matched.patient_key if identity.matched is not None else None
        if identity.conflict is not None or matched is not None or not identity.suggestions:  # else: asked
            self._offers_kept_for(session, None if identity.conflict is not None else matched)
            if was.key is not None and was.identifiers is not None and (identity.conflict or matched != was.key):
                say(f"No longer linked to {was.identifiers.name}'s record: her name, date of birth or number changed.")
        if identity.conflict is not None:
            self._number_held(identity, identity.conflict)
        elif identity.matched is not None:
            self.link(session, identity)
            if session.patient.key is not None:  # not when the answers changed meanwhile
                await self._returning(session, identity.matched.patient_key)
        elif identity.suggestions:
            typed = session.patient_name() or ""
            await self.dialogs.show_patient_match(
                identity, self.current.files, typed, lambda key: self._patient_decided(session, identity, key)
            )

    def _drop_link(self, session: ConsultSession) -> None:
        """Her date of birth or number changed after the link: the name goes back to as typed, said."""
        from assistant.services.session_patient import drop_link

        if (dropped := drop_link(session)) is not None:
            self.host.say(unlinked_words(*dropped))
            self.show_name()

    def link(self, session: ConsultSession, identity: Identity, confirmed: str | None = None) -> None:
        """Her record's patient is hers (matched, or ``confirmed`` by a person): named as the record
        writes her from now on, and said when that is not as typed."""
        from assistant.services.session_patient import link

        typed = link(session, identity, confirmed)
        if typed is not None:
            self.host.say(linked_words(session.patient_name() or "", typed))
            self.show_name()

    def known(self, session: ConsultSession, key: str) -> None:
        """A patient picked from her chart: decided at once, her last treatment pre-filled."""
        from assistant.services.consult_session import PatientDecision
        from assistant.services.patients import identifiers_from

        identifiers = identifiers_from(session.answers)
        session.patient = PatientDecision(identifiers=identifiers, confirmed=key, key=key)
        if not self.current.trainer:
            self.host.run_worker(self._returning(session, key), name="returning", exit_on_error=False)

    def _number_held(self, identity: Identity, holder: Patient) -> None:
        from assistant.core.lifecycle.register import conflict_words

        self.host.say(
            f"The {conflict_words(identity.identifiers.clinic_number or '', holder)}. Check the number (Esc goes "
            "back to it): this consult cannot be kept under another patient's number."
        )

    def _offers_kept_for(self, session: ConsultSession, key: str | None) -> None:
        """The consult is ``key``'s now: what another patient's record filled in is asked again, said."""
        from assistant.services.session_patient import keep_offers_of

        if taken := keep_offers_of(session, key):
            from assistant.tui.messages import AnswersTakenBack

            asked = "; ".join(f"“{session.prompt_of(question)}”" for question in taken)
            self.host.say(
                f"Taken back, as this consult is not that patient's: what her record filled in will be asked "
                f"again ({asked})."
            )
            self.host.tell_screens(AnswersTakenBack(session, tuple(taken)))

    def _patient_decided(self, session: ConsultSession, identity: Identity, key: str | None) -> None:
        if session is not self.current.session:
            return
        self._offers_kept_for(session, None if key == NEW_PATIENT else key)
        if key is None:
            self.host.say("Who the patient is was not decided: you will be asked again before the plan.")
        elif key == NEW_PATIENT:
            session.patient.new_patient = True
            self.host.say("A different person: this consult is kept apart from the patients suggested.")
            number = identity.identifiers.clinic_number
            held = [s.patient for s in identity.suggestions if number and s.patient.clinic_number == number]
            if held:  # the number is hers: said now, not after the plan's PIN (the record refuses it then)
                self._number_held(identity, held[0])
        else:
            self.link(session, identity, key)
            if session.patient.key is not None:
                self.host.run_worker(self._returning(session, key), name="returning", exit_on_error=False)

    async def _returning(self, session: ConsultSession, key: str) -> None:
        from assistant.records import RecordsError
        from assistant.services.session_patient import LANGUAGE_QUESTION

        try:
            history = await asyncio.to_thread(self.records.recorder.history_of, key)
        except RecordsError as error:
            self.records.unreadable(error)
            return
        if session is not self.current.session or history is None:
            return
        session.previous = history.last
        if history.language is not None:  # her language as last time, still changeable
            session.offer_from_record({LANGUAGE_QUESTION: history.language}, key)
        count = len(history.consults)
        visits = f"{counted(count, 'consult')}, the last on {history.consults[0].date.isoformat()}"
        text = f"Returning patient: {visits}."
        if history.prior is not None:
            from assistant.core.advice import zone_names
            from assistant.core.lifecycle.residuals import prefill_words
            from assistant.services.session_patient import review_prefill

            session.offer_from_record(history.prior.answers(), key)
            zones = zone_names(self.current.files.kb, history.prior.zones)
            text += (
                f" Last treatment {history.prior.date.isoformat()} ({zones}): the questions about the last "
                "treatment will be pre-filled with it; change them if they are not right."
            )
            from_review = review_prefill(history.last, session.today, self.current.files.kb)
            session.offer_from_record(from_review, key)
            if words := prefill_words(from_review, self.current.files.kb.timing.touch_up):
                text += " " + words
        self.host.say(text)
