"""Signed checkpoints (issue 20, section 2): a trail cut off after a checkpoint, or rewritten before it
with every hash recomputed (what somebody with the data folder or the tables' owner can do), fails
``audit verify --checkpoint FILE``; a forged checkpoint fails; only a medical director writes one.
On both stores.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from assistant.core.lifecycle import checkpoint as notes
from assistant.core.lifecycle.audit import AuditEntry, entry_hash
from assistant.records.tinydb.atomic import dump
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli
from tests.test_cli_lifecycle import FULL_FACE, run_consult
from tests.test_signed_acts import clinic, given_and_signed, rewrite_trail  # noqa: F401 (the fixture)


def checkpoint(clinic: Cli, path: Path, by: str = DIRECTOR) -> tuple[int, str, str]:  # noqa: F811
    return clinic("audit", "checkpoint", "--by", by, "--pin-stdin", "--output", str(path), pins=(PINS[by],))


def cut_trail(clinic: Cli, keep: int) -> None:  # noqa: F811
    """Entries after ``keep`` removed and the head moved back, as somebody with write access can."""
    if clinic.kind == "tinydb":
        folder = clinic.data / "audit"
        head = ""
        for chunk in sorted(folder.glob("0*.json")):
            documents = json.loads(chunk.read_text())["entries"]
            kept = {k: v for k, v in documents.items() if int(k) <= keep}
            head = next((v["hash"] for k, v in kept.items() if int(k) == keep), head)
            chunk.write_bytes(dump({"entries": kept}))
        (folder / "head.json").write_bytes(dump({"head": {"1": {"seq": keep, "hash": head}}}))
        return
    clinic.server.psql(  # type: ignore[attr-defined]
        "ALTER TABLE audit DISABLE TRIGGER ALL; "
        f"DELETE FROM audit WHERE seq > {keep}; "
        f"UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit WHERE seq = {keep}); "
        "ALTER TABLE audit ENABLE TRIGGER ALL",
        clinic.database_name,
    )


def rewrite(clinic: Cli, change) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Events changed and the whole chain recomputed, hashes and head, as the program would."""
    if clinic.kind == "tinydb":
        rewrite_trail(clinic.data, change)
        return
    previous, statements = "0" * 64, ["ALTER TABLE audit DISABLE TRIGGER ALL"]
    for entry in list(clinic.repository().audit_entries()):
        event = change(entry.event())
        fixed = AuditEntry(
            **event.model_dump(), seq=entry.seq, prev_hash=previous, hash=entry_hash(entry.seq, previous, event)
        )
        detail = "NULL" if fixed.detail is None else "'" + fixed.detail.replace("'", "''") + "'"
        statements.append(
            f"UPDATE audit SET detail = {detail}, prev_hash = '{fixed.prev_hash}', hash = '{fixed.hash}' "
            f"WHERE seq = {fixed.seq}"
        )
        previous = fixed.hash
    statements += [f"UPDATE audit_head SET hash = '{previous}'", "ALTER TABLE audit ENABLE TRIGGER ALL"]
    clinic.server.psql("; ".join(statements), clinic.database_name)  # type: ignore[attr-defined]


