"""A given line drawn from two vials (the first ran out mid-treatment) is traced to both, unit for
unit: ``show`` names each lot with its units, ``show --format json`` lists the line's ``draws``, and
the FHIR export gives one MedicationAdministration per draw, each against its own lot's Medication."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import INJECTOR, PINS, Cli
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters
from tests.test_cli_vials import consult_on, open_vial
from tests.test_fhir_bundle import exported, resources


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


def given_from_two_vials(clinic: Cli, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """52 U from a 50 U vial of lot L-A, then lot L-B: the right crow's feet, the last line, takes
    the first vial's last units and 2 U of the second."""
    assert open_vial(clinic, "L-A", "--units", "50")[0] == 0 and open_vial(clinic, "L-B")[0] == 0
    ids = {v["lot"]: v["vial_id"] for v in clinic.json("vial", "list", "--open")}
    consult = consult_on(clinic, tmp_path, "Han Yu", dt.date.today().isoformat(), "P-77")
    args = ("give", consult, "--by", INJECTOR, "--vial", ids["L-A"], "--vial", ids["L-B"], "--pin-stdin")
    code, _, err = clinic(*args, pins=(PINS[INJECTOR],))
    assert code == 0, err
    return consult, ids


def test_show_names_both_lots_of_a_line_with_their_units(clinic: Cli, tmp_path: Path) -> None:
    consult, ids = given_from_two_vials(clinic, tmp_path)
    given: list[dict[str, Any]] = clinic.json("show", consult)["given"]
    [spanning] = [line for line in given if len(line["draws"]) > 1]
    first, second = spanning["draws"]
    assert (first["lot"], first["vial_id"], second["lot"], second["vial_id"]) == ("L-A", ids["L-A"], "L-B", ids["L-B"])
    assert second["units"] == 2 and first["units"] + second["units"] == spanning["units"]
    assert first["expiry"] == second["expiry"] == "2027-05-31"
    assert (spanning["lot"], spanning["vial_id"], spanning["expiry"]) == ("L-A", ids["L-A"], "2027-05-31"), "kept"
    others = [line for line in given if line is not spanning]
    assert all(len(line["draws"]) == 1 and line["draws"][0]["units"] == line["units"] for line in others)

    code, out, err = clinic("show", consult)
    assert code == 0, err
    a, b = ids["L-A"][-8:], ids["L-B"][-8:]
    spans = f"lot L-A {first['units']:g} U (vial {a}) + lot L-B 2 U (vial {b})"
    [row] = [row for row in out.splitlines() if spans in row]
    assert row.split()[:2] == [spanning["zone"], spanning["side"]]
    one_vial = [row for row in out.splitlines() if " U in " in row and row.endswith("  lot L-A")]
    assert len(one_vial) == len(others), "a line from one vial is said as before: its lot alone"


def test_the_fhir_bundle_gives_each_draw_its_lots_medication(clinic: Cli, tmp_path: Path) -> None:
    consult, ids = given_from_two_vials(clinic, tmp_path)
    given: list[dict[str, Any]] = clinic.json("show", consult)["given"]
    spanning = next(line for line in given if len(line["draws"]) > 1)
    bundle = exported(clinic, consult)
    medications = {e["fullUrl"]: e["resource"]["batch"]["lotNumber"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Medication"}  # fmt: skip
    assert sorted(medications.values()) == ["L-A", "L-B"]
    administrations = resources(bundle, "MedicationAdministration")
    assert len(administrations) == len(given) + 1, "the line from two vials is two administrations"
    site = spanning["zone"] if spanning["side"] == "center" else f"{spanning['zone']}, {spanning['side']}"
    parts = [a for a in administrations if a["dosage"]["site"]["text"] == site]
    lots = [medications[a["medicationReference"]["reference"]] for a in parts]
    doses = [a["dosage"]["dose"]["value"] for a in parts]
    assert lots == ["L-A", "L-B"] and doses == [d["units"] for d in spanning["draws"]]
    assert sum(doses) == spanning["units"]
    assert ids["L-B"] in parts[1]["dosage"]["text"] and parts[0]["request"] == parts[1]["request"]
    units_by_lot = {"L-A": 0.0, "L-B": 0.0}
    for administration in administrations:
        units_by_lot[medications[administration["medicationReference"]["reference"]]] += administration["dosage"][
            "dose"
        ]["value"]
    assert units_by_lot == {"L-A": 50, "L-B": 2}, "every unit under its own lot"
    assert exported(clinic, consult) == bundle, "the same version exports the same Bundle"
