"""``botulax-consult waiting``: what waits for whom, on both stores, in text and JSON.

Real staff accounts with argon2 PINs on standard input, real consults planned, given and signed
through the command line; each row says what it waits for (``waiting_for``), and ``--by`` lists only
what that account's role may do.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli
from tests.test_cli_lifecycle import FULL_FACE, clinic, run_consult  # noqa: F401  (the fixture, and planning)

FIELDS = {
    "waiting_for", "consult_id", "date", "patient_key", "patient_name", "patient_id", "state", "version",
    "staff", "planned_units", "given_units", "zones",
}  # fmt: skip


def _three_waiting(clinic: Cli, tmp_path: Path) -> tuple[str, str, str, Path]:  # noqa: F811
    """One consult to give, one to sign, one to co-sign (the clinic asks a director's co-signature)."""
    settings = tmp_path / "clinic.toml"
    settings.write_text('name = "Test"\nrequire_cosign = true\n', encoding="utf-8")
    to_give = run_consult(clinic)
    to_sign = run_consult(clinic)
    # another patient: the same zones given twice the same day to Mina Park would wait (their timing)
    other = tmp_path / "other_patient.yaml"
    text = Path(FULL_FACE).read_text(encoding="utf-8").replace("Mina Park", "Han Yuna")
    other.write_text(text.replace("P-1042", "P-2077").replace("1988-05-14", "1979-01-03"), encoding="utf-8")
    code, out, err = clinic(
        "run", str(other), "--staff", JUNIOR, "--clinic", str(settings), "--format", "json", "--pin-stdin",
        pins=(PINS[JUNIOR],),
    )  # fmt: skip
    assert code == 0, err
    to_cosign = json.loads(out)["consult_id"]
    for consult_id in (to_sign, to_cosign):
        assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    code, _, err = clinic(
        "sign", to_cosign, "--by", INJECTOR, "--clinic", str(settings), "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 0, err
    return to_give, to_sign, to_cosign, settings


def test_waiting_lists_each_consult_with_what_it_waits_for_as_json(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    to_give, to_sign, to_cosign, _ = _three_waiting(clinic, tmp_path)
    code, out, err = clinic("waiting", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["waiting_for"], r["consult_id"]) for r in rows] == [
        ("give", to_give),
        ("sign", to_sign),
        ("cosign", to_cosign),
    ]
    assert all(set(r) == FIELDS for r in rows)
    assert rows[0]["state"] == "planned" and rows[0]["given_units"] is None and rows[0]["staff"] == JUNIOR
    assert rows[1]["state"] == "given" and rows[1]["given_units"] == rows[1]["planned_units"]


def test_waiting_by_an_account_lists_only_what_its_role_may_do(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    _three_waiting(clinic, tmp_path)

    def kinds(name: str) -> list[str]:
        code, out, err = clinic("waiting", "--format", "json", "--by", name, "--pin-stdin", pins=(PINS[name],))
        assert code == 0, err
        return [row["waiting_for"] for row in json.loads(out)]

    assert kinds(JUNIOR) == []
    assert kinds(INJECTOR) == ["give", "sign"]
    assert kinds(DIRECTOR) == ["give", "sign", "cosign"]
    code, _, err = clinic("waiting", "--by", INJECTOR, "--pin-stdin", pins=("wrong-pin",))
    assert code == 5 and "PIN" in err


def test_waiting_as_text_says_what_each_row_waits_for_and_when_nothing_waits(
    clinic: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    code, out, _ = clinic("waiting")
    assert code == 0 and out.strip() == "Nothing waits."
    to_give, to_sign, to_cosign, _ = _three_waiting(clinic, tmp_path)
    code, out, err = clinic("waiting")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["waiting", "for", "consult"]
    assert [line.split("  ")[0] for line in lines[1:]] == ["to give", "to sign", "to co-sign"]
    assert [to_give in lines[1], to_sign in lines[2], to_cosign in lines[3]] == [True, True, True]
    code, out, _ = clinic("waiting", "--by", JUNIOR, "--pin-stdin", pins=(PINS[JUNIOR],))
    assert code == 0 and out.strip() == f"Nothing waits for what {JUNIOR} may do."
