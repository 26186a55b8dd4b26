"""Issue 22.9 on the command line: ``vial close`` takes the short id or the lot of the one open vial
of it (several: it names them), ``give`` draws from the vial of the consult's lot when several are
open, ``vial list`` fits 80 columns (``--wide`` shows ids whole), and counts read in good English."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import assistant
from assistant.core.text import counted, fill
from tests.test_cli_lifecycle import INJECTOR, PINS, Cli
from tests.test_cli_vials import clinic, consult_on, open_vial  # noqa: F401 (the fixture)


def open_ids(cli: Cli, lot: str) -> list[str]:
    return [v["vial_id"] for v in cli.json("vial", "list", "--open") if v["lot"] == lot]  # type: ignore[union-attr]


def close(cli: Cli, name: str) -> tuple[int, str, str]:
    return cli("vial", "close", name, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))


@pytest.mark.slow  # command-line workflows with staff PINs, on both stores
def test_vial_close_takes_the_lot_of_the_one_open_vial_and_names_them_when_several(clinic: Cli) -> None:  # noqa: F811
    assert open_vial(clinic, "BX2311")[0] == 0
    [only] = open_ids(clinic, "BX2311")
    code, out, err = close(clinic, "bx 2311")  # a lot as written on the carton, spaces and case aside
    assert code == 0, err
    assert f"Closed vial {only} (lot BX2311)" in out and open_ids(clinic, "BX2311") == []

    for _ in range(2):
        assert open_vial(clinic, "L-7")[0] == 0
    two = open_ids(clinic, "L-7")
    code, out, err = close(clinic, "L-7")
    assert code != 0 and "2 vials of lot L-7 are open" in err and all(vial_id in err for vial_id in two)
    assert sorted(open_ids(clinic, "L-7")) == sorted(two), "nothing closed"
    code, out, err = close(clinic, two[0].rsplit("-", 1)[-1].lower())  # the short id of vial list
    assert code == 0, err
    assert open_ids(clinic, "L-7") == [two[1]]
    code, _, err = close(clinic, "NOPE")
    assert code != 0 and "There is no open vial NOPE" in err


@pytest.mark.slow  # command-line workflows with staff PINs, on both stores
def test_give_draws_from_the_vial_of_the_consults_lot_when_several_are_open(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    for lot in ("A-1", "B-2"):
        assert open_vial(clinic, lot)[0] == 0
    [b_vial] = open_ids(clinic, "B-2")
    consult = consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1", "[glabella]")
    code, _, err = clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code != 0 and "Several vials are open" in err, "no lot on the consult: which vial is still asked"

    answers = tmp_path / "with-lot.yaml"
    text = (tmp_path / "P-1.yaml").read_text(encoding="utf-8")
    answers.write_text(text + "lot_number: B-2\nlot_expiry: 2027-05-31\n", encoding="utf-8")
    from tests.test_cli_lifecycle import run_consult

    with_lot = run_consult(clinic, str(answers), INJECTOR)
    code, _, err = clinic("give", with_lot, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    given = clinic.json("show", with_lot)["given"]  # type: ignore[index]
    assert {line["vial_id"] for line in given} == {b_vial} and {line["lot"] for line in given} == {"B-2"}


@pytest.mark.slow  # command-line workflows with staff PINs, on both stores
def test_vial_list_fits_80_columns_and_wide_shows_ids_whole(clinic: Cli) -> None:  # noqa: F811
    long_lot = "LOT-2026-11-BOTULAX-100U-KR-0042"
    stale = (dt.datetime.now() - dt.timedelta(hours=23, minutes=30)).strftime("%Y-%m-%dT%H:%M")
    assert open_vial(clinic, long_lot, "--at", stale)[0] == 0  # in its last hours: a warning line
    assert open_vial(clinic, "BX2311")[0] == 0
    code, out, _ = clinic("vial", "list")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80]
    whole = [v["vial_id"] for v in clinic.json("vial", "list")]  # type: ignore[union-attr]
    assert all(vial_id.rsplit("-", 1)[-1] in out and vial_id not in out for vial_id in whole)
    assert any(line.startswith("  ! ") for line in lines), "the warning under its vial"
    rows = [line for line in lines if line[:1].isalnum()]
    assert "--wide shows them whole" in out and not any(long_lot in row for row in rows), "the lot cut in its column"
    code, out, _ = clinic("vial", "list", "--wide")
    assert all(vial_id in out for vial_id in whole) and long_lot in out


def test_counts_agree_with_their_nouns() -> None:
    assert [counted(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert counted(1, "idle minute") == "1 idle minute" and counted(0.5, "idle minute") == "0.5 idle minutes"
    assert counted(3, "mismatch", "mismatches") == "3 mismatches"
    assert fill("it was treated {days} days ago", days=1) == "it was treated 1 day ago"
    assert fill("it was treated {days} days ago", days=12) == "it was treated 12 days ago"
    assert fill("{days}일 전", days=1) == "1일 전"


def test_no_module_makes_a_plural_of_its_own() -> None:
    """One helper (``counted``) everywhere: no "(s)" and no hand-made "s" if n != 1 left in the package."""
    hand_made = re.compile(r"""\{['"](s|es)['"] if |[A-Za-z]\(s\)[\s,.;]""")
    found = [
        f"{path.name}:{n}"
        for path in Path(assistant.__file__).parent.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hand_made.search(line)
    ]
    assert not found, found
