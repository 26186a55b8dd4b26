"""``script approve FILE --by DIRECTOR`` (issue 24): a medical director takes a script version into
use, a signed act in the audit trail with the script's SHA-256; nobody else can. On both stores."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.cli import main
from assistant.locations import SCRIPT_FILE
from tests.helpers import DIRECTOR, INJECTOR, PINS, Cli
from tests.test_signed_acts import clinic  # noqa: F401 (the fixture)


def test_a_director_approves_a_workbook_and_the_trail_keeps_its_sha256(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    workbook = tmp_path / "consult.xlsx"
    assert main(["script", "export", "--xlsx", str(workbook)]) == 0
    code, out, err = clinic("script", "approve", str(workbook), "--by", DIRECTOR, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 0, err
    digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
    assert f"Approved script botulax-consult version 1.4.1 (sha256 {digest}), by {DIRECTOR}." in out
    assert PINS[DIRECTOR] not in out + err
    last = clinic.json("audit")[-1]
    assert last["action"] == "script approved" and last["actor"] == DIRECTOR and last["signature"]
    assert digest in last["detail"] and "version 1.4.1" in last["detail"]
    code, _, err = clinic("audit", "verify")
    assert code == 0, err


def test_only_a_medical_director_approves(clinic: Cli) -> None:  # noqa: F811
    before = len(clinic.json("audit"))
    code, _, err = clinic(
        "script", "approve", str(SCRIPT_FILE), "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],)
    )
    assert code == 5 and "approve a question script" in err, err
    assert not [e for e in clinic.json("audit")[before:] if e["action"] == "script approved"]
    code, _, err = clinic("script", "approve", str(SCRIPT_FILE), "--by", DIRECTOR, "--pin-stdin", pins=("wrong-pin",))
    assert code == 5
    assert not [e for e in clinic.json("audit") if e["action"] == "script approved"]


def test_a_script_with_problems_is_not_approved(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    broken = tmp_path / "consult.yaml"
    broken.write_text(SCRIPT_FILE.read_text(encoding="utf-8").replace("prompt: Is the", "promt: Is the"), "utf-8")
    code, _, err = clinic("script", "approve", str(broken), "--by", DIRECTOR, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 2 and "not approved:" in err
    assert not [e for e in clinic.json("audit") if e["action"] == "script approved"]
