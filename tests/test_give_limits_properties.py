"""Issue 19.3, as a property: whatever the sequence of plans, gives and amendments of what was given
(by an injector or a medical director, with or without a reason to override, on days that follow
each other), no dose recorded as given passes a zone's limit or the session maximum over its window
without a medical director's override on the record.

The limits are worked out here from the knowledge base's figures, independently of
``dose_limits``; the record is a real TinyDB folder and the PINs real argon2 hashes.

Each example is a new folder and new accounts: their PIN hashes and the argon2id seals of their
signing keys are made with light parameters (each carries its own, and the program checks them with
those), and the shipped consent forms are read once, not at every consent and every give: 102 s
(loaded machine) for the 80 examples was mostly argon2 at the product's cost and YAML read again.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.given import GivenEntry, NothingToGive, planned_doses
from assistant.core.lifecycle.override import OverLimit
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount
from assistant.files.consent_forms import load_consent_forms
from assistant.files.resources import Resources
from assistant.records import TinyDBStore
from assistant.services import treatment
from assistant.services.desk import Desk
from assistant.services.recording import save_new
from assistant.settings import ClinicSettings
from tests.conftest import MakeRecord
from tests.helpers import DIRECTOR, INJECTOR, PINS, TODAY, consented
from tests.staff_register import LIGHT_HASHER, light_argon2

CLINIC = ClinicSettings(session_max_units=50)
"""A clinic maximum low enough that a full face (52 U), or two small consults, pass it."""

PATIENTS = ("Kim Ji-woo", "Kim Ji-woo", "Kim Ji-woo", "Lee Bora")
ZONES = (
    ("glabella",),
    ("crows_feet",),
    ("glabella", "crows_feet"),
    ("glabella", "forehead", "crows_feet"),
    ("masseter",),
)
HASHES = {name: LIGHT_HASHER.hash(PINS[name]) for name in (INJECTOR, DIRECTOR)}
"""Real argon2 hashes, checked by the program's own code; made with light parameters (a hash carries
its own), so that hundreds of PINs are checked in seconds."""

FORMS = load_consent_forms()
"""The shipped consent forms, read once (``treatment`` reads them at every call given none)."""


@pytest.fixture(scope="module")
def light_seals() -> Iterator[None]:
    """Signing keys made in this module sealed with light argon2id parameters, as the PIN hashes are
    (``tests/staff_register.light_argon2``, as for the registers the other tests copy): a seal keeps
    its parameters and ``keys.unseal`` derives with those, so the keys are sealed and unsealed by the
    program's own code, only not at 19 MiB twice per act."""
    with light_argon2():
        yield


KINDS = ("plan", "plan", "give", "give", "give", "amend", "by", "days")
step = st.tuples(st.sampled_from(KINDS), st.integers(0, 11), st.integers(0, 11))
FACTORS = (1.0, 1.0, 0.5, 1.3, 1.5, 3.0)
"""What is given or amended, times the plan (1: as planned)."""


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def entries(record: ConsultRecord, factor: float) -> list[GivenEntry] | None:
    """The plan's doses times ``factor`` (to 0.5 U), each changed line with its reason."""
    if factor == 1.0:
        return None
    out = []
    for (zone, side), (units, points) in planned_doses(record.plan).items():
        scaled = min(1000.0, round(units * factor * 2) / 2)
        out.append(GivenEntry(zone=zone, side=side, units=scaled, points=points, reason="as injected"))  # type: ignore[arg-type]
    return out


def zone_totals(record: ConsultRecord, kb: KnowledgeBase) -> list[tuple[Decimal, Decimal]]:
    """(units given, limit) per zone side (a central zone as a whole)."""
    assert record.given is not None
    totals: dict[tuple[str, str], Decimal] = {}
    for line in record.given.lines:
        zone = kb.zone(line.zone)
        key = (line.zone, line.side if zone.paired else "center")
        totals[key] = totals.get(key, Decimal(0)) + Decimal(str(line.units))
    return [(units, Decimal(str(kb.zone(zone).caution_above.value))) for (zone, _), units in totals.items()]


def last_change(record: ConsultRecord) -> datetime:
    """When the doses given were last set (recorded or amended)."""
    assert record.revision is not None
    return record.revision.at


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=3, max_size=14))
def test_no_dose_is_recorded_past_a_limit_without_an_override(
    resources: Resources, make_record: MakeRecord, light_seals: None, steps: list[tuple[str, int, int]]
) -> None:
    kb = resources.kb
    with tempfile.TemporaryDirectory() as folder:
        store = TinyDBStore(Path(folder), durable=False)
        clock = Clock(datetime.combine(TODAY, time(12), UTC))  # the same calendar day in most time zones
        desk = Desk(store, clock=clock)
        for name, role in ((DIRECTOR, "medical_director"), (INJECTOR, "injector")):
            store.save_staff(StaffAccount(name=name, role=role, pin_hash=HASHES[name], created_at=clock.now), None)  # type: ignore[arg-type]
        consults: list[str] = []
        by, reason = INJECTOR, None
        for kind, first, second in steps:
            clock.now += timedelta(minutes=5)
            if kind == "days":
                clock.now += timedelta(days=first % 4)
            elif kind == "by":
                by, reason = (INJECTOR, DIRECTOR)[first % 2], ("discussed with the patient" if second % 2 else None)
            elif kind == "plan":
                patient, zones = PATIENTS[first % len(PATIENTS)], ZONES[second % len(ZONES)]
                consults.append(save_new(store, make_record(patient, day=clock.now.date(), zones=zones)).consult_id)
                consented(desk, consults[-1], kb, forms=FORMS)  # consented, so giving is limited only by doses
            elif consults:
                current = store.get(consults[first % len(consults)])
                assert current is not None
                lines = entries(current, FACTORS[second % len(FACTORS)])
                with contextlib.suppress(OverLimit, NotPermitted, NothingToGive, treatment.InvalidGiven):
                    if kind == "give":
                        treatment.give(
                            desk, current.consult_id, by, PINS[by], kb, lines,
                            clinic=CLINIC, override_reason=reason, forms=FORMS,
                        )  # fmt: skip
                    elif lines is not None:
                        treatment.amend_given(
                            desk, current.consult_id, by, PINS[by], "corrected", kb, lines,
                            clinic=CLINIC, override_reason=reason, forms=FORMS,
                        )  # fmt: skip

        maximum = Decimal(str(CLINIC.session_max_units))
        for patient in dict.fromkeys(PATIENTS):
            given = [r for r in (store.get(c) for c in consults) if r and r.patient_name == patient and r.given]
            for record in given:
                assert record.given is not None
                if record.given.override is None:
                    for units, limit in zone_totals(record, kb):
                        assert units <= limit, (record.consult_id, units, limit)
                else:
                    override = record.given.override
                    assert (override.by, override.role) == (DIRECTOR, "medical_director") and override.breaches
            if given:  # every dose is within one window (the steps span under 90 days)
                latest = max(given, key=last_change)
                assert latest.given is not None
                total = sum((Decimal(str(r.given.total_units)) for r in given if r.given), Decimal(0))
                if latest.given.override is None:
                    assert total <= maximum, (patient, total, [(r.consult_id, r.given) for r in given])
