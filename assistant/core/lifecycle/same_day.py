"""One visit, one consult (issue 22.4): a patient who already has a consult planned or given today
is asked about before a second one is planned ("Kim Ji-woo already has a consult today, planned
at 10:42: open it instead?"). Pure: the patient's consults and the day come in, a sentence out;
the UI asks it; ``run`` warns (JSON ``same_day_consult``), or refuses with ``--one-consult-per-visit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from assistant.core.lifecycle.listing import ConsultSummary


def consult_today(
    consults: Iterable[ConsultSummary], day: dt.date, leave_out: str | None = None
) -> ConsultSummary | None:
    """The newest consult of ``consults`` dated ``day`` that planned doses or had them given (a
    consult that stopped at a contraindication or refusal plans nothing to do twice)."""
    found = [
        c for c in consults if c.date == day and c.consult_id != leave_out and (c.status == "planned" or c.given_units)
    ]
    return max(found, key=lambda c: c.consult_id, default=None)


def planned_at(consult_id: str) -> dt.datetime:
    """When a consult was first kept: its id's UTC stamp (``20261124-104200-...``)."""
    return dt.datetime.strptime(consult_id[:15], "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)


def same_day_words(consult: ConsultSummary) -> str:
    """``Kim Ji-woo already has a consult today, planned at 10:42``, and given or signed when it is."""
    at = planned_at(consult.consult_id).astimezone().strftime("%H:%M")
    state = {"given": ", given", "signed": ", given and signed"}.get(consult.state, "")
    return f"{consult.patient_name} already has a consult today, planned at {at}{state}"
