"""Any single byte changed in any file of a TinyDB data folder is reported by ``audit verify``, or
changes nothing the program reads, or is in a file (or a field) that verify names as not covered
(README, "What `audit verify` does not cover", lists the same): issue 20's property.

"Changes nothing the program reads" is decided by reading the whole folder through the store before
and after (every version, the trail, the staff, the vials, the registers, every index): a tab for a
space, a date written with a space for its "T", or a null field renamed, reads the same.

The folder is a small clinic's, made once by the command line: three accounts, a vial opened, a
consult run, given from it and signed, a second consult waiting to be given, a draft. Hypothesis
then picks a file, a byte and a new value; each example works on its own copy of the folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.records import TinyDBStore
from assistant.records.errors import RecordsError
from assistant.records.tinydb.coverage import NOT_COVERED, STAFF_FIELDS_NOT_COVERED, VIAL_FIELDS_NOT_COVERED
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli
from tests.staff_register import light_argon2
from tests.test_cli_vials import consult_on


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinic's data folder, made once (Cli needs function-scoped fixtures: a private runner)."""
    data = tmp_path_factory.mktemp("clinic") / "data"
    with pytest.MonkeyPatch.context() as monkeypatch, light_argon2():  # PINs at light cost: staff_register.py
        cli = Cli(data, _Capture(monkeypatch), monkeypatch)
        first = cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PINS[DIRECTOR],))
        assert first[0] == 0, first[2]
        for name, role in ((INJECTOR, "injector"), (JUNIOR, "junior")):
            args = ("staff", "add", name, "--role", role, "--by", DIRECTOR, "--pin-stdin")
            assert cli(*args, pins=(PINS[name], PINS[DIRECTOR]))[0] == 0
        at = (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        opened = cli("vial", "open", "--lot", "BX2311", "--expiry", "2027-05-31", "--by", INJECTOR, "--at", at,
                     "--pin-stdin", pins=(PINS[INJECTOR],))  # fmt: skip
        assert opened[0] == 0, opened[2]
        work = data.parent
        today = dt.date.today().isoformat()
        first = consult_on(cli, work, "Mina Park", today, "P-1")
        assert cli("give", first, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
        assert cli("sign", first, "--by", INJECTOR, "--pin-stdin", pins=(PINS[INJECTOR],))[0] == 0
        consult_on(cli, work, "Hana Lee", today, "P-2")
        code, _, err = cli("audit", "verify")
        assert code == 0, err
    return data


class _Capture:
    """What ``Cli`` needs of pytest's capsys: the output of the last command."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.stdout", self.out)
        monkeypatch.setattr("sys.stderr", self.err)

    def readouterr(self) -> tuple[str, str]:
        out, err = self.out.getvalue(), self.err.getvalue()
        for stream in (self.out, self.err):
            stream.seek(0)
            stream.truncate()
        return out, err


def data_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.suffix == ".json")


def verify(folder: Path) -> tuple[int, str]:
    from assistant.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["audit", "verify", "--data-dir", str(folder)])
    return code, out.getvalue() + err.getvalue()


def read_as_the_program_does(folder: Path) -> str | None:
    """Everything the store gives of the folder, as JSON text (None: something cannot be read), less
    the fields verify says it does not cover."""
    try:
        store = TinyDBStore(folder)
        records = sorted(store.latest_records(), key=lambda r: r.consult_id)
        seen = {
            "versions": [v.model_dump(mode="json") for r in records for v in store.versions(r.consult_id)],
            "trail": [e.model_dump(mode="json") for e in store.audit_entries()],
            "head": store.audit_head(),
            "staff": [a.model_dump(mode="json", exclude=set(STAFF_FIELDS_NOT_COVERED)) for a in store.staff()],
            "vials": [v.model_dump(mode="json", exclude=set(VIAL_FIELDS_NOT_COVERED)) for v in store.vials()],
            "register": [p.model_dump(mode="json") for p in store.registered_patients()],
            "indexes": sorted(json.dumps(e.model_dump(mode="json"), sort_keys=True) for e in store.index_entries()),
        }
    except (RecordsError, ValueError, KeyError, TypeError):
        return None
    return json.dumps(seen, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def folder_as_read(folder: Path) -> str:
    """The clinic's folder as the program reads it, once: no example changes the folder itself."""
    seen = read_as_the_program_does(folder)
    assert seen is not None
    return seen


def test_the_clinic_folder_has_every_kind_of_file(folder: Path) -> None:
    names = data_files(folder)
    for part in ("audit/", "consults/", "staff/", "vials/", "lots/", "treatments/", "signing/", "patients/"):
        assert any(name.startswith(part) for name in names), part


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_byte_changed_is_reported_or_not_covered(folder: Path, folder_as_read: str, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(data_files(folder)), label="file")
    if any(name.startswith(prefix) or name == prefix for prefix in NOT_COVERED):
        return
    original = (folder / name).read_bytes()
    offset = data.draw(st.integers(0, len(original) - 1), label="offset")
    value = data.draw(st.integers(0, 255).filter(lambda b: b != original[offset]), label="byte")
    changed = original[:offset] + bytes([value]) + original[offset + 1 :]
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(folder, copy)
        (copy / name).write_bytes(changed)
        seen = read_as_the_program_does(copy)
        if seen is not None and seen == folder_as_read:
            return  # nothing the program reads changed (or only what verify says it does not cover)
        code, said = verify(copy)
    assert code == 1, f"{name} byte {offset} -> {value!r}: verify said {said!r}"
    assert "Traceback" not in said