def test_a_checkpoint_is_signed_by_the_director_and_kept_in_the_trail(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    run_consult(clinic)
    path = tmp_path / "elsewhere" / "first.txt"
    code, out, err = checkpoint(clinic, path)
    assert code == 0, err
    written = notes.parse(path.read_text())
    assert written.signer == DIRECTOR and f"entry {written.entries}" in out
    assert "audit verify --checkpoint" in err and PINS[DIRECTOR] not in out + err + path.read_text()
    last = clinic.json("audit")[-1]
    assert last["action"] == "checkpoint" and last["actor"] == DIRECTOR and last["signature"]
    assert last["seq"] == written.entries + 1, "writing it is itself a signed act, after the head it signed"
    given_and_signed(clinic)
    code, out, err = clinic("audit", "verify", "--checkpoint", str(path))
    assert code == 0, err
    assert f"holds entry {written.entries}" in out and f"signed by {DIRECTOR} (medical director)" in out


def test_the_default_checkpoint_file_is_named_by_date_and_time_in_the_current_folder(
    clinic: Cli,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = clinic("audit", "checkpoint", "--by", DIRECTOR, "--pin-stdin", pins=(PINS[DIRECTOR],))
    assert code == 0, err
    [written] = tmp_path.glob("checkpoint-*.txt")
    assert written.name[len("checkpoint-") :].startswith(dt.date.today().isoformat()) and written.name in out


def test_a_trail_cut_off_after_a_checkpoint_fails_verify(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    consult_id = run_consult(clinic)
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    path = tmp_path / "kept.txt"
    assert checkpoint(clinic, path)[0] == 0
    signed_at = notes.parse(path.read_text()).entries
    cut_trail(clinic, signed_at - 3)
    # what the trail alone says: all is well (the head moved with it), records aside
    code, _, err = clinic("audit", "verify", "--checkpoint", str(path))
    assert code == 1
    assert f"was signed at entry {signed_at}: entries after it were cut off" in err


def test_a_trail_rewritten_before_a_checkpoint_fails_verify(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    run_consult(clinic)
    path = tmp_path / "kept.txt"
    assert checkpoint(clinic, path)[0] == 0
    signed_at = notes.parse(path.read_text()).entries
    rewrite(clinic, lambda e: e)  # recomputing an unchanged trail changes nothing
    assert clinic("audit", "verify", "--checkpoint", str(path))[0] == 0
    # an entry before the checkpoint changed, every hash after it recomputed, the head moved
    rewrite(clinic, lambda e: e.model_copy(update={"detail": "changed"}) if e.action == "patient registered" else e)
    code, _, err = clinic("audit", "verify", "--checkpoint", str(path))
    assert code == 1 and f"audit entry {signed_at} is not the one the checkpoint" in err
    assert "the trail was rewritten before it" in err


def test_a_forged_checkpoint_fails_verify(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    run_consult(clinic)
    path = tmp_path / "kept.txt"
    assert checkpoint(clinic, path)[0] == 0
    real = notes.parse(path.read_text())
    # the same head, signed with a key that is not the director's
    forged = notes.make(real.origin, real.entries, real.head, real.at, DIRECTOR, Ed25519PrivateKey.generate())
    (tmp_path / "forged.txt").write_text(forged.text())
    # the real signature, moved to another time
    moved = real.model_copy(update={"at": real.at + dt.timedelta(days=1)})
    (tmp_path / "moved.txt").write_text(moved.text())
    # a name the register never held
    stranger = real.model_copy(update={"signer": "Somebody Else"})
    (tmp_path / "stranger.txt").write_text(stranger.text())
    code, out, err = clinic(
        "audit", "verify", "--checkpoint", str(path), str(tmp_path / "forged.txt"), str(tmp_path / "moved.txt"),
        "--checkpoint", str(tmp_path / "stranger.txt"),
    )  # fmt: skip
    assert code == 1
    assert "kept.txt: the trail holds" in out
    assert f"forged.txt does not verify against {DIRECTOR}'s key" in err
    assert f"moved.txt does not verify against {DIRECTOR}'s key" in err
    assert "stranger.txt is signed by Somebody Else, who had no signing key" in err


@pytest.mark.parametrize("who", [JUNIOR, INJECTOR])
def test_only_a_medical_director_writes_a_checkpoint(clinic: Cli, tmp_path: Path, who: str) -> None:  # noqa: F811
    before = len(clinic.json("audit"))
    code, _, err = checkpoint(clinic, tmp_path / "cp.txt", by=who)
    assert code == 5 and "may not sign a checkpoint" in err
    assert not (tmp_path / "cp.txt").exists()
    assert [e["action"] for e in clinic.json("audit")[before:]] == []
    code, _, err = clinic("audit", "checkpoint", "--by", DIRECTOR, "--pin-stdin", pins=("999999",))
    assert code == 5 and "Wrong PIN" in err


def test_a_file_that_is_not_a_checkpoint_is_said_in_a_sentence(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "kept.txt"
    assert checkpoint(clinic, path)[0] == 0
    (tmp_path / "notes.txt").write_text("shopping list\n")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 100_000)
    for other, words in (
        (tmp_path / "notes.txt", "notes.txt is not a checkpoint"),
        (fifo, "it is a FIFO (named pipe)"),
        (big, "larger than 64 KB"),
        (tmp_path / "missing.txt", "there is no checkpoint file"),
    ):
        code, out, err = clinic("audit", "verify", "--checkpoint", str(path), str(other))
        assert code == 2 and words in err, err
        assert "Traceback" not in err and "holds" not in out, "nothing is checked before every file is read"
    signature = base64.b64encode(b"x" * 64).decode()
    (tmp_path / "bad.txt").write_text(path.read_text().replace("\n\n", "\n\n\n").replace("—", "-") + signature)
    assert clinic("audit", "verify", "--checkpoint", str(tmp_path / "bad.txt"))[0] == 2


def test_the_dose_summary_prints_the_trail_it_came_from(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    code, out, err = clinic("run", FULL_FACE, "--staff", INJECTOR)
    assert code == 0, err
    last = clinic.json("audit")[-1]
    assert f"Audit trail when printed: entry {last['seq']}, head {last['hash'][:12]}" in out
    consult_id = given_and_signed(clinic)
    code, out, err = clinic("print", consult_id, "--what", "summary", "--format", "text")
    assert code == 0, err
    last = clinic.json("audit")[-1]
    assert f"Audit trail when printed: entry {last['seq']}, head {last['hash'][:12]}\n" in out
    code, _, err = clinic("print", consult_id, "--what", "summary", "--format", "html", "--output", str(tmp_path))
    assert code == 0, err
    [html] = tmp_path.glob("*.html")
    assert f"Audit trail when printed: entry {last['seq']}, head {last['hash'][:12]}" in html.read_text()
    assert clinic.json("audit")[-1]["seq"] == last["seq"] + 1, "the trail as it was before the printing was noted"
