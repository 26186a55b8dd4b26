"""The plan says when the dilution changed since the patient's last visit (issue 20, section 4):
2.5 mL a vial at the last visit and 5 mL now doubles every volume per point, so the plan and the
dose summary name both dilutions (``dilution_changed``); the same dilution says nothing. The real
command line on both stores; the pure rule on its own."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

from assistant.core.dilution_change import DILUTION_CHANGED, dilution_changed
from assistant.core.plan import VisitDilution
from tests.helpers import INJECTOR, PINS, Cli, pin_calendar
from tests.test_cli_lifecycle import FULL_FACE, clinic  # noqa: F401 (the fixture)

LAST = VisitDilution(consult_id="c1", given_on=date(2026, 11, 24), saline_ml=2.5, vial_units=100)


def test_the_rule_names_both_dilutions_and_says_nothing_when_the_strength_is_the_same() -> None:
    warning = dilution_changed(LAST, Fraction(5), Fraction(100))
    assert warning is not None and warning.code == DILUTION_CHANGED
    assert "2.5 mL of saline per 100 U vial (4 U per 0.1 mL) then" in warning.message
    assert "5 mL of saline per 100 U vial (2 U per 0.1 mL) now" in warning.message
    assert "2026-11-24" in warning.message
    assert dilution_changed(LAST, Fraction(5, 2), Fraction(100)) is None
    assert dilution_changed(LAST, Fraction(5, 4), Fraction(50)) is None, "the same strength in a 50 U vial"
    assert dilution_changed(None, Fraction(5), Fraction(100)) is None, "no earlier visit"


def settings(tmp_path: Path, saline_ml: float) -> str:
    path = tmp_path / f"clinic-{saline_ml:g}.toml"
    path.write_text(f'name = "Test"\nsaline_ml = {saline_ml}\n', encoding="utf-8")
    return str(path)


def plan_again(cli: Cli, tmp_path: Path, saline_ml: float) -> tuple[dict, str]:  # type: ignore[type-arg]
    """The same patient four months later (her zones due again), at ``saline_ml``: the plan as JSON
    and its dose summary as text."""
    later = tmp_path / "later.yaml"
    text = Path(FULL_FACE).read_text(encoding="utf-8").split("\n# What a rehearsal")[0]
    later.write_text(text.replace("today: 2026-11-24", "today: 2027-03-24"), encoding="utf-8")
    clinic_file = settings(tmp_path, saline_ml)
    code, out, err = cli("run", str(later), "--staff", INJECTOR, "--clinic", clinic_file, "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    code, summary, err = cli(
        "print", plan["consult_id"], "--what", "summary", "--format", "text", "--clinic", clinic_file
    )
    assert code == 0, err
    return plan, summary


def test_a_new_dilution_since_the_last_visit_is_said_on_the_plan_and_the_summary(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    pin_calendar(clinic.monkeypatch, date(2027, 4, 1))
    code, out, err = clinic(
        "run", FULL_FACE, "--staff", INJECTOR, "--clinic", settings(tmp_path, 2.5), "--format", "json"
    )
    assert code == 0, err
    first = json.loads(out)["consult_id"]
    assert clinic("give", first, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0

    plan, summary = plan_again(clinic, tmp_path, 5)
    [warning] = [w for w in plan["warnings"] if w["code"] == DILUTION_CHANGED]
    for words in ("2.5 mL of saline per 100 U vial", "5 mL of saline per 100 U vial", "2026-11-24"):
        assert words in warning["message"] and words in " ".join(summary.split()), words

    plan, summary = plan_again(clinic, tmp_path, 2.5)
    assert DILUTION_CHANGED not in {w["code"] for w in plan["warnings"]}
    assert "dilution changed" not in summary
