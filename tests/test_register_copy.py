"""This computer's copy of the staff register (issue 20.1): what it holds and never holds, how it is
written (0600, one step), and how it is checked when read: a damaged or edited copy is refused,
not trusted. The outage itself, on a real server stopped, is in test_tui_offline_sign_in.py."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.core.lifecycle.register_copy import RegisterCopy, copy_of, copy_problem
from assistant.files.reading import REGISTER_COPY_LIMIT
from assistant.files.register_copy import CopyUnusable, Counted, RegisterCopyFile
from assistant.records import ConsultRepository
from assistant.services import keys, staff
from assistant.services.desk import Desk
from assistant.services.staff_keys import grant_holds, granted
from assistant.services.staff_register import StaffRegister
from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS
from tests.staff_register import light_argon2

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def with_staff(repository: ConsultRepository) -> Desk:
    """Three accounts, their PINs hashed and keys sealed with light argon2 (``tests/staff_register.py``):
    the copy is the subject, and a hash and a seal carry their own parameters wherever they go."""
    desk = Desk(repository)
    with light_argon2():
        staff.add(desk, DIRECTOR, "medical_director", PINS[DIRECTOR])
        staff.add(desk, INJECTOR, "injector", PINS[INJECTOR], DIRECTOR, PINS[DIRECTOR])
        staff.add(desk, JUNIOR, "junior", PINS[JUNIOR], DIRECTOR, PINS[DIRECTOR])
    return desk


def test_a_read_of_the_register_writes_the_copy_0600_with_no_key_that_signs_and_no_pin(
    repository: ConsultRepository,
) -> None:
    desk = with_staff(repository)
    copy_file = RegisterCopyFile(repository.describe())
    listing = StaffRegister(desk, copy_file).read()
    assert listing.source == "record" and listing.notice is None
    assert sorted(a.name for a in listing.accounts) == sorted(PINS)

    assert copy_file.path.is_relative_to(Path(os.environ["XDG_STATE_HOME"]))
    assert stat.S_IMODE(copy_file.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy_file.folder.stat().st_mode) == 0o700
    text = copy_file.path.read_text(encoding="utf-8")
    for account in repository.staff():
        assert account.sealed_key is not None
        for secret in (account.sealed_key.box, account.sealed_key.salt, account.sealed_key.nonce):
            assert secret not in text
    assert "sealed" not in text and not any(pin in text for pin in PINS.values())
    written = json.loads(text)
    assert written["record"] == repository.describe()
    assert {frozenset(a) for a in written["accounts"]} == {
        frozenset(
            {"name", "role", "enabled", "pin_hash", "created_at", "created_by", "public_key", "grant"}
            | {"key_from_first_use"}
        )
    }
    assert copy_file.read() == RegisterCopy.model_validate_json(text)
    assert copy_problem(RegisterCopy.model_validate_json(text), repository.describe(), grant_holds) is None


def test_two_records_keep_two_copies(tmp_path: Path) -> None:
    assert (
        RegisterCopyFile("the record server at a (database x)").folder
        != RegisterCopyFile("the record server at b (database x)").folder
    )


@pytest.fixture
def copy(tmp_path: Path) -> RegisterCopy:
    from assistant.records import TinyDBStore

    store = TinyDBStore(tmp_path / "data")
    with_staff(store)
    return copy_of(store.staff(), "the record", NOW)


def edited(copy: RegisterCopy, name: str, **changes: object) -> RegisterCopy:
    accounts = tuple(a.model_copy(update=changes) if a.name == name else a for a in copy.accounts)
    return copy.model_copy(update={"accounts": accounts})


def test_a_copy_whose_junior_was_made_medical_director_is_refused(copy: RegisterCopy) -> None:
    assert copy_problem(copy, "the record", grant_holds) is None
    promoted = edited(copy, JUNIOR, role="medical_director")
    assert copy_problem(promoted, "the record", grant_holds) == (
        f"the role of {JUNIOR} (medical director) was not given by a medical director"
    )


def test_a_director_added_to_the_copy_with_a_grant_of_its_own_is_refused(copy: RegisterCopy) -> None:
    public, _sealed, key = keys.new_keys("999999")
    forged = copy.accounts[0].model_copy(update={"name": "Mallory", "public_key": public, "created_by": None})
    account = granted(forged.as_account(), forged.as_account(), key)
    forged = forged.model_copy(update={"grant": account.grant})
    added = copy.model_copy(update={"accounts": (*copy.accounts, forged)})
    assert copy_problem(added, "the record", grant_holds) == (
        "2 accounts granted themselves their role, and only a record's first account does"
    )


def test_a_copy_of_another_record_or_naming_an_account_twice_is_refused(copy: RegisterCopy) -> None:
    assert copy_problem(copy, "another record", grant_holds) == "it is a copy of the record, not of another record"
    twice = copy.model_copy(update={"accounts": (*copy.accounts, copy.accounts[1])})
    assert copy_problem(twice, "the record", grant_holds) == "it names an account twice"


def test_an_account_without_a_grant_cannot_sign_in_from_the_copy(copy: RegisterCopy) -> None:
    ungranted = edited(copy, JUNIOR, grant=None, public_key=None)
    assert copy_problem(ungranted, "the record", grant_holds) is None, "an account from before keys is kept"
    assert JUNIOR not in [a.name for a in ungranted.usable()]
    assert sorted(a.name for a in ungranted.usable()) == sorted([DIRECTOR, INJECTOR])


def write_raw(copy_file: RegisterCopyFile, text: str | bytes, mode: int = 0o600) -> None:
    copy_file.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = text.encode() if isinstance(text, str) else text
    copy_file.path.write_bytes(data)
    os.chmod(copy_file.path, mode)


def test_a_damaged_or_unsafe_copy_is_refused_with_a_sentence(copy: RegisterCopy) -> None:
    copy_file = RegisterCopyFile("the record")
    assert copy_file.read() is None, "no copy yet"
    copy_file.write(copy)
    assert copy_file.read() == copy

    write_raw(copy_file, "{not json")
    with pytest.raises(CopyUnusable, match="is damaged"):
        copy_file.read()

    with_key = json.loads(copy.model_dump_json())
    with_key["accounts"][0]["sealed_key"] = {"salt": "x", "nonce": "y", "box": "z"}
    write_raw(copy_file, json.dumps(with_key))
    with pytest.raises(CopyUnusable, match=r"damaged .*sealed_key"):
        copy_file.read()

    write_raw(copy_file, copy.model_dump_json(), mode=0o666)
    with pytest.raises(CopyUnusable, match="can be changed by other users"):
        copy_file.read()

    write_raw(copy_file, b" " * (REGISTER_COPY_LIMIT + 1))
    with pytest.raises(CopyUnusable, match="larger than"):
        copy_file.read()

    copy_file.path.unlink()
    os.mkfifo(copy_file.path, 0o600)
    with pytest.raises(CopyUnusable, match="not a regular file"):
        copy_file.read()


def test_wrong_pins_counted_here_are_kept_0600_under_the_lock() -> None:
    copy_file = RegisterCopyFile("the record")
    with copy_file.counting() as counts:
        assert counts.accounts == {}
        counts.accounts["ina choi"] = Counted(wrong_pins=2)
    assert stat.S_IMODE(copy_file.wrong_pins_path.stat().st_mode) == 0o600
    with copy_file.counting() as counts:
        assert counts.accounts["ina choi"].wrong_pins == 2
    write_raw(copy_file, "{}")
    copy_file.wrong_pins_path.write_text('{"accounts": {"ina choi": {"wrong_pins": -1}}}', encoding="utf-8")
    with pytest.raises(CopyUnusable, match=r"wrong-pins\.json is damaged"), copy_file.counting():
        pass
