"""A patient found as you type, and her chart: identifiers, consults, one consult whole, due dates.

The chart screen asks these off the UI thread. Searching reads the register's look-ups only
(``find_patients`` by clinic number or name, ``registered`` for the date of birth, ``patients_born``
when a date of birth is typed), a few rows per keystroke; the chart reads ``history`` (every key
joined to hers) and her recent treatments; a consult's whole story (``ChartConsult``) is read when
it is highlighted, one consult at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from assistant.core.dates import date_problem
from assistant.core.knowledge_model import Timing
from assistant.core.lifecycle.chart import ChartConsult, next_due, serious_flag
from assistant.core.lifecycle.ids import name_tokens, normalise_name
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.register_entry import Patient, folded_number
from assistant.core.lifecycle.tracing import DueEntry
from assistant.core.text import counted
from assistant.records.errors import ConsultNotFound
from assistant.records.repository import ConsultRepository
from assistant.services import patients

SEARCH_LIMIT = 20
"""Patients listed at most for one search (type more to narrow it)."""
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_LIKE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{4}\b")
"""What reads as a date typed otherwise (``1991-3-7``, ``07.03.1991``): said, never guessed at."""
_DATE_BEGUN = re.compile(r"\b\d{4}-\d{2}-\d$")
"""A date of birth being typed (``1991-03-0``), at the end of the text."""
DATE_FORM = "YYYY-MM-DD, e.g. 1991-03-07"
"""How a date of birth is typed, as every date the program takes (``core.answers.as_date``)."""


class SearchRefused(ValueError):
    """What was typed cannot be searched (a date that is none); the message says why, in one sentence."""


class Query(NamedTuple):
    """What was typed: the words (a name or a clinic number) and a date of birth, if one was typed."""

    words: str
    date_of_birth: dt.date | None
    problem: str | None = None

    @property
    def searchable(self) -> bool:
        """Something to look up: words, a date of birth, or both, and no date that is none."""
        return self.problem is None and bool(self.words or self.date_of_birth)


def read_query(text: str) -> Query:
    """``Kim 1990-03-02``: the name and a date of birth; a date that is no date is said, not searched."""
    found = _DATE.search(text)
    if found is None:
        if _DATE_BEGUN.search(text):  # the last digit of the day is still to come: nothing yet
            return Query("", None)
        loose = _DATE_LIKE.search(text)
        problem = f"{loose.group(0)}: type a date of birth as {DATE_FORM}." if loose else None
        return Query(" ".join(text.split()), None, problem)
    words = " ".join((text[: found.start()] + " " + text[found.end() :]).split())
    try:
        born = dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return Query(words, None, f"{found.group(0)} is not a date: type a date of birth as {DATE_FORM}.")
    problem = date_problem(born)
    return Query(words, None, f"{problem}.") if problem else Query(words, born)


class FoundPatient(NamedTuple):
    patient_key: str
    name: str
    clinic_number: str | None
    date_of_birth: dt.date | None
    consults: int | None
    last_date: dt.date | None
    checked: bool = True
    """Read from the register (date of birth, merges); False: from the name look-up alone, so far."""

    def describe(self) -> str:
        born = "date of birth not kept" if self.checked else "date of birth..."
        if self.date_of_birth is not None:
            born = f"born {self.date_of_birth.isoformat()}"
        number = f"no. {self.clinic_number}" if self.clinic_number else "no clinic number"
        count = "" if self.consults is None else f" · {counted(self.consults, 'consult')}"
        last = f", last {self.last_date.isoformat()}" if self.last_date else ""
        return f"{self.name} · {born} · {number}{count}{last}"


def _from_register(entry: Patient, match: FoundPatient | None = None) -> FoundPatient:
    return FoundPatient(
        entry.patient_key, entry.name, entry.clinic_number, entry.date_of_birth,
        match.consults if match else None, match.last_date if match else None,
    )  # fmt: skip


def search(repository: ConsultRepository, text: str, limit: int = SEARCH_LIMIT) -> list[FoundPatient]:
    """Patients whose clinic number or name matches what was typed: one look-up a keystroke pause
    (the name index; the register's numbers when a digit is typed). The rows found by name are not
    yet ``checked`` against the register (``checked`` reads it next). A date of birth, alone or
    with a name or number, reads the register's by-date index instead: those born that day, narrowed
    by the words (``SearchRefused`` for a date that is none, in words)."""
    query = read_query(text)
    if query.problem:
        raise SearchRefused(query.problem)
    if query.date_of_birth is not None:
        return born_on(repository, query.date_of_birth, query.words)[:limit]
    if not query.words:
        return []
    found: dict[str, FoundPatient] = {}
    if any(character.isdigit() for character in query.words):  # a clinic number, as the register files it
        for entry in repository.register_candidates(query.words, query.words):
            if entry.clinic_number is not None and entry.merged_into is None:
                found.setdefault(entry.patient_key, _from_register(entry))
    for match in repository.find_patients(query.words, limit):
        row = FoundPatient(
            match.patient_key, match.patient_name, match.patient_id, None, match.consults, match.last_date, False
        )
        found.setdefault(match.patient_key, row)
    return list(found.values())[:limit]


def born_on(repository: ConsultRepository, date_of_birth: dt.date, words: str = "") -> list[FoundPatient]:
    """Everyone of the register born that day (not those joined to another: she is listed under the
    kept record), by name; ``words`` narrow them as the name search does (every word starts a word
    of her name) or name her clinic number."""
    wanted, number = name_tokens(words), folded_number(words)

    def named(entry: Patient) -> bool:
        if not words:
            return True
        if number is not None and folded_number(entry.clinic_number) == number:
            return True
        own = name_tokens(entry.name)
        return all(any(word.startswith(typed) for word in own) for typed in wanted) if wanted else False

    found = [e for e in repository.patients_born(date_of_birth) if e.merged_into is None and named(e)]
    return [_from_register(e) for e in sorted(found, key=lambda e: (normalise_name(e.name), e.patient_key))]


def checked(repository: ConsultRepository, rows: list[FoundPatient]) -> list[FoundPatient]:
    """The rows with what the register keeps of each (date of birth, number); one joined to another
    patient is left out: she is listed under the kept record."""
    out = []
    for row in rows:
        entry = row if row.checked else repository.registered(row.patient_key)
        if entry is None:
            out.append(row._replace(checked=True))
        elif isinstance(entry, FoundPatient):
            out.append(entry)
        elif entry.merged_into is None:
            out.append(_from_register(entry, row))
    return out


class Chart(NamedTuple):
    patient: FoundPatient
    consults: list[ConsultSummary]
    """Newest first, every key joined to hers."""
    due: list[DueEntry]
    serious: str | None = None
    """The flag of a serious adverse event found at a review of any of her consults (None: none)."""


def open_chart(repository: ConsultRepository, patient_key: str, timing: Timing, today: dt.date) -> Chart:
    """A patient's chart as it stands (``ConsultNotFound`` when the key has neither entry nor consult)."""
    keys = patients.group(repository, patient_key)
    seen = {s.consult_id: s for member in keys for s in repository.history(member)}  # as patients.history
    consults = sorted(seen.values(), key=ConsultSummary.sort_key, reverse=True)
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
    span = dt.timedelta(days=int(timing.retreatment_interval_days.value) + timing.follow_up.touch_up_to_day + 1)
    treatments = repository.treatments_of(keys, today - span, today)
    given = (repository.get(s.consult_id) for s in consults if s.given_units is not None)
    serious = serious_flag(record for record in given if record is not None)
    return Chart(patient, consults, next_due(treatments, timing, today), serious)


def consult_story(repository: ConsultRepository, consult_id: str) -> ChartConsult:
    """One consult whole: its versions and the audit entries that say its documents were printed."""
    versions = repository.versions(consult_id)
    if not versions:
        raise ConsultNotFound(consult_id)
    return ChartConsult.of(versions, repository.audit_entries(consult_id))
