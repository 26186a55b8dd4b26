"""The exported consult as a FHIR R4 Bundle: the consult's date, the plan, what was given from which
lot, the warnings, and who ran, gave and signed it. Validated by the fhir.resources models (R4B)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from assistant.locations import EXAMPLES_DIR
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters
from tests.test_cli_lifecycle import GIVEN_CHANGED, run_consult


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def exported(cli: Cli, consult_id: str, *extra: str) -> dict[str, Any]:
    code, out, err = cli("export", consult_id, "--fhir", *extra)
    assert code == 0, err
    data = json.loads(out)
    Bundle.model_validate(data) if data["resourceType"] == "Bundle" else QuestionnaireResponse.model_validate(data)
    return data


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


def test_the_bundle_holds_the_consult_date_and_every_planned_line(clinic: Cli) -> None:
    consult_id = run_consult(clinic, str(EXAMPLES_DIR / "full_face.yaml"), INJECTOR)
    bundle = exported(clinic, consult_id)
    [response] = resources(bundle, "QuestionnaireResponse")
    assert response["authored"] == "2026-11-24"  # the file's today:, not the clock's
    [patient] = resources(bundle, "Patient")
    assert patient["identifier"][0]["value"] == "P-1042" and response["subject"]["display"] == "Mina Park"
    plan = clinic.json("show", consult_id)["plan"]
    requests = resources(bundle, "MedicationRequest")
    assert len(requests) == len(plan["lines"])
    for request, line in zip(requests, plan["lines"], strict=True):
        fields = {
            e["url"]: next(v for k, v in e.items() if k.startswith("value"))
            for e in request["extension"][0]["extension"]
        }
        assert fields == {
            "zone": line["zone"], "side": line["side"], "kind": line["kind"], "points": line["points"],
            "units": line["units"], "offLabel": line["off_label"],
        }  # fmt: skip
        assert request["intent"] == "plan" and request["authoredOn"] == "2026-11-24"
        assert request["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] == line["units_per_point"]
    assert sum(r["dosageInstruction"][0]["maxDosePerAdministration"]["value"] for r in requests) == plan["total_units"]
    assert resources(bundle, "MedicationAdministration") == []


def test_warnings_and_a_refusal_are_detected_issues(clinic: Cli) -> None:
    consult_id = run_consult(clinic, str(EXAMPLES_DIR / "cap_glabella.yaml"), INJECTOR)
    issues = resources(exported(clinic, consult_id), "DetectedIssue")
    assert any(i["code"]["coding"][0]["code"] == "cap" and i["severity"] == "moderate" for i in issues)
    assert all(i["implicated"] for i in issues if i["code"]["coding"][0]["code"] == "cap")
    stopped = run_consult(clinic, str(EXAMPLES_DIR / "contraindicated_pregnant.yaml"), INJECTOR, exit_code=3)
    bundle = exported(clinic, stopped)
    assert resources(bundle, "MedicationRequest") == []
    assert [i["severity"] for i in resources(bundle, "DetectedIssue")] == ["high"]


def test_given_signed_and_amended_the_bundle_says_who_and_from_which_lot(clinic: Cli, tmp_path: Path) -> None:
    consult_id = run_consult(clinic, str(EXAMPLES_DIR / "full_face.yaml"), INJECTOR)
    given = tmp_path / "given.yaml"
    given.write_text(GIVEN_CHANGED, encoding="utf-8")
    assert (
        clinic("give", consult_id, "--by", INJECTOR, "--given", str(given), "--pin-stdin", pins=(PINS[INJECTOR],))[0]
        == 0
    )
    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    reason = "forehead recorded on the wrong line"
    args = ("amend", consult_id, "--by", DIRECTOR, "--reason", reason, "--given", str(given), "--pin-stdin")
    assert clinic(*args, pins=(PINS[DIRECTOR],))[0] == 0
    bundle = exported(clinic, consult_id)
    [medication] = resources(bundle, "Medication")
    assert medication["batch"] == {"lotNumber": "BX2311", "expirationDate": "2027-05-31"}
    given_lines = resources(bundle, "MedicationAdministration")
    assert len(given_lines) == 4 and {g["status"] for g in given_lines} == {"completed"}
    forehead = next(g for g in given_lines if "forehead" in g["dosage"]["site"]["text"])
    assert (
        forehead["dosage"]["dose"]["value"] == 10 and "differs from the plan: low brows" in forehead["note"][0]["text"]
    )
    assert forehead["performer"][0]["actor"]["display"] == INJECTOR and forehead["request"]["reference"].startswith(
        "urn:uuid:"
    )
    provenance, amendment = resources(bundle, "Provenance")
    roles = [(a["type"]["coding"][0]["code"], a["who"]["display"]) for a in provenance["agent"]]
    assert roles == [("author", INJECTOR), ("performer", INJECTOR), ("verifier", INJECTOR)]
    [signature] = provenance["signature"]
    assert signature["who"]["display"] == f"{INJECTOR} (injector): reviewed and approved the treatment given"
    assert signature["type"][0]["code"] == "1.2.840.10065.1.12.1.5"
    assert amendment["reason"][0]["text"] == reason and amendment["agent"][0]["who"]["display"] == DIRECTOR
    assert exported(clinic, consult_id) == bundle  # the same version exports the same Bundle


def test_the_response_alone_on_request(clinic: Cli) -> None:
    consult_id = run_consult(clinic, str(EXAMPLES_DIR / "full_face.yaml"), INJECTOR)
    response = exported(clinic, consult_id, "--response-only")
    assert response["resourceType"] == "QuestionnaireResponse" and response["authored"] == "2026-11-24"
