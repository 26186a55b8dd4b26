"""Signed acts (issue 20, section 1): each person's act carries their Ed25519 signature, made with a
key their PIN unseals, so a history rewritten by somebody with file or database access, who can
recompute the hash chain but has no PIN, is caught by ``audit verify``; a role changed in the staff
file is caught too, and the account cannot act with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.lifecycle.audit import AuditEntry, entry_hash
from assistant.records import TinyDBStore
from assistant.records.tinydb.atomic import dump
from assistant.records.tinydb.converters import audit_document
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli
from tests.staff_register import WITH_JUNIOR, StaffRegisters
from tests.test_cli_lifecycle import FULL_FACE, run_consult


@pytest.fixture
def clinic(cli: Cli, staff_registers: StaffRegisters) -> Cli:
    return staff_registers.copy_into(cli, WITH_JUNIOR)


def given_and_signed(clinic: Cli) -> str:
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    return consult_id


def test_every_act_of_a_person_is_signed_and_verifies(clinic: Cli) -> None:
    given_and_signed(clinic)
    entries = clinic.json("audit")
    acts = [e for e in entries if e["action"] in ("staff added", "consult saved", "given", "signed")]
    assert acts and all(e["signature"] for e in acts)
    assert all(e["signature"] is None for e in entries if e["action"] == "failed PIN")
    code, _, err = clinic("audit", "verify")
    assert code == 0, err
    assert all(a.public_key and a.sealed_key and a.grant for a in clinic.repository().staff())
    assert "471100" not in json.dumps([a.model_dump(mode="json") for a in clinic.repository().staff()])


def rewrite_trail(data: Path, change: callable) -> None:  # type: ignore[valid-type]
    """What somebody with write access to the data folder can do: change entries and recompute the
    whole chain, hashes and head, exactly as the program would."""
    chunks = sorted((data / "audit").glob("0*.json"))
    entries: list[AuditEntry] = []
    for chunk in chunks:
        documents = json.loads(chunk.read_text())["entries"]
        entries += [AuditEntry.model_validate(documents[k]) for k in sorted(documents, key=int)]
    previous = "0" * 64
    fixed: list[AuditEntry] = []
    for entry in entries:
        event = change(entry.event())
        fixed.append(
            AuditEntry(
                **event.model_dump(), seq=entry.seq, prev_hash=previous, hash=entry_hash(entry.seq, previous, event)
            )
        )
        previous = fixed[-1].hash
    for chunk in chunks:
        documents = json.loads(chunk.read_text())["entries"]
        keep = {k: audit_document(fixed[int(k) - 1]) for k in documents}
        chunk.write_bytes(dump({"entries": keep}))
    (data / "audit" / "head.json").write_bytes(dump({"head": {"1": {"seq": fixed[-1].seq, "hash": previous}}}))


def test_a_recomputed_chain_with_another_signer_fails_verify(clinic: Cli) -> None:
    if clinic.kind != "tinydb":
        pytest.skip("the data folder's files are rewritten here; the server's rows in test_postgres")
    given_and_signed(clinic)

    def director_gave_it(event):  # type: ignore[no-untyped-def]
        if event.action in ("given", "signed"):
            return event.model_copy(update={"actor": DIRECTOR})
        return event

    rewrite_trail(clinic.data, director_gave_it)
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"(given by {DIRECTOR}) is not signed by {DIRECTOR}" in err
    assert f"(signed by {DIRECTOR}) is not signed by {DIRECTOR}" in err, "every problem is named, not the first only"


def test_a_signature_cut_out_and_the_chain_recomputed_fails_verify(clinic: Cli) -> None:
    if clinic.kind != "tinydb":
        pytest.skip("the data folder's files are rewritten here")
    given_and_signed(clinic)
    rewrite_trail(clinic.data, lambda e: e.model_copy(update={"signature": None}) if e.action == "signed" else e)
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"(signed by {INJECTOR}) is not signed by {INJECTOR}" in err


def edit_account(clinic: Cli, name: str, **changes: object) -> None:
    if clinic.kind == "tinydb":
        path = TinyDBStore(clinic.data).layout.staff_file
        tables = json.loads(path.read_text())
        for document in tables["staff"].values():
            if document["account"]["name"] == name:
                document["account"].update(changes)
        path.write_bytes(dump(tables))
        return
    assert clinic.server is not None
    patch = json.dumps(changes).replace("'", "''")
    clinic.server.psql(  # type: ignore[attr-defined]
        f"UPDATE staff SET account = account || '{patch}'::jsonb WHERE account->>'name' = '{name}'",
        database=clinic.database_name,
    )


def test_a_junior_promoted_in_the_staff_register_fails_verify_and_cannot_sign(clinic: Cli) -> None:
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    edit_account(clinic, JUNIOR, role="medical_director")
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"the staff account {JUNIOR} is a junior in the audit trail but a medical director" in err
    code, _, err = clinic("sign", consult_id, "--by", JUNIOR, "--pin-stdin", pins=(PINS[JUNIOR],))
    assert code == 5 and "not given by a medical director" in err
    assert clinic.json("show", consult_id)["state"] == "given"


def test_a_pin_shorter_than_six_is_changed_at_its_next_use(clinic: Cli) -> None:
    from assistant.services.pins import hash_pin

    # as accounts were made before keys and six-digit PINs
    edit_account(clinic, INJECTOR, pin_hash=hash_pin("2580"), public_key=None, sealed_key=None, grant=None)
    consult_id = run_consult(clinic)
    code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=("2580",))
    assert code == 5 and "fewer than 6" in err and "staff pin" in err
    code, _, err = clinic("staff", "pin", INJECTOR, "--pin-stdin", pins=("2580", "258025"))
    assert code == 0, err
    code, _, err = clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=("258025",))
    assert code == 0, err
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"the signing key of {INJECTOR} differs" in err, "the key in the trail is the one added"


def test_run_names_a_staff_member_only_with_their_pin(clinic: Cli) -> None:
    code, _, err = clinic("run", FULL_FACE, "--staff", DIRECTOR, "--pin-stdin", pins=(PINS[JUNIOR],))
    assert code == 5 and "Wrong PIN" in err, "a junior cannot record a consult as the director's"
    code, out, err = clinic("run", FULL_FACE, "--format", "json")
    assert code == 0, err
    consult_id = json.loads(out)["consult_id"]
    assert clinic.json("show", consult_id)["staff"] is None
