"""Issue 19, section 3, the dose arithmetic on the command line, on both stores: the asymmetry's steps
are the syringe's, a clinic naming only a 50 U vial takes the label's saline for it, and ``give`` and
``amend`` keep no dose a syringe cannot measure and no lot expired before the day of giving."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.locations import EXAMPLES_DIR
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli, owner_only_file
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters

FULL_FACE = (EXAMPLES_DIR / "full_face.yaml").read_text(encoding="utf-8").split("\n# What a rehearsal")[0]


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    """A record with a medical director and an injector."""
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


def answers(tmp_path: Path, name: str = "answers", **replace: str) -> Path:
    text = FULL_FACE
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_json(cli: Cli, path: Path, *extra: str) -> dict:
    code, out, err = cli("run", str(path), "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def kept(cli: Cli, path: Path) -> str:
    """Run and keep a consult as the injector; its id."""
    return run_json(cli, path, "--staff", INJECTOR)["consult_id"]


def give(cli: Cli, consult_id: str, *extra: str) -> tuple[int, str, str]:
    return cli("give", consult_id, "--by", INJECTOR, *extra, "--pin-stdin", pins=(PINS[INJECTOR],))


# --- 1. the asymmetry's steps are the syringe's ----------------------------------------------------------------


def test_run_takes_a_difference_of_one_syringe_step_and_refuses_one_between_the_steps(cli: Cli, tmp_path: Path) -> None:
    """At the label's 4 U per 0.1 mL half a mark is 0.2 U: 0.2 U is measured, 1.5 U is not."""
    entry = "asymmetries: [{zone: crows_feet, stronger_side: left, extra_units: %s}]"
    plan = run_json(cli, answers(tmp_path, "small", **{"asymmetries: []": entry % "0.2"}))
    sides = {
        side: sum(line["units"] for line in plan["lines"] if (line["zone"], line["side"]) == ("crows_feet", side))
        for side in ("left", "right")
    }
    assert sides == {"left": 10.2, "right": 10}
    between = answers(tmp_path, "between", **{"asymmetries: []": entry % "1.5"})
    code, _, err = cli("run", str(between))
    assert code == 2
    assert "asymmetries.0.extra_units" in err and "not in steps of 0.2 U" in err
    assert "U-100 insulin syringe" in err, "the refusal names the syringe the step comes from"


# --- 3. a clinic naming only its vial size -------------------------------------------------------------------


def test_a_clinic_file_with_only_a_50_unit_vial_plans_at_the_labels_4_units_per_0_1_ml(
    cli: Cli, tmp_path: Path
) -> None:
    settings = owner_only_file(tmp_path / "clinic.toml", 'name = "Small vials"\nvial_units = 50\n')
    plan = run_json(cli, answers(tmp_path), "--clinic", str(settings))
    assert plan["dilution"] == {"saline_ml": 1.25, "vial_units": 50, "units_per_0_1_ml": 4}
    glabella = next(line for line in plan["lines"] if line["zone"] == "glabella")
    assert (glabella["units_per_point"], glabella["ml_per_point"]) == (4, 0.1)
    assert plan["vials"] == 2, "52 U from vials of 50 U"


def test_a_vial_size_the_label_does_not_prepare_needs_its_saline(cli: Cli, tmp_path: Path) -> None:
    settings = owner_only_file(tmp_path / "clinic.toml", 'name = "Odd vials"\nvial_units = 200\n')
    code, _, err = cli("run", str(answers(tmp_path)), "--clinic", str(settings))
    assert code == 2 and "Traceback" not in err
    assert f"{settings}:2: [bad-value] vial_units:" in err and "saline_ml" in err


# --- 4. what give and amend keep -----------------------------------------------------------------------------


def given_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "given.yaml"
    path.write_text(text, encoding="utf-8")
    return path


PLANNED = """\
  - {zone: glabella, units: 20, points: 5}
  - {zone: forehead, units: 12, points: 6}
  - {zone: crows_feet, side: left, units: 10, points: 4}
"""


def test_give_refuses_a_dose_no_syringe_measures(clinic: Cli, tmp_path: Path) -> None:
    """Seen: 1e-300 U accepted as a given line."""
    consult_id = kept(clinic, answers(tmp_path))
    tiny = given_file(
        tmp_path,
        "lot: BX2311\nexpiry: 2027-05-31\nlines:\n"
        + PLANNED
        + "  - {zone: crows_feet, side: right, units: 1e-300, points: 4, reason: a slip}\n",
    )
    code, _, err = give(clinic, consult_id, "--given", str(tiny))
    assert code == 2 and "Traceback" not in err
    assert f"{tiny}:7: [given] line 4 (crows_feet right): 1e-300 U in 4 points is not a dose the syringe" in err
    assert "steps of 0.2 U, at least one (0.8 U for 4 points)" in err
    assert "nothing was recorded" in err
    between = given_file(
        tmp_path,
        "lot: BX2311\nexpiry: 2027-05-31\nlines:\n"
        + PLANNED
        + "  - {zone: crows_feet, side: right, units: 9.9, points: 4, reason: less on the right}\n",
    )
    code, _, err = give(clinic, consult_id, "--given", str(between))
    assert code == 2 and "9.9 U in 4 points is not a dose the syringe measures" in err
    assert clinic.json("show", consult_id)["state"] == "planned"


