"""``history`` by clinic number, and ``show``'s columns, both stores. README says ``history
[PATIENT]`` takes a register key, a clinic number or a name, but a tryout's ``history C1001`` printed
"No consults found" (the number named only consults kept before the register). And a name two
patients share lists both, said."""

from __future__ import annotations

from pathlib import Path

from assistant.locations import EXAMPLES_DIR
from tests.helpers import Cli


def two_mina_parks(cli: Cli, tmp_path: Path) -> tuple[str, str]:
    """Mina Park P-1042 (born 1988) and another Mina Park, P-2077 (born 1979): their consult ids."""
    other = tmp_path / "other_mina.yaml"
    text = (EXAMPLES_DIR / "full_face.yaml").read_text(encoding="utf-8")
    other.write_text(
        text.replace("patient_id: P-1042", "patient_id: P-2077").replace("1988-05-14", "1979-01-03"), encoding="utf-8"
    )
    first = cli.json("run", str(EXAMPLES_DIR / "full_face.yaml"))
    second = cli.json("run", str(other))
    return first["consult_id"], second["consult_id"]  # type: ignore[index]


def test_history_by_clinic_number_lists_hers_alone(cli: Cli, tmp_path: Path) -> None:
    first, second = two_mina_parks(cli, tmp_path)
    for number in ("P-1042", "p-1042", " P-1042 "):
        rows = cli.json("history", number)
        assert [r["consult_id"] for r in rows] == [first], number  # type: ignore[index, union-attr]
    assert [r["consult_id"] for r in cli.json("history", "P-2077")] == [second]  # type: ignore[index, union-attr]
    code, out, _ = cli("history", "P-9999")
    assert code == 0 and "No consults found for 'P-9999'." in out


def test_a_name_two_patients_share_lists_both_and_says_so(cli: Cli, tmp_path: Path) -> None:
    two_mina_parks(cli, tmp_path)
    code, out, _ = cli("history", "Mina Park")
    assert code == 0 and "Mina Park (P-1042)" in out and "Mina Park (P-2077)" in out
    assert "These are the consults of 2 patients (" in out and "a clinic number or key lists one's." in out
    code, out, _ = cli("history", "P-1042")
    assert "These are the consults of" not in out


def test_show_keeps_its_plan_in_columns_whatever_the_zone_names(cli: Cli) -> None:
    """A tryout's `show` of every zone: names longer than the column pushed the side and dose of
    those rows out of line with the others."""
    plan = cli.json("run", str(EXAMPLES_DIR / "all_zones.yaml"))
    code, out, _ = cli("show", str(plan["consult_id"]))  # type: ignore[index]
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("  ") and " x " in line and " U = " in line]
    assert len(rows) > 10
    sides = {line.rstrip().rfind(side) for line in rows for side in (" center ", " left ", " right ") if side in line}
    assert len(sides) == 1, "every row's side in one column"
