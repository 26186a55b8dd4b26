"""A vial made up at another dilution than a plan's volumes is never offered nor drawn from for it:
the plan's mL per point would give another dose (0.100 mL of 100 U in 1.25 mL is 8 U, not 4 U)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.core.lifecycle.vials import (
    Vial,
    VialRefused,
    dilution_problem,
    not_offered_for_dilution,
    offered,
    plan_draws,
    units_per_ml,
)
from tests.staff_register import DIRECTOR_AND_INJECTOR, StaffRegisters
from tests.test_cli_lifecycle import INJECTOR, PINS, Cli
from tests.test_cli_vials import consult_on, open_vial
from tests.test_vials import Clinic, clinic  # noqa: F401  (the fixture)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
PLANS = units_per_ml(2.5, 100)  # the label's: 4 U per 0.1 mL


def vial(units: float, saline_ml: float, vial_id: str = "v1") -> Vial:
    return Vial(
        vial_id=vial_id, lot="X5", expiry=date(2027, 6, 30), units=units, units_left=units, saline_ml=saline_ml,
        opened_at=NOW, use_by=datetime(2026, 12, 2, 9, 0, tzinfo=UTC), opened_by="Ina Choi",
    )  # fmt: skip


def test_a_vial_at_twice_the_strength_is_said_with_both_dilutions_and_what_it_would_give() -> None:
    problem = dilution_problem(vial(100, 1.25), PLANS)
    assert problem is not None
    assert "holds 8 U per 0.1 mL (100 U in 1.25 mL)" in problem
    assert "the plan's volumes are for 4 U per 0.1 mL" in problem and "2 times the dose planned" in problem
    assert dilution_problem(vial(50, 1.25), PLANS) is None, "50 U in 1.25 mL is the plan's 4 U per 0.1 mL"
    tiny = dilution_problem(vial(100, 0.0001), PLANS)
    assert tiny is not None and "holds 100000 U per 0.1 mL" in tiny and "25000 times" in tiny, "never 1e+05"
    assert tiny.startswith("Vial v1 (lot X5)"), "the vial's short id, as vial list shows it"


@given(
    units=st.sampled_from([50, 100]),
    saline=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(10), places=2),
    needs=st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=4),
)
def test_a_vial_is_offered_and_drawn_from_only_at_the_plans_very_dilution(
    units: int, saline: Decimal, needs: list[int]
) -> None:
    made_up = vial(units, float(saline))
    same = Fraction(units) / Fraction(saline) == PLANS
    assert (offered([made_up], NOW, PLANS) == [made_up]) is same
    assert bool(not_offered_for_dilution([made_up], NOW, PLANS)) is not same
    if same:
        draws = plan_draws([made_up], [float(n) for n in needs], NOW, PLANS)
        assert sum(d.units for line in draws for d in line) == sum(needs)
    else:
        with pytest.raises(VialRefused, match="times the dose planned"):
            plan_draws([made_up], [float(n) for n in needs], NOW, PLANS)


def test_giving_from_a_vial_at_another_dilution_is_refused_and_nothing_is_drawn(clinic: Clinic) -> None:  # noqa: F811
    strong = clinic.open(lot="X5", saline_ml=1.25)
    consult = clinic.consult("Kim Ji-woo", date(2026, 12, 1), lot="X5")
    with pytest.raises(VialRefused, match=r"holds 8 U per 0\.1 mL .* 2 times the dose planned"):
        clinic.give(consult, strong.vial_id)
    assert clinic.desk.repository.vial(strong.vial_id).units_left == 100  # type: ignore[union-attr]
    assert clinic.desk.repository.get(consult).given is None  # type: ignore[union-attr]
    with pytest.raises(VialRefused, match="times the dose planned"):
        clinic.give(consult)  # the one vial of the consult's lot, taken by default: refused alike
    small = clinic.open(lot="H-1", units=50, saline_ml=1.25)  # 4 U per 0.1 mL: the plan's
    assert clinic.give(consult, small.vial_id).given is not None
    # named by no one, the one vial at the plan's dilution is the one drawn from: the other is no choice
    # (a tryout's give listed both as "several vials open")
    other = clinic.consult("Lee Bora", date(2026, 12, 1), lot_number=None)
    drawn = clinic.give(other).given
    assert drawn is not None and {d.vial_id for line in drawn.lines for d in line.draws} == {small.vial_id}


@pytest.fixture
def staffed(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    return staff_registers.copy_into(cli, DIRECTOR_AND_INJECTOR)


@pytest.mark.parametrize("saline", ["-1", "0", "nan", "inf", "1e9", "lots"])
def test_vial_open_refuses_a_volume_of_saline_that_is_none_in_a_sentence(
    staffed: Cli, saline: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:  # argparse's own refusal, exit 2 (a traceback before)
        open_vial(staffed, "X1", f"--saline-ml={saline}")
    assert usage.value.code == 2 and f"'{saline}' is not a volume of saline" in capsys.readouterr().err
    assert staffed.json("vial", "list") == []


def test_vial_open_says_a_dilution_no_plan_draws_from_and_give_refuses_it(staffed: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = open_vial(staffed, "X5", "--saline-ml", "1.25")
    assert code == 0, err
    assert "Note: it holds 8 U per 0.1 mL, and the clinic's plans give volumes for 4 U per 0.1 mL" in out
    [opened] = staffed.json("vial", "list", "--open")
    assert opened["warning"] == "not the clinic's dilution: no plan draws from it", "said in the list too"
    consult = consult_on(staffed, tmp_path, "Mina Park", date.today().isoformat(), "P-1")
    code, _, err = staffed(
        "give", consult, "--by", INJECTOR, "--vial", opened["vial_id"], "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 2 and "2 times the dose planned" in err
    assert staffed.json("show", consult)["state"] == "planned"
    assert staffed.json("vial", "list")[0]["units_left"] == 100