def test_give_refuses_a_lot_expired_before_the_day_of_giving(clinic: Cli, tmp_path: Path) -> None:
    """Seen: a 2020 expiry recorded from a given file with no vial."""
    consult_id = kept(clinic, answers(tmp_path))
    expired = given_file(
        tmp_path,
        "lot: OLD2020\nexpiry: 2020-05-31\nlines:\n"
        + PLANNED
        + "  - {zone: crows_feet, side: right, units: 10, points: 4}\n",
    )
    code, _, err = give(clinic, consult_id, "--given", str(expired))
    assert code == 2 and "Traceback" not in err
    today = dt.date.today().isoformat()
    assert f"line 1 (glabella center): lot OLD2020 expired on 2020-05-31, before the day of giving ({today})" in err
    assert err.count("lot OLD2020 expired") == 4, "every line is named"
    assert clinic.json("show", consult_id)["state"] == "planned"


def test_give_of_the_plan_refuses_the_consults_own_expired_lot(clinic: Cli, tmp_path: Path) -> None:
    """A back-entered consult kept its lot; by the day of giving the lot had expired."""
    path = answers(
        tmp_path,
        **{
            "today: 2026-11-24": "today: 2020-01-10",
            "goals:": "lot_number: LOT19\nlot_expiry: 2020-06-30\ngoals:",
        },
    )
    consult_id = kept(clinic, path)
    code, _, err = give(clinic, consult_id)
    assert code == 2 and "Traceback" not in err
    assert f"consult {consult_id}: line 1 (glabella center): lot LOT19 expired on 2020-06-30" in err
    assert clinic.json("show", consult_id)["given"] in (None, [])


def test_amend_refuses_an_expired_lot_and_an_unmeasurable_dose(clinic: Cli, tmp_path: Path) -> None:
    consult_id = kept(clinic, answers(tmp_path))
    assert give(clinic, consult_id)[0] == 0
    expired = given_file(
        tmp_path,
        "lines:\n"
        + PLANNED
        + "  - {zone: crows_feet, side: right, units: 10, points: 4, lot: OLD2020, expiry: 2020-05-31}\n",
    )
    code, _, err = clinic(
        "amend", consult_id, "--by", DIRECTOR, "--reason", "the lot of the right side", "--given", str(expired),
        "--pin-stdin", pins=(PINS[DIRECTOR],),
    )  # fmt: skip
    assert code == 2 and "line 4 (crows_feet right): lot OLD2020 expired on 2020-05-31" in err
    assert "nothing was amended" in err
    unmeasurable = given_file(
        tmp_path, "lines:\n" + PLANNED + "  - {zone: crows_feet, side: right, units: 0.1, points: 1, reason: a slip}\n"
    )
    code, _, err = clinic(
        "amend", consult_id, "--by", DIRECTOR, "--reason", "one point on the right", "--given", str(unmeasurable),
        "--pin-stdin", pins=(PINS[DIRECTOR],),
    )  # fmt: skip
    assert code == 2 and "0.1 U in 1 point is not a dose the syringe measures" in err
    assert clinic.json("show", consult_id)["version"] == 3  # version 2: the consent


def test_amend_says_when_doses_are_left_without_a_lot(clinic: Cli, tmp_path: Path) -> None:
    """``give`` warned of doses no lot traces; ``amend --given`` recorded the same without a word."""
    consult_id = kept(clinic, answers(tmp_path))  # no lot named at the consult
    code, _, err = give(clinic, consult_id)
    assert code == 0 and "warning: 52 U were recorded without a lot" in err
    amend = ("amend", consult_id, "--by", DIRECTOR, "--pin-stdin")
    right = "  - {zone: crows_feet, side: right, units: 8, points: 4, reason: milder}\n"
    no_lot = given_file(tmp_path, "lines:\n" + PLANNED + right)
    code, _, err = clinic(*amend, "--reason", "8 U on the right", "--given", str(no_lot), pins=(PINS[DIRECTOR],))
    assert code == 0 and "warning: 50 U were recorded without a lot (none was named, no vial drawn from)" in err, err
    traced = given_file(tmp_path, "lot: BX2311\nexpiry: 2027-05-31\nlines:\n" + PLANNED + right)
    code, _, err = clinic(*amend, "--reason", "the lot, read off", "--given", str(traced), pins=(PINS[DIRECTOR],))
    assert code == 0 and "without a lot" not in err, err
