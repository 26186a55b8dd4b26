"""Issue 22 items 5 and 6 on the command line, on both stores: a medical director who signs first
completes a record the clinic asks a co-signature for; ``amend --answers`` takes only the answers
that change; ``show`` gives the consult's answers (JSON, and as an answer file that ``run`` and
``amend`` take back)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli
from tests.test_cli_lifecycle import FULL_FACE, clinic

__all__ = ["clinic"]  # the fixture, used by name


def test_a_director_who_signs_first_completes_a_cosigned_record(clinic: Cli, tmp_path: Path) -> None:
    clinic_file = tmp_path / "clinic.toml"
    clinic_file.write_text('name = "Test"\nrequire_cosign = true\n', encoding="utf-8")
    code, out, err = clinic(
        "run", FULL_FACE, "--staff", JUNIOR, "--clinic", str(clinic_file), "--format", "json",
        "--pin-stdin", pins=(PINS[JUNIOR],),
    )  # fmt: skip
    assert code == 0, err
    consult_id = json.loads(out)["consult_id"]
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    code, out, err = clinic(
        "sign", consult_id, "--by", DIRECTOR, "--clinic", str(clinic_file), "--pin-stdin", pins=(PINS[DIRECTOR],)
    )
    assert code == 0, err
    assert out.startswith("Signed by Dr Mina Seo, reviewed and approved the treatment given, as medical director")
    assert "co-signature is still needed" not in out
    assert clinic.repository().to_sign() == []
    view = clinic.json("show", consult_id)
    assert view["awaiting_cosign"] is False and [s["role"] for s in view["signatures"]] == ["medical_director"]
