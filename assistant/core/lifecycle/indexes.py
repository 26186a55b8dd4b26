"""The derived indexes as logical entries: what each should hold, computed from the records alone.

Both stores keep look-ups beside the records so that nothing reads every consult: a patient's
consults (history), the name index (search), the lots (recall), the treatments by day (``due``,
usage), the consults waiting for a signature or to be given, the open vials, and the patient register's names and
clinic numbers (by which a consult's patient is matched). They are written with each save,
but a person with access to the files or the database can edit them, and then recall forgets a
patient, ``due`` lists a ghost or the "to sign" list is empty while every record is intact.

So each index is described here as a set of ``IndexEntry`` (index, key, item, value), the same
shape on every store: each store reads its own files or rows into entries, ``expected_entries``
computes them from the latest version of every consult and every vial, and ``index_check``
compares the two. Pure: no store, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from assistant.core.lifecycle.audit import canonical
from assistant.core.lifecycle.ids import name_tokens, normalise_name
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.register_entry import Patient, folded_number
from assistant.core.lifecycle.tracing import Treatment, treatment_of
from assistant.core.lifecycle.vials import Vial, lot_key

IndexName = Literal["patients", "names", "lots", "treatments", "signing", "giving", "vials", "register"]
INDEXES: tuple[IndexName, ...] = (
    "patients",
    "names",
    "lots",
    "treatments",
    "signing",
    "giving",
    "vials",
    "register",
)

HEADER = ""
"""The item of a patient's own entry in the patients index (who she is), beside her consults."""
OPEN = "open"
"""The key of the vials index's entries: the vials that are open."""


class IndexEntry(BaseModel):
    """One logical entry of a derived index.

    ``patients``: key a patient key, item a consult id (or ``HEADER``), value its summary (her name);
    ``names``: key a patient key, item a word of her name, value her name and clinic number;
    ``lots``: key a lot (as lots compare), item a consult id, value what recall lists;
    ``treatments``: key the day (ISO), item a consult id, value the treatment;
    ``signing``: key "", item a consult id, value its summary; ``giving`` (the "to give" list): the
    same, for a consult planned with doses and nothing given; ``vials``: key ``OPEN``, item a vial id;
    ``register``: key "name <folded name>", "number <folded clinic number>" or "birth <YYYY-MM-DD>",
    item a registered patient's key (the look-ups by which a new consult's patient is matched or
    suggested, and by which the chart's search finds her by date of birth).
    """

    model_config = ConfigDict(frozen=True)

    index: IndexName
    key: str
    item: str
    value: str = ""


def _text(data: Any) -> str:
    return canonical(data).decode("utf-8")


def patient_value(name: str, clinic_number: str | None) -> str:
    return _text({"name": name, "clinic_number": clinic_number})


def summary_value(summary: ConsultSummary) -> str:
    return _text(summary.model_dump(mode="json"))


def treatment_value(treatment: Treatment) -> str:
    return _text(treatment.model_dump(mode="json"))


def lot_units(treatment: Treatment, key: str) -> float:
    """The units of one lot (as lots compare) in a treatment, as recall counts them."""
    return sum(units for lot, units in treatment.lots.items() if lot and lot_key(lot) == key)


def recall_value(treatment: Treatment, units: float) -> str:
    """What recall lists of a treatment under a lot: who, when, which zones, by whom, how much."""
    return _text(
        {
            "patient_name": treatment.patient_name,
            "patient_id": treatment.patient_id,
            "date": treatment.date.isoformat(),
            "zones": list(treatment.zones),
            "given_by": treatment.given_by,
            "units": units,
        }
    )


def patient_entries(key: str, name: str, clinic_number: str | None) -> list[IndexEntry]:
    """Her own entry in the patients index and one names entry per word of her name."""
    value = patient_value(name, clinic_number)
    words = dict.fromkeys(name_tokens(name))
    return [IndexEntry(index="patients", key=key, item=HEADER, value=value)] + [
        IndexEntry(index="names", key=key, item=word, value=value) for word in words
    ]


def consult_entries(summary: ConsultSummary) -> list[IndexEntry]:
    value = summary_value(summary)
    found = [IndexEntry(index="patients", key=summary.patient_key, item=summary.consult_id, value=value)]
    if summary.to_sign:
        found.append(IndexEntry(index="signing", key="", item=summary.consult_id, value=value))
    return found


