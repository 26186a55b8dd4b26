"""The daily checkpoint (issue 20, section 2): with the clinic's ``checkpoint_dir`` set, the day's first
act of a person writes one signed checkpoint there (once a day, signed by that person), and a folder
that cannot be reached warns in one line while the act itself is kept. On both stores.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from assistant import locations
from assistant.core.lifecycle import checkpoint as notes
from tests.helpers import INJECTOR, JUNIOR, PINS, Cli, owner_only_file
from tests.test_cli_lifecycle import FULL_FACE, run_consult
from tests.test_signed_acts import clinic  # noqa: F401 (the fixture)


def keep_checkpoints_in(folder: Path) -> None:
    locations.user_clinic_file().parent.mkdir(parents=True, exist_ok=True)
    owner_only_file(locations.user_clinic_file(), f'name = "Our clinic"\ncheckpoint_dir = "{folder}"\n')


def test_one_checkpoint_a_day_is_written_by_the_days_first_act(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    usb = tmp_path / "usb"
    usb.mkdir()
    keep_checkpoints_in(usb)
    assert clinic("audit")[0] == 0 and not list(usb.iterdir()), "reading the record writes nothing"
    consult_id = run_consult(clinic)  # the junior's act: the day's first
    assert clinic("give", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    [first] = usb.iterdir()
    assert first.name.startswith(f"checkpoint-{dt.datetime.now().astimezone():%Y-%m-%d}-")
    written = notes.parse(first.read_text())
    assert written.signer == JUNIOR
    daily = [e for e in clinic.json("audit") if e["action"] == "checkpoint"]
    assert len(daily) == 1 and daily[0]["actor"] == JUNIOR and daily[0]["signature"]
    assert daily[0]["detail"].startswith(f"daily checkpoint: entry {written.entries}")
    code, out, err = clinic("audit", "verify", "--checkpoint", str(first))
    assert code == 0, err
    assert f"signed by {JUNIOR} (junior)" in out, "any account the register held then, named"
    # the next day (yesterday's file kept), the first act writes the next one
    first.rename(usb / "checkpoint-2000-01-01-090000.txt")
    assert clinic("sign", consult_id, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
    assert len(list(usb.iterdir())) == 2
    today = next(p for p in usb.iterdir() if not p.name.startswith("checkpoint-2000"))
    assert notes.parse(today.read_text()).signer == INJECTOR
    files = [str(p) for p in sorted(usb.iterdir())]
    assert clinic("audit", "verify", "--checkpoint", *files)[0] == 0


def test_an_unreachable_folder_warns_and_loses_nothing(clinic: Cli, tmp_path: Path) -> None:  # noqa: F811
    keep_checkpoints_in(tmp_path / "usb-not-plugged-in")
    code, out, err = clinic("run", FULL_FACE, "--staff", JUNIOR, "--format", "json")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "daily checkpoint" in line]
    assert len(warnings) == 1 and warnings[0].startswith("botulax-consult: warning: the daily checkpoint could not")
    assert "usb-not-plugged-in" in warnings[0]
    assert clinic.json("show", json.loads(out)["consult_id"])["state"] == "planned"
    assert not (tmp_path / "usb-not-plugged-in").exists(), "nothing is made where the stick should be"
    assert not [e for e in clinic.json("audit") if e["action"] == "checkpoint"]
    code, _, err = clinic("audit", "verify")
    assert code == 0, err
