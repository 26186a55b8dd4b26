"""The vial ledger as acts in the trail (issue 20): a vial file or row edited by hand (800 U drawn from
one vial, another lot, a close undone) is named by ``audit verify``; an untouched ledger passes; a vial
opened before the acts stated their content is said to be unchecked, not failed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.ids import new_record_id
from assistant.core.lifecycle.vials import Vial
from assistant.records import TinyDBStore
from assistant.records.tinydb.atomic import dump
from tests.helpers import INJECTOR, PINS, Cli
from tests.test_cli_vials import consult_on, open_vial
from tests.test_signed_acts import clinic  # noqa: F401  (the fixture: a director, an injector, a junior)


def vial_ledger(clinic: Cli, tmp_path: Path) -> str:  # noqa: F811
    """A vial opened, drawn from by one consult (52 U), closed with the rest wasted."""
    at = (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    code, _, err = open_vial(clinic, "BX2311", "--at", at)
    assert code == 0, err
    [vial] = clinic.json("vial", "list", "--open")
    consult = consult_on(clinic, tmp_path, "Mina Park", dt.date.today().isoformat(), "P-1")
    code, _, err = clinic("give", consult, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    code, _, err = clinic("vial", "close", vial["vial_id"], "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))
    assert code == 0, err
    return str(vial["vial_id"])


def edit_vial(clinic: Cli, vial_id: str, **changes: Any) -> None:  # noqa: F811
    """What somebody who can write the data folder, or the server's table, can do to a vial."""
    if clinic.kind == "tinydb":
        path = TinyDBStore(clinic.data).layout.vial_path(vial_id)
        tables = json.loads(path.read_text())
        tables["vial"]["1"].update(changes)
        path.write_bytes(dump(tables))
        return
    assert clinic.server is not None
    patch = json.dumps(changes).replace("'", "''")
    columns = ", ".join(f"{name} = '{changes[name]}'" for name in ("units_left", "state") if name in changes)
    clinic.server.psql(  # type: ignore[attr-defined]
        f"UPDATE vials SET vial = vial || '{patch}'::jsonb{', ' + columns if columns else ''} "
        f"WHERE vial_id = '{vial_id}'",
        database=clinic.database_name,
    )


def test_an_untouched_ledger_passes_verify_and_its_acts_state_the_vial(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    vial_id = vial_ledger(clinic, tmp_path)
    code, _, err = clinic("audit", "verify")
    assert code == 0, err
    acts = {e["action"]: e for e in clinic.json("audit") if e["action"].startswith("vial ")}
    assert acts["vial opened"]["data"]["vial_id"] == vial_id and acts["vial opened"]["data"]["units"] == 100
    assert acts["vial opened"]["data"]["lot"] == "BX2311" and acts["vial opened"]["signature"]
    assert acts["vial closed"]["data"]["wasted"] == 48


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"units": 900, "units_left": 100}, "draws 800 U in the store but 52 U in the trail"),
        ({"units_left": 100, "wasted": 100}, "draws 0 U in the store but 52 U in the trail"),
        ({"lot": "ZZ9999"}, "has lot ZZ9999 in the store but BX2311 in the trail"),
        ({"expiry": "2030-01-31"}, "has expiry 2030-01-31 in the store but 2027-05-31 in the trail"),
        ({"state": "open", "closed_at": None, "closed_by": None, "wasted": None}, "is open in the store but closed"),
        ({"wasted": 10, "close_reason": "spilled"}, "wasted 10 U in the store but 48 U in the trail"),
    ],
    ids=["800 U drawn", "draws hidden", "lot", "expiry", "close undone", "waste"],
)
def test_an_edited_vial_is_named_by_verify(
    clinic: Cli,  # noqa: F811
    tmp_path: Path,
    changes: dict[str, Any],
    named: str,
) -> None:
    vial_id = vial_ledger(clinic, tmp_path)
    edit_vial(clinic, vial_id, **changes)
    code, _, err = clinic("audit", "verify")
    assert code == 1
    assert f"vial {vial_id} {named}" in err


def test_a_vial_added_outside_the_program_is_named(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    vial_id = vial_ledger(clinic, tmp_path)
    store = clinic.repository()
    held = store.vial(vial_id)
    ghost = held.model_copy(update={"vial_id": new_record_id(held.opened_at), "state": "open", "revision": 1})
    if clinic.kind == "tinydb":
        path = TinyDBStore(clinic.data).layout.vial_path(ghost.vial_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dump({"vial": {"1": ghost.model_dump(mode="json")}}))
    else:
        from assistant.records.postgres.vials import put

        with store.engine.begin() as connection:
            put(connection, ghost)
    code, _, err = clinic("audit", "verify")
    assert code == 1 and f"vial {ghost.vial_id} is in the store but no audit entry opened it" in err


def test_a_vial_opened_before_acts_stated_their_content_is_said_unchecked(clinic: Cli) -> None:  # noqa: F811
    """A ledger kept before this change: its "vial opened" act says the vial in words only."""
    now = dt.datetime.now(dt.UTC)
    vial = Vial(
        vial_id=new_record_id(now),
        lot="BX2311",
        expiry=dt.date(2027, 5, 31),
        units=100,
        units_left=100,
        saline_ml=2.5,
        opened_at=now,
        use_by=now + dt.timedelta(hours=24),
        opened_by="Old Nurse",
    )
    store = clinic.repository()
    event = AuditEvent(at=now, actor="Old Nurse", action="vial opened", detail=f"vial {vial.vial_id}, lot BX2311")
    store.save_vial(vial, event)
    code, _, err = clinic("audit", "verify")
    assert code == 0, err
    assert f"vial {vial.vial_id} cannot be checked against the trail" in err
