"""Reasons and signature meanings have a length limit, refused with a sentence on every path.

Issue 20: an amendment's reason, a given line's reason, a vial's waste reason, a merge's reason and
a signature's meaning are shown on the record, the printout and in the trail: a sentence or two,
at most ``MAX_REASON_LENGTH`` characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.text_safety import MAX_REASON_LENGTH, reason_problem
from tests.conftest import MakeRecord
from tests.helpers import Cli, keep
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters

DIRECTOR, INJECTOR = "Dr Mina Seo", "Ina Choi"
PIN = {DIRECTOR: "471100", INJECTOR: "258000"}
TOO_LONG = "x" * (MAX_REASON_LENGTH + 1)
LONGEST = "y" * MAX_REASON_LENGTH


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


def planned(cli: Cli, make_record: MakeRecord) -> str:
    """A planned consult (glabella, as the planner plans it), kept as the program keeps one."""
    record = make_record("Kim Ji-woo")
    keep(cli.repository(), record)
    return record.consult_id


def given_file(tmp_path: Path, reason: str) -> Path:
    """Glabella given other than planned, with ``reason`` (on line 4)."""
    path = tmp_path / "given.yaml"
    text = f"lot: BX2311\nexpiry: 2027-05-31\nlines:\n  - {{zone: glabella, units: 1, points: 1, reason: {reason}}}\n"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_given_line_with_a_reason_too_long_is_refused_at_its_line(
    clinic: Cli, tmp_path: Path, make_record: MakeRecord
) -> None:
    consult_id = planned(clinic, make_record)
    path = given_file(tmp_path, TOO_LONG)
    code, _, err = clinic(
        "give", consult_id, "--by", INJECTOR, "--given", str(path), "--pin-stdin", pins=(PIN[INJECTOR],)
    )
    assert code == 2 and f"given.yaml:4: [given] A reason has at most {MAX_REASON_LENGTH} characters" in err
    assert clinic.json("show", consult_id)["state"] == "planned"
    path = given_file(tmp_path, LONGEST)
    code, _, err = clinic(
        "give", consult_id, "--by", INJECTOR, "--given", str(path), "--pin-stdin", pins=(PIN[INJECTOR],)
    )
    assert code == 0, err


def test_an_amendment_or_a_meaning_too_long_is_refused(clinic: Cli, tmp_path: Path, make_record: MakeRecord) -> None:
    consult_id = planned(clinic, make_record)
    code, _, err = clinic(
        "sign", consult_id, "--by", INJECTOR, "--meaning", TOO_LONG, "--pin-stdin", pins=(PIN[INJECTOR],)
    )
    assert code == 5 and f"A signature's meaning has at most {MAX_REASON_LENGTH} characters" in err
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PIN[INJECTOR],))[0] == 0
    path = given_file(tmp_path, "low brows")
    code, _, err = clinic(
        "amend", consult_id, "--by", INJECTOR, "--reason", TOO_LONG, "--given", str(path), "--pin-stdin",
        pins=(PIN[INJECTOR],),
    )  # fmt: skip
    assert code == 5 and f"An amendment's reason has at most {MAX_REASON_LENGTH} characters" in err
    view = clinic.json("show", consult_id)
    assert view["version"] == 3 and view["signatures"] == []  # version 2: the consent


def test_a_vial_waste_reason_or_a_merge_reason_too_long_is_refused(clinic: Cli) -> None:
    code, out, err = clinic(
        "vial", "open", "--lot", "BX2311", "--expiry", "2099-05-31", "--by", INJECTOR, "--pin-stdin",
        pins=(PIN[INJECTOR],),
    )  # fmt: skip
    assert code == 0, err
    vial_id = out.split()[2].rstrip(":")
    code, _, err = clinic(
        "vial", "close", vial_id, "--by", INJECTOR, "--wasted", "10", "--reason", TOO_LONG, "--pin-stdin",
        pins=(PIN[INJECTOR],),
    )  # fmt: skip
    assert code == 2 and f"has at most {MAX_REASON_LENGTH} characters" in err
    assert clinic.repository().vial(vial_id).state == "open"
    code, _, err = clinic(
        "patient", "merge", "pt:a", "pt:b", "--by", DIRECTOR, "--reason", TOO_LONG, "--pin-stdin",
        pins=(PIN[DIRECTOR],),
    )  # fmt: skip
    assert code == 5 and f"A merge's reason has at most {MAX_REASON_LENGTH} characters" in err


def test_the_limit_is_on_characters_whatever_the_script() -> None:
    assert reason_problem("가" * MAX_REASON_LENGTH) is None
    problem = reason_problem("가" * (MAX_REASON_LENGTH + 1), "A reason")
    assert problem is not None and f"({MAX_REASON_LENGTH + 1} given)" in problem
    assert reason_problem(None) is None
