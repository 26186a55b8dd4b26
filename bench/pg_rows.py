"""A consult's rows as PostgreSQL's COPY text, written from a template per kind of consult.

The bench's million consults differ only in who, when, which of a few plans and which lot
(``records_data.Visit``). Building, dumping and hashing a pydantic record per consult cost about
half a millisecond, so 1,000,000 took most of an hour; here each kind of consult (plan x state) is
built once by the program's own models with marker values, dumped to canonical JSON and cut at the
markers into pieces (``Fill``), so a consult's rows are a few joins of strings and two SHA-256s.
``tests/test_records_bench_rows.py`` checks that they are the rows the program writes: the record's
JSON and hash, its summary, treatment and lots, and the chained audit entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta

from records_data import Clinic, Visit, lot_of

from assistant.core.lifecycle.audit import GENESIS, LATER_ENTRY_FIELDS, LATER_RECORD_FIELDS, AuditEvent, canonical
from assistant.core.lifecycle.ids import name_tokens, new_record_id, patient_key
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import lot_key
from assistant.records.postgres.schema import PREFIX_LETTERS

MARK_NAME, MARK_PID, MARK_KEY = "Zqname Qz", "ZQPIDQZ", "zqkeyqz"
MARK_DAY = date(1999, 1, 2)
MARK_LOT = lot_of(MARK_DAY)
"""The lot of a day before the bench's first (``BX-0835``): the marker day's lot marks the lot."""
MARK_SECONDS, MARK_RANDOM, MARK_SEQ = 3723, 0x3FFFFFFFFF, 987654321
MARK_PREV, MARK_SHA = "p" * 64, "s" * 64
TIMES = {"started": -25 * 60, "finished": 0, "given_at": 10 * 60, "signed_at": 15 * 60}
"""Seconds from the moment a consult is finished to each time its record holds (``Clinic.record_of``)."""
OPTIONAL = ("given_at", "signed_at")
"""Marks a kind of consult may not hold (a consult given and not yet signed has no signature time)."""


def copy_text(value: str) -> str:
    """``value`` as a field of COPY's text format (backslash, tab and line breaks escaped)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def when(day: date, seconds: int) -> str:
    """A UTC time as the models write it in JSON (``2026-11-24T10:02:03Z``): 09:00 + ``seconds``."""
    minutes, second = divmod(9 * 3600 + seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}Z"


class Fill:
    """A text cut once at its marks: filling it is a join of its pieces and the marks' values
    (``str.format_map`` parsed a 3,600-character record template on every call)."""

    def __init__(self, text: str, marks: dict[str, str], optional: tuple[str, ...] = ()) -> None:
        field_of = {mark: field for field, mark in marks.items()}
        for field, mark in marks.items():
            if mark not in text and field not in optional:
                raise ValueError(f"the template lost its {field} mark")
        pieces = re.split("(" + "|".join(re.escape(mark) for mark in marks.values()) + ")", text)
        self.first = pieces[0]
        self.rest = [(field_of[pieces[n]], pieces[n + 1]) for n in range(1, len(pieces), 2)]

    def __call__(self, values: dict[str, str]) -> str:
        out = [self.first]
        for field, text in self.rest:
            out.append(values[field])
            out.append(text)
        return "".join(out)


class Kind:
    """One plan in one state, with everything its consults share written once."""

    def __init__(self, clinic: Clinic, plan: int, state: str) -> None:
        visit = Visit(-1, MARK_DAY, plan, MARK_SECONDS, MARK_RANDOM, state)
        record = clinic.record_of(visit, MARK_NAME, MARK_PID).model_copy(update={"patient_key": MARK_KEY})
        content = record.model_dump(mode="json")
        marks = {
            "id": json.dumps(record.consult_id),
            "name": json.dumps(MARK_NAME),
            "pid": json.dumps(MARK_PID),
            "key": json.dumps(MARK_KEY),
            "lot": json.dumps(MARK_LOT),
            **{field: json.dumps(when(MARK_DAY, MARK_SECONDS + offset)) for field, offset in TIMES.items()},
            "day": json.dumps(MARK_DAY.isoformat()),
        }
        self.stored = Fill(copy_text(canonical(content).decode()), marks, OPTIONAL)
        for field in LATER_RECORD_FIELDS:  # left out of the hash when unset, as ``content_sha`` does
            if content.get(field) in (None, []):
                content.pop(field, None)
        self.hashed = Fill(canonical(content).decode(), marks, OPTIONAL)
        summary = ConsultSummary.of(record)
        given = "\\N" if summary.given_units is None else repr(summary.given_units)
        self.consult_tail = (
            f"{summary.status}\t{summary.state}\t{summary.total_units!r}\t{{{','.join(summary.zones)}}}\t"
            f"{summary.staff}\t{given}"
        )
        self.to_sign = "t" if summary.to_sign else "f"
        event = AuditEvent.for_version(record, record.staff, record.finished_at)
        fields = {**event.model_dump(mode="json"), "seq": MARK_SEQ, "prev_hash": MARK_PREV, "record_sha": MARK_SHA}
        for field in LATER_ENTRY_FIELDS:
            if fields.get(field) is None:
                fields.pop(field, None)
        entry_marks = {
            "seq": f'"seq":{MARK_SEQ}',
            "prev": json.dumps(MARK_PREV),
            "sha": json.dumps(MARK_SHA),
            "id": marks["id"],
            "finished": marks["finished"],
        }
        self.entry = Fill(canonical(fields).decode(), entry_marks)
        self.action = event.action
        treatment = treatment_of(record)
        self.treatment = None
        self.lot_units: list[float] = []
        if treatment is not None:
            self.treatment = (
                f"{treatment.kind}\t{{{','.join(treatment.zones)}}}\t{treatment.units!r}\t{treatment.given_by}"
            )
            self.lots = Fill(copy_text(json.dumps(treatment.lots, sort_keys=True)), {"lot": marks["lot"]})
            self.lot_units = [units for lot, units in treatment.lots.items() if lot == MARK_LOT]
            if len(self.lot_units) != len(treatment.lots):
                raise ValueError("a bench plan gives from a lot other than the day's")


