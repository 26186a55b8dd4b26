"""What was given, in a consult's FHIR Bundle: a ``Medication`` per lot given from (its batch: lot
number and expiry) and a ``MedicationAdministration`` per line given, against its request.

A line drawn from several vials (the first ran out mid-treatment) is one ``MedicationAdministration``
per draw, each with that draw's units as its dose and its own lot's ``Medication``. FHIR R4 gives an
administration exactly one ``medication[x]`` (1..1), so one resource cannot name two lots; a
``Medication`` whose ingredients were the two lots would say a mixture was injected, which it was
not. The administrations of one line share its site, request, time and performer; each says in its
dosage text which vial it was drawn from and the line it is part of, and their doses add up to the
line's units. A line from one vial (or none of the ledger) stays one administration, with the id it
always had (the first draw of a line keeps that id too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant.core.lifecycle.given_lines import Given, GivenLine, VialDraw
from assistant.exchange.fhir.values import instant

UCUM = "http://unitsofmeasure.org"
UNITS = {"value": 0.0, "unit": "U", "system": UCUM, "code": "[iU]"}
PRODUCT = "Botulax (letibotulinumtoxinA)"

Entries = list[tuple[str, dict[str, Any]]]


def site(label: str, side: str) -> dict[str, Any]:
    return {"text": label if side == "center" else f"{label}, {side}"}


def given_entries(
    given: Given, patient: str, requests: Mapping[tuple[str, str], str], ref: Callable[..., str]
) -> tuple[Entries, list[str]]:
    """The Medications and MedicationAdministrations of ``given``, and the administrations' ids;
    ``requests`` are the MedicationRequests by zone and side, ``ref(kind, *parts)`` makes the ids."""
    entries: Entries = []
    medications: dict[str, str] = {}
    for line in given.lines:
        for lot, expiry in ((d.lot, d.expiry) for d in line.draws) if line.draws else [(line.lot, line.expiry)]:
            key = lot or ""
            if key not in medications:
                medications[key] = ref("medication", key)
                entries.append((medications[key], _medication(lot, expiry)))
    administrations: list[str] = []
    for index, line in enumerate(given.lines):
        request = requests.get((line.zone, line.side))
        if len(line.draws) > 1:
            for number, draw in enumerate(line.draws):
                url = ref("administration", index, *([number] if number else []))
                data = _administration(given, line, patient, medications[draw.lot], request, draw)
                entries.append((url, data))
                administrations.append(url)
        else:
            lot = line.draws[0].lot if line.draws else line.lot
            url = ref("administration", index)
            entries.append((url, _administration(given, line, patient, medications[lot or ""], request)))
            administrations.append(url)
    return entries, administrations


def _medication(lot: str | None, expiry: object) -> dict[str, Any]:
    data: dict[str, Any] = {"resourceType": "Medication", "code": {"text": PRODUCT}}
    batch: dict[str, Any] = {}
    if lot:
        batch["lotNumber"] = lot
    if expiry is not None:
        batch["expirationDate"] = str(expiry)
    if batch:
        data["batch"] = batch
    return data


def _administration(
    given: Given,
    line: GivenLine,
    patient: str,
    medication: str,
    request: str | None,
    draw: VialDraw | None = None,
) -> dict[str, Any]:
    """One line given (``draw``: the part of it drawn from one vial, for a line drawn from several)."""
    data: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "status": "completed" if line.units > 0 else "not-done",
        "medicationReference": {"reference": medication},
        "subject": {"reference": patient},
        "effectiveDateTime": instant(given.at),
        "performer": [{"actor": {"display": given.by}}],
    }
    if line.units > 0:
        text = f"{line.units:g} U in {line.points} points" + (f" ({line.ml:g} mL)" if line.ml else "")
        if draw is not None:
            text = f"{draw.units:g} U of {text}, drawn from vial {draw.vial_id} (lot {draw.lot})"
        data["dosage"] = {
            "text": text,
            "site": site(line.zone, line.side),
            "dose": {**UNITS, "value": draw.units if draw is not None else line.units},
        }
    if request is not None:
        data["request"] = {"reference": request}
    notes = [text for text in (line.reason and f"differs from the plan: {line.reason}", line.note) if text]
    if line.units <= 0:
        data["statusReason"] = [{"text": line.reason or "not given"}]
    if notes:
        data["note"] = [{"text": text} for text in notes]
    return data
