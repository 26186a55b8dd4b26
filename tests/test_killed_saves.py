"""A ``give`` or ``sign`` killed half-way (issue 20): a real process is killed between two of the save's
writes, and the next command finishes the save (or undoes it), says so in one line, and records it in
the trail; ``show``, ``history``, the vials and ``audit verify`` then agree. On PostgreSQL the save is one
transaction: a process killed before its commit leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.core.lifecycle.audit import AuditEvent
from tests.helpers import INJECTOR, PINS, Cli, record_consent
from tests.test_cli_vials import consult_on, open_vial
from tests.test_signed_acts import clinic  # noqa: F401  (the fixture: a director, an injector, a junior)

ROOT = Path(__file__).resolve().parent.parent

KILL_AT = {
    "tracing": "assistant.records.tinydb.tracing_files.TracingFiles.update",
    "to sign": "assistant.records.tinydb.saving.change_waiting",
    "entry": "assistant.records.tinydb.audit_log.AuditLog.write",
    "server": "assistant.records.postgres.consults._keep_treatment",
    "index": "assistant.records.tinydb.saving.put_in_index",
}
"""Where the save is killed: after the version and the vial draws are written, before the lot and day
indexes (and the patient's index); before the "to sign" list; just before the audit entry; on the server,
inside the transaction, after the version's row and the vial's draw."""

OLD_KILL_AT = {
    "to sign": "assistant.records.tinydb.saving._change_waiting",
    "entry": "assistant.records.tinydb.audit_log.AuditLog.append",
}
"""The same step under its name before the journal (so the reproduction runs on the code before too)."""


def killed(cli: Cli, step: str, *args: str) -> int:
    """Run the command in another Python process that dies (``os._exit(9)``) when it reaches ``step``."""
    target = KILL_AT[step]
    script = textwrap.dedent(
        f"""
        import importlib, os, sys
        from assistant.cli import main

        def die(*args, **kwargs):
            os._exit(9)

        for target in {[target, OLD_KILL_AT.get(step, target)]!r}:
            module_name, _, attribute = target.rpartition(".")
            owner_name, _, cls = module_name.rpartition(".")
            try:
                module = importlib.import_module(module_name)
                setattr(module, attribute, die)
            except ModuleNotFoundError:
                setattr(getattr(importlib.import_module(owner_name), cls), attribute, die)
            except AttributeError:
                pass
        sys.exit(main({list(args) + cli.store_args!r}))
        """
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], input=f"{PINS[INJECTOR]}\n", text=True, env=environment, capture_output=True
    )
    return done.returncode


def agree(clinic: Cli, consult: str, state: str) -> None:  # noqa: F811
    shown = clinic.json("show", consult)
    [listed] = [row for row in clinic.json("history", "Mina Park") if row["consult_id"] == consult]
    assert (shown["state"], listed["state"]) == (state, state)
    code, _, err = clinic("audit", "verify")
    assert code == 0, err


@pytest.mark.parametrize("step", ["tracing", "to sign", "entry"])
def test_a_give_killed_half_way_is_finished_by_the_next_command(clinic: Cli, tmp_path: Path, step: str) -> None:  # noqa: F811
    if clinic.kind != "tinydb":
        pytest.skip("the data folder's save; PostgreSQL's transaction is below")
    at = (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert open_vial(clinic, "BX2311", "--at", at)[0] == 0
    consult = consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1")
    record_consent(clinic, consult)

    assert killed(clinic, step, "give", consult, "--by", INJECTOR, "--pin-stdin") == 9

    code, _, err = clinic("show", consult, "--format", "json")
    assert code == 0, err
    agree(clinic, consult, "given")  # before: show said GIVEN, history planned, and the 52 U were not counted
    assert err.count("A save cut off half-way was finished") == 1 and f"consult {consult} version 3" in err
    [vial] = clinic.json("vial", "list")
    assert vial["units_left"] == 48, "the 52 U are drawn once"
    recovered = [e for e in clinic.json("audit") if e["action"] == "save recovered"]
    assert len(recovered) == 1 and consult in recovered[0]["detail"]
    assert clinic("history", "Mina Park")[2].count("cut off") == 0, "finished once, said once"
    code, _, err = clinic("sign", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    agree(clinic, consult, "signed")


def test_a_sign_killed_half_way_is_finished_by_the_next_command(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    if clinic.kind != "tinydb":
        pytest.skip("the data folder's save")
    consult = consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1")
    assert clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert killed(clinic, "to sign", "sign", consult, "--by", INJECTOR, "--pin-stdin") == 9
    agree(clinic, consult, "signed")
    assert not clinic.repository().to_sign()


def test_a_give_killed_before_its_entry_is_undone_when_the_trail_moved_on(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    """A program opened before the kill (the UI, say) appends to the trail first: the signed entry has
    lost its place, so the save is undone instead, and said so."""
    if clinic.kind != "tinydb":
        pytest.skip("the data folder's save")
    at = (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert open_vial(clinic, "BX2311", "--at", at)[0] == 0
    consult = consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1")
    record_consent(clinic, consult)
    already_open = clinic.repository()
    assert killed(clinic, "entry", "give", consult, "--by", INJECTOR, "--pin-stdin") == 9
    already_open.record_event(AuditEvent(at=dt.datetime.now(dt.UTC), actor="front desk", action="printed"))

    code, _, err = clinic("show", consult, "--format", "json")
    assert code == 0 and "A save cut off half-way was undone" in err and "do it again" in err
    agree(clinic, consult, "planned")
    assert clinic.json("vial", "list")[0]["units_left"] == 100
    assert clinic.repository().to_sign() == []
    code, _, err = clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    agree(clinic, consult, "given")
    assert clinic.json("vial", "list")[0]["units_left"] == 48


def test_a_give_killed_before_the_server_commits_leaves_nothing(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    if clinic.kind != "postgres":
        pytest.skip("the server's transaction")
    at = (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert open_vial(clinic, "BX2311", "--at", at)[0] == 0
    consult = consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1")
    record_consent(clinic, consult)
    entries = len(clinic.json("audit"))
    assert killed(clinic, "server", "give", consult, "--by", INJECTOR, "--pin-stdin") == 9
    agree(clinic, consult, "planned")
    assert clinic.json("vial", "list")[0]["units_left"] == 100
    assert len(clinic.json("audit")) == entries
    assert clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    agree(clinic, consult, "given")


def test_a_vial_opened_or_closed_and_killed_before_its_entry_is_finished(clinic: Cli) -> None:  # noqa: F811
    """Before: a vial file without the act that opened it (or a close without its act), which the
    ledger's check in ``audit verify`` then names."""
    if clinic.kind != "tinydb":
        pytest.skip("the data folder's save")
    args = ("vial", "open", "--lot", "BX2311", "--expiry", "2027-05-31", "--by", INJECTOR, "--pin-stdin")
    assert killed(clinic, "entry", *args) == 9
    code, _, err = clinic("audit", "verify")
    assert code == 0, err
    assert "A save cut off half-way was finished: vial" in err
    [vial] = clinic.json("vial", "list", "--open")
    close = ("vial", "close", vial["vial_id"], "--by", INJECTOR, "--pin-stdin")
    assert killed(clinic, "entry", *close) == 9
    code, _, err = clinic("audit", "verify")
    assert code == 0 and "vial closed" in err, err
    assert clinic.json("vial", "list", "--open") == []
    assert [e["action"] for e in clinic.json("audit")][-4:] == [
        "vial opened", "save recovered", "vial closed", "save recovered",
    ]  # fmt: skip


@pytest.mark.parametrize("step", ["tracing", "index"])
def test_a_new_consult_killed_half_way_is_finished_with_its_new_patient(clinic: Cli, tmp_path: Path, step: str) -> None:  # noqa: F811
    if clinic.kind != "tinydb":
        pytest.skip("the data folder's save")
    consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1")  # writes P-1.yaml
    answers = (tmp_path / "P-1.yaml").read_text(encoding="utf-8").replace("Mina Park", "Sora Han").replace("P-1", "P-2")
    path = tmp_path / "P-2.yaml"
    path.write_text(answers, encoding="utf-8")
    assert killed(clinic, step, "run", str(path), "--staff", INJECTOR, "--format", "json", "--pin-stdin") == 9
    [row] = clinic.json("history", "Sora Han")
    assert row["state"] == "planned" and clinic.json("show", row["consult_id"])["version"] == 1
    code, _, err = clinic("audit", "verify")
    assert code == 0, err