def giving_entry(summary: ConsultSummary) -> IndexEntry:
    """A consult on the "to give" list (``ConsultRecord.to_give``): Waiting's first tab, ``waiting``."""
    return IndexEntry(index="giving", key="", item=summary.consult_id, value=summary_value(summary))


def treatment_entries(treatment: Treatment) -> list[IndexEntry]:
    found = [
        IndexEntry(
            index="treatments",
            key=treatment.date.isoformat(),
            item=treatment.consult_id,
            value=treatment_value(treatment),
        )
    ]
    for key in sorted({lot_key(lot) for lot in treatment.lots if lot}):
        value = recall_value(treatment, lot_units(treatment, key))
        found.append(IndexEntry(index="lots", key=key, item=treatment.consult_id, value=value))
    return found


def vial_entry(vial_id: str) -> IndexEntry:
    return IndexEntry(index="vials", key=OPEN, item=vial_id)


def register_entries(patient: Patient) -> list[IndexEntry]:
    """Where the register finds a registered patient: by her folded name, folded clinic number and
    date of birth."""
    found = [IndexEntry(index="register", key=f"name {normalise_name(patient.name)}", item=patient.patient_key)]
    number = folded_number(patient.clinic_number)
    if number:
        found.append(IndexEntry(index="register", key=f"number {number}", item=patient.patient_key))
    if patient.date_of_birth is not None:
        found.append(birth_entry(patient.patient_key, patient.date_of_birth.isoformat()))
    return found


def birth_entry(patient_key: str, date_of_birth: str) -> IndexEntry:
    """Where the chart's search finds a registered patient by her date of birth alone (ISO)."""
    return IndexEntry(index="register", key=f"birth {date_of_birth}", item=patient_key)


def _saved_at(record: ConsultRecord) -> dt.datetime:
    return record.revision.at if record.revision is not None else record.finished_at


def patient_names(
    latest: Iterable[ConsultRecord], kept: Mapping[str, str] | None = None
) -> dict[str, tuple[str, str | None]]:
    """Each patient's name and clinic number as her indexes should hold them.

    The indexes keep the name of the consult saved last under her key. The records say which names
    she was given but not always which came last (a consult moved in by import, say), so the name an
    index ``kept`` (patient key to ``patient_value``) is accepted when one of her consults states it;
    otherwise it is the name of the version saved last.
    """
    found: dict[str, list[ConsultRecord]] = {}
    for record in latest:
        found.setdefault(record.patient_key, []).append(record)
    chosen: dict[str, tuple[str, str | None]] = {}
    for key, records in found.items():
        stated = {patient_value(r.patient_name, r.patient_id): (r.patient_name, r.patient_id) for r in records}
        kept_value = (kept or {}).get(key)
        if kept_value in stated:
            chosen[key] = stated[kept_value]
        else:
            last = max(records, key=lambda r: (_saved_at(r), r.consult_id))
            chosen[key] = (last.patient_name, last.patient_id)
    return chosen


def expected_entries(
    latest: Iterable[ConsultRecord],
    vials: Iterable[Vial],
    kept: Mapping[str, str] | None = None,
    registered: Iterable[Patient] = (),
) -> set[IndexEntry]:
    """Every entry the indexes should hold, from the latest version of each consult, every vial and
    every entry of the patient register (``kept``: see ``patient_names``)."""
    records = list(latest)
    found: set[IndexEntry] = set()
    for key, (name, number) in patient_names(records, kept).items():
        found.update(patient_entries(key, name, number))
    for record in records:
        found.update(consult_entries(ConsultSummary.of(record)))
        if record.to_give:
            found.add(giving_entry(ConsultSummary.of(record)))
        treatment = treatment_of(record)
        if treatment is not None:
            found.update(treatment_entries(treatment))
    found.update(vial_entry(v.vial_id) for v in vials if v.state == "open")
    for patient in registered:
        found.update(register_entries(patient))
    return found


def kept_names(actual: Iterable[IndexEntry]) -> dict[str, str]:
    """The name each patient's own entry holds now (for ``patient_names``)."""
    return {e.key: e.value for e in actual if e.index == "patients" and e.item == HEADER}
