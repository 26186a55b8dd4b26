"""The lot question's answers against the vial ledger: a lot typed takes the ledger's spelling and
drops a vial picked before it, and an expiry that is not the ledger's is asked about before it is
taken. The session calls these as the answers come; the rules on vials are ``core.lifecycle``'s."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Protocol

from assistant.core.lifecycle.vial_names import drawn_from, expiry_disagrees, vials_of_lot

if TYPE_CHECKING:
    from assistant.core.answers import AnswerValue
    from assistant.core.flow import Answers, Verdict
    from assistant.core.lifecycle.vials import Vial
    from assistant.core.script import Question

LOT_QUESTION = "lot_number"
LOT_EXPIRY_QUESTION = "lot_expiry"
"""The script's questions of the vial's lot and expiry (the record keeps them; the UI offers the
ledger's open vials at the first)."""


class LotState(Protocol):
    """What of a consult session the lot question reads and changes (``ConsultSession`` has it)."""

    answers: Answers
    prefill: dict[str, AnswerValue | None]
    open_vials: list[Vial]
    typing_lot: bool
    vial_id: str | None


def against_ledger(session: LotState, question: Question, verdict: Verdict) -> Verdict:
    """A lot typed takes the ledger's spelling when a vial of it is open (as a pick gives it:
    "bx2311" beside "BX2311" on one summary); an expiry not the ledger's for that lot is asked about."""
    value = verdict.value
    typed_lot = question.id == LOT_QUESTION and session.typing_lot
    if typed_lot and (of_lot := vials_of_lot(session.open_vials, str(value or ""))):
        return replace(verdict, value=of_lot[0].lot)
    if question.id == LOT_EXPIRY_QUESTION and isinstance(value, date):
        vials = drawn_from(session.open_vials, str(session.answers.get(LOT_QUESTION) or ""), session.vial_id)
        if disagree := expiry_disagrees(vials, value):
            return replace(verdict, warnings=(*verdict.warnings, disagree))
    return verdict


def lot_typed(session: LotState, lot: str) -> None:
    """A lot typed ("Another lot") is drawn from, not a vial picked before it (G highlighted that
    one); its open vial's expiry is suggested next, as a picked vial's is."""
    if session.vial_id is not None:
        session.vial_id = None
        session.prefill.pop(LOT_EXPIRY_QUESTION, None)  # the picked vial's
    if len(expiries := {v.expiry for v in vials_of_lot(session.open_vials, lot)}) == 1:
        session.prefill[LOT_EXPIRY_QUESTION] = expiries.pop()