class Person:
    """A patient's fields as the rows write them, worked out once."""

    __slots__ = ("key", "key_json", "name", "name_json", "pid", "pid_json")

    def __init__(self, name: str, patient_id: str | None) -> None:
        key = patient_key(name, patient_id)
        self.name, self.key = name, key
        self.pid = "\\N" if patient_id is None else patient_id
        self.name_json = json.dumps(name, ensure_ascii=False)
        self.pid_json = json.dumps(patient_id)
        self.key_json = json.dumps(key, ensure_ascii=False)
        for text in (self.name_json, self.pid_json, self.key_json):  # one text for the hash and for COPY
            if copy_text(text) != text:
                raise ValueError(f"a bench name needs escaping: {text}")


class Rows:
    """The COPY lines of each visit, chaining the audit entries from ``head``."""

    def __init__(self, clinic: Clinic, head: tuple[int, str] | None) -> None:
        self.clinic = clinic
        self.kinds = {
            (plan, state): Kind(clinic, plan, state)
            for plan in range(len(clinic.plans))
            for state in ("given", "signed")
        }
        self.people = [Person(name, patient_id) for name, patient_id in clinic.patients.people]
        self.seen: set[int] = set()
        self.seq, self.prev = (head[0], head[1]) if head and head[0] else (0, GENESIS)
        self.lot_keys: dict[str, str] = {}

    def add(self, visit: Visit, out: tuple[list[str], list[str], list[str], list[str], list[str]]) -> None:
        """Append the visit's lines to (consults, versions, audit, treatments, treatment lots)."""
        kind = self.kinds[(visit.plan, visit.state)]
        person = self.people[visit.person]
        self.seen.add(visit.person)
        day = visit.day.isoformat()
        finished = datetime(visit.day.year, visit.day.month, visit.day.day, 9, tzinfo=UTC) + timedelta(
            seconds=visit.seconds
        )
        consult_id = new_record_id(finished, randomness=visit.randomness)
        lot = lot_of(visit.day)
        values = {
            "id": f'"{consult_id}"',
            "name": person.name_json,
            "pid": person.pid_json,
            "key": person.key_json,
            "lot": f'"{lot}"',
            "day": f'"{day}"',
            **{field: f'"{when(visit.day, visit.seconds + offset)}"' for field, offset in TIMES.items()},
        }
        sha = hashlib.sha256(kind.hashed(values).encode()).hexdigest()
        consults, versions, audit, treatments, lots = out
        given_on = "\\N"
        if visit.state in ("given", "signed"):  # ``given_day``: the day it was recorded, on this computer's calendar
            given_on = max(visit.day, (finished + timedelta(minutes=10)).astimezone().date()).isoformat()
        consults.append(
            f"{consult_id}\t1\t{person.key}\t{person.name}\t{person.pid}\t{day}\t{kind.consult_tail}\t{given_on}"
            f"\t{kind.to_sign}\n"
        )
        versions.append(f"{consult_id}\t1\t{kind.stored(values)}\t{sha}\n")
        self.seq += 1
        entry = kind.entry({**values, "seq": f'"seq":{self.seq}', "prev": f'"{self.prev}"', "sha": f'"{sha}"'})
        digest = hashlib.sha256(entry.encode()).hexdigest()
        audit.append(
            f"{self.seq}\t{values['finished'][1:-1]}\t{self.clinic_staff}\t{kind.action}\t{consult_id}\t1\t{sha}"
            f"\t\\N\t{self.prev}\t{digest}\n"
        )
        self.prev = digest
        if kind.treatment is not None:
            treatments.append(
                f"{consult_id}\t{person.key}\t{person.name}\t{person.pid}\t{day}\t{kind.treatment}\t{kind.lots(values)}\n"
            )
            key = self.lot_keys.get(lot) or self.lot_keys.setdefault(lot, copy_text(lot_key(lot)))
            lots.extend(f"{key}\t{consult_id}\t{units!r}\t{day}\n" for units in kind.lot_units)

    clinic_staff = "Jun Park"

    @property
    def head(self) -> tuple[int, str] | None:
        return (self.seq, self.prev) if self.seq else None

    def patients(self) -> tuple[list[str], list[str]]:
        """The lines of ``patients`` and ``name_prefixes`` for every patient a visit named."""
        people, prefixes = [], []
        by_key = {self.people[index].key: index for index in sorted(self.seen)}  # namesakes without a number are one
        for index in by_key.values():
            name, patient_id = self.clinic.patients.people[index]
            person = self.people[index]
            words = " ".join(name_tokens(name))
            people.append(f"{person.key}\t{person.name}\t{person.pid}\t{copy_text(words)}\n")
            found = {w[:n] for w in words.split() for n in range(1, min(PREFIX_LETTERS, len(w)) + 1)}
            order = copy_text(patient_id or "")
            prefixes.extend(
                f"{person.key}\t{copy_text(p)}\t{copy_text(words)}\t{order}\t{person.name}\t{person.pid}\n"
                for p in sorted(found)
            )
        return people, prefixes
