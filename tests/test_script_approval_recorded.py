"""Consults record whether the script they ran was approved (issue 24.5), on both stores.

The approval is matched by the SHA-256 of the script file's bytes, so a copy approved under one
name is approved under another; an edited script is not, even when the shipped one is. What a record
says is covered by its content hash: turning "not approved" into "approved" in the store is named
by ``audit verify``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from assistant.locations import SCRIPT_FILE
from assistant.records.tinydb.store import TinyDBStore
from tests.helpers import DIRECTOR, JUNIOR, PINS, Cli
from tests.test_cli_lifecycle import FULL_FACE, run_consult
from tests.test_signed_acts import clinic  # noqa: F401 (the fixture)

SHIPPED = hashlib.sha256(SCRIPT_FILE.read_bytes()).hexdigest()


def shown(clinic: Cli, consult_id: str) -> dict[str, object]:  # noqa: F811
    code, out, err = clinic("show", consult_id, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def approve(clinic: Cli, path: Path) -> None:  # noqa: F811
    code, _, err = clinic("script", "approve", str(path), "--by", DIRECTOR, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 0, err


def test_a_consult_says_its_script_was_not_approved_then_approved_once_a_copy_is(
    clinic: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    before = run_consult(clinic)
    view = shown(clinic, before)
    assert view["script_approval"] == {"approved": False, "by": None, "at": None, "sha256": SHIPPED}
    code, out, _ = clinic("show", before)
    assert code == 0 and "NOT APPROVED by a medical director" in out
    assert "takes a script version into use with `botulax-consult script approve`" in out, "what to do about it"

    copy = tmp_path / "approved-copy.yaml"  # another name, the same bytes
    shutil.copyfile(SCRIPT_FILE, copy)
    approve(clinic, copy)
    after = run_consult(clinic)
    approval = shown(clinic, after)["script_approval"]
    assert approval["approved"] is True and approval["by"] == DIRECTOR and approval["sha256"] == SHIPPED
    code, out, _ = clinic("show", after)
    assert f"approved by {DIRECTOR}" in out
    assert shown(clinic, before)["script_approval"]["approved"] is False  # kept as it was
    assert clinic("audit", "verify")[0] == 0


def test_an_edited_script_is_not_the_approved_one(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    approve(clinic, SCRIPT_FILE)
    edited = tmp_path / "consult.yaml"
    edited.write_text(
        SCRIPT_FILE.read_text(encoding="utf-8").replace('version: "1.4.1"', 'version: "1.4.2"', 1), "utf-8"
    )
    code, out, err = clinic(
        "run", FULL_FACE, "--script", str(edited), "--staff", JUNIOR, "--format", "json", "--pin-stdin",
        pins=(PINS[JUNIOR],),
    )  # fmt: skip
    assert code == 0, err
    approval = shown(clinic, json.loads(out)["consult_id"])["script_approval"]
    assert approval["approved"] is False and approval["sha256"] == hashlib.sha256(edited.read_bytes()).hexdigest()
    approve(clinic, edited)  # approved now: the next consult says so
    code, out, err = clinic(
        "run", FULL_FACE, "--script", str(edited), "--staff", JUNIOR, "--format", "json", "--pin-stdin",
        pins=(PINS[JUNIOR],),
    )  # fmt: skip
    assert shown(clinic, json.loads(out)["consult_id"])["script_approval"]["approved"] is True


def test_a_record_made_to_say_approved_in_the_store_is_named_by_audit_verify(clinic: Cli) -> None:  # noqa: F811
    consult_id = run_consult(clinic)
    if clinic.kind == "tinydb":
        path = TinyDBStore(clinic.data).layout.consult_path(consult_id)
        text = path.read_bytes()
        assert b'"approved":false' in text
        path.write_bytes(text.replace(b'"approved":false', b'"approved":true', 1))
    else:
        clinic.server.psql(  # type: ignore[union-attr]
            "UPDATE consult_versions SET record = jsonb_set(record, '{script_approval,approved}', 'true'::jsonb) "
            f"WHERE consult_id = '{consult_id}'",
            clinic.database_name,
        )
    assert shown(clinic, consult_id)["script_approval"]["approved"] is True
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"consult {consult_id} version" in err and "changed outside the program" in err
