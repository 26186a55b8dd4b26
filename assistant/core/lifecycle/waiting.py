"""What waits for whom: a consult to give (planned, nothing given), to sign, or to co-sign.

The Waiting screen and ``botulax-consult waiting`` list the same rows, each with what it waits for,
filtered to what the signed-in account's role may do (``StaffAccount.may``: the role rules, never a
typed name). Pure: the store hands in the summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record_model import RecordModel
from assistant.core.lifecycle.staff import Action, StaffAccount

WaitingFor = Literal["give", "sign", "cosign"]
WAITING_FOR: tuple[WaitingFor, ...] = ("give", "sign", "cosign")
ACTION: dict[WaitingFor, Action] = {"give": "give", "sign": "sign", "cosign": "cosign"}
"""The role rule each kind of waiting needs (``core.lifecycle.staff``)."""
WORDS: dict[WaitingFor, str] = {"give": "to give", "sign": "to sign", "cosign": "to co-sign"}


def waiting_for(summary: ConsultSummary) -> WaitingFor | None:
    """What a consult waits for at its latest version: planned with doses and nothing given ->
    ``give``; given and unsigned -> ``sign``; signed and waiting for the co-signature -> ``cosign``."""
    if summary.state == "planned":
        return "give" if summary.status == "planned" and summary.total_units > 0 else None
    if summary.state == "given":
        return "sign"
    if summary.state == "signed" and summary.to_sign:
        return "cosign"
    return None


def may_do(account: StaffAccount | None, waiting: WaitingFor) -> bool:
    """Whether ``account`` may do what a row waits for; with no account (a clinic without staff
    accounts) everything is shown, as the "to sign" list always was."""
    return account is None or account.may(ACTION[waiting])


def kinds_for(account: StaffAccount | None) -> tuple[WaitingFor, ...]:
    """The kinds of waiting ``account`` may act on, in the tabs' order."""
    return tuple(kind for kind in WAITING_FOR if may_do(account, kind))


class WaitingRow(RecordModel):
    """One consult that waits, and for what (the ``waiting`` command's JSON row)."""

    waiting_for: WaitingFor
    consult_id: str
    date: dt.date
    patient_key: str
    patient_name: str
    patient_id: str | None = None
    state: str
    version: int
    staff: str | None = None
    """Who ran the consult."""
    planned_units: float
    given_units: float | None = None
    zones: tuple[str, ...] = ()

    @classmethod
    def of(cls, summary: ConsultSummary, waiting: WaitingFor) -> WaitingRow:
        return cls(
            waiting_for=waiting,
            consult_id=summary.consult_id,
            date=summary.date,
            patient_key=summary.patient_key,
            patient_name=summary.patient_name,
            patient_id=summary.patient_id,
            state=summary.state,
            version=summary.version,
            staff=summary.staff,
            planned_units=summary.total_units,
            given_units=summary.given_units,
            zones=summary.zones,
        )

    def describe(self, label: Callable[[str], str] = str) -> str:
        """One line for a list: date, patient, units, zones (``label``: a zone id in words), who ran it."""
        who = self.patient_name + (f" ({self.patient_id})" if self.patient_id else "")
        units = f"{self.given_units:g} U given" if self.given_units is not None else f"{self.planned_units:g} U planned"
        zones = f" · {', '.join(label(zone) for zone in self.zones)}" if self.zones else ""
        return f"{self.date.isoformat()} · {who} · {units}{zones} · run by {self.staff or 'someone'}"
