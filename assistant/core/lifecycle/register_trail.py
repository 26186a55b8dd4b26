"""``audit verify`` for the patient register: each register change states, in its signed audit act,
the entries it wrote, so the register can be rebuilt from the trail and compared with the store's.

Without this a patient's name, date of birth or clinic number edited in ``register/`` (or in the
server's ``register`` table) would go unseen, and a wrong name on a patient is a safety bug. Acts
written before they stated their entries (``detail`` in words only) cannot be rebuilt: patients
they alone wrote are left unchecked, and docs/records.md says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from assistant.core.lifecycle.audit import AuditEntry
from assistant.core.lifecycle.register_entry import Patient

REGISTER_ACTS = frozenset({"patient registered", "patient confirmed", "patients merged", "patients split"})
"""The acts that write register entries (and "imported", for a patient brought in by ``db import``:
it states her as they do)."""

FIELDS = ("name", "date_of_birth", "clinic_number", "merged_into", "joined", "legacy", "revision", "registered_at")
"""What an entry states, in the order a difference is named."""


def stated(patients: Sequence[Patient]) -> dict[str, Any]:
    """The ``data`` of a register act: every entry it writes, whole."""
    return {"patients": [patient.model_dump(mode="json") for patient in patients]}


def register_from_trail(entries: Iterable[AuditEntry]) -> tuple[dict[str, Patient], list[str]]:
    """(each patient as the last act that wrote them states them, problems with the acts themselves)."""
    kept: dict[str, Patient] = {}
    problems: list[str] = []
    for entry in entries:
        documents = (entry.data or {}).get("patients")
        if documents is None and entry.action in REGISTER_ACTS and entry.data:
            problems.append(f"audit entry {entry.seq} ({entry.action}) does not state the patients it wrote.")
            continue
        if not isinstance(documents, list):  # not a register act (an import of one states its patients)
            continue
        for document in documents:
            try:
                patient = Patient.model_validate(document)
            except ValueError:
                problems.append(f"audit entry {entry.seq} ({entry.action}) states a patient that is not valid.")
                continue
            kept[patient.patient_key] = patient
    return kept, problems


def compare_register(kept: dict[str, Patient], patients: Iterable[Patient], *, complete: bool) -> list[str]:
    """The store's register against the one the trail states. ``complete``: every register act of the
    trail stated its entries, so a patient the trail never wrote was added outside the program."""
    problems: list[str] = []
    seen: set[str] = set()
    for patient in patients:
        seen.add(patient.patient_key)
        stated_as = kept.get(patient.patient_key)
        if stated_as is None:
            if complete:
                problems.append(
                    f"the patient register holds {patient.patient_key} ({patient.words()}), whom no audit entry "
                    "registered: it was added outside the program."
                )
            continue
        changed = [name for name in FIELDS if getattr(stated_as, name) != getattr(patient, name)]
        if changed:
            problems.append(
                f"the patient register's entry {patient.patient_key} says {patient.words()} but the audit trail "
                f"says {stated_as.words()} ({', '.join(changed)} differ): it was changed outside the program."
            )
    for key, patient in kept.items():
        if key not in seen:
            problems.append(
                f"the patient {key} ({patient.words()}) is in the audit trail but missing from the patient register."
            )
    return problems


def register_is_stated(entries: Iterable[AuditEntry]) -> bool:
    """Whether every register act of the trail states its entries (none was written before they did)."""
    return all(entry.data for entry in entries if entry.action in REGISTER_ACTS)
