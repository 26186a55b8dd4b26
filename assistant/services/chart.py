"""A patient found as you type, and her chart: identifiers, consults, one consult whole, due dates.

The chart screen asks these off the UI thread. Searching reads the register's look-ups only
(``find_patients`` by clinic number or name, ``registered`` for the date of birth), a few rows per
keystroke; the chart reads ``history`` (every key joined to hers) and her recent treatments; a
consult's whole story (``ChartConsult``) is read when it is highlighted, one consult at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from assistant.core.knowledge_model import Timing
from assistant.core.lifecycle.chart import ChartConsult, next_due
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.register_entry import Patient
from assistant.core.lifecycle.tracing import DueEntry
from assistant.records.errors import ConsultNotFound
from assistant.records.repository import ConsultRepository
from assistant.services import patients

SEARCH_LIMIT = 20
"""Patients listed at most for one search (type more to narrow it)."""
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


class Query(NamedTuple):
    """What was typed: the words (a name or a clinic number) and a date of birth, if one was typed."""

    words: str
    date_of_birth: dt.date | None
    problem: str | None = None


def read_query(text: str) -> Query:
    """``Kim 1990-03-02``: the name and a date of birth; a date that is no date is said, not searched."""
    found = _DATE.search(text)
    if found is None:
        return Query(" ".join(text.split()), None)
    words = " ".join((text[: found.start()] + " " + text[found.end() :]).split())
    try:
        return Query(words, dt.date(*(int(part) for part in found.groups())))
    except ValueError:
        return Query(words, None, f"{found.group(0)} is not a date (YYYY-MM-DD).")


class FoundPatient(NamedTuple):
    patient_key: str
    name: str
    clinic_number: str | None
    date_of_birth: dt.date | None
    consults: int
    last_date: dt.date | None

    def describe(self) -> str:
        born = f"born {self.date_of_birth.isoformat()}" if self.date_of_birth else "date of birth not kept"
        number = f"no. {self.clinic_number}" if self.clinic_number else "no clinic number"
        last = f", last {self.last_date.isoformat()}" if self.last_date else ""
        return f"{self.name} · {born} · {number} · {self.consults} consult{'s' if self.consults != 1 else ''}{last}"


def search(repository: ConsultRepository, text: str, limit: int = SEARCH_LIMIT) -> list[FoundPatient]:
    """Patients whose clinic number or name matches what was typed, narrowed to the date of birth
    when one was typed. A date alone finds nobody: the register is searched by name or number."""
    query = read_query(text)
    if not query.words or query.problem:
        return []
    found: dict[str, FoundPatient] = {}

    def add(key: str, entry: Patient | None, name: str, number: str | None, count: int, last: dt.date | None) -> None:
        if key in found or (entry is not None and entry.merged_into is not None):
            return  # listed already, or joined to another patient: she is listed under the kept record
        born = entry.date_of_birth if entry is not None else None
        if query.date_of_birth is None or born == query.date_of_birth:
            found[key] = FoundPatient(key, entry.name if entry else name, entry.clinic_number if entry else number,
                                      born, count, last)  # fmt: skip

    if any(character.isdigit() for character in query.words):  # a clinic number, as the register files it
        for entry in repository.register_candidates(query.words, query.words):
            if entry.clinic_number is not None:
                consults = repository.history(entry.patient_key)
                last = consults[0].date if consults else None
                add(entry.patient_key, entry, entry.name, entry.clinic_number, len(consults), last)
    for match in repository.find_patients(query.words, limit):
        entry = repository.registered(match.patient_key)
        add(match.patient_key, entry, match.patient_name, match.patient_id, match.consults, match.last_date)
    return list(found.values())[:limit]


class Chart(NamedTuple):
    patient: FoundPatient
    consults: list[ConsultSummary]
    """Newest first, every key joined to hers."""
    due: list[DueEntry]


def open_chart(repository: ConsultRepository, patient_key: str, timing: Timing, today: dt.date) -> Chart:
    """A patient's chart as it stands (``ConsultNotFound`` when the key has neither entry nor consult)."""
    consults = patients.history(repository, patient_key)
    entry = repository.registered(patient_key)
    if entry is None and not consults:
        raise ConsultNotFound(f"patient {patient_key}")
    newest = consults[0] if consults else None
    patient = FoundPatient(
        patient_key=patient_key,
        name=entry.name if entry is not None else newest.patient_name,  # type: ignore[union-attr]
        clinic_number=entry.clinic_number if entry is not None else (newest.patient_id if newest else None),
        date_of_birth=entry.date_of_birth if entry is not None else None,
        consults=len(consults),
        last_date=newest.date if newest else None,
    )
    keys = patients.group(repository, patient_key)
    span = dt.timedelta(days=int(timing.retreatment_interval_days.value) + timing.follow_up.touch_up_to_day + 1)
    treatments = repository.treatments_of(keys, today - span, today)
    return Chart(patient, consults, next_due(treatments, timing, today))


def consult_story(repository: ConsultRepository, consult_id: str) -> ChartConsult:
    """One consult whole: its versions and the audit entries that say its documents were printed."""
    versions = repository.versions(consult_id)
    if not versions:
        raise ConsultNotFound(consult_id)
    return ChartConsult.of(versions, repository.audit_entries(consult_id))
