"""A new staff account whose name looks like an existing one is refused, naming that account.

Issue 20: a signature, the "run by" line and the trail show a name; "Іna Choi" (Cyrillic І) beside
"Ina Choi" would let one person's acts read as another's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.staff_names import MAX_NAME_LENGTH, name_problem
from tests.helpers import Cli
from tests.staff_register import light_argon2

AT = datetime(2026, 11, 24, 9, tzinfo=UTC)
DIRECTOR, PIN = "Dr Mina Seo", "471100"
EXISTING = "Ina Choi"

LOOK_ALIKES = [
    "\u0406na Choi",  # Cyrillic capital I
    "In\u0430 Cho\u0456",  # Cyrillic a and i
    "ina choi",  # another case
    "INA  CHOI",  # another case and spacing
    "\uff29\uff4e\uff41 \uff23\uff48\uff4f\uff49",  # full-width letters
    "lna Choi",  # a small L for the capital I
    "Ina Cho1",  # a digit for a letter
    "\u0399na Choi",  # Greek capital iota
]


@pytest.fixture
def light_pins() -> Iterator[None]:
    """The names are the subject here, not the PINs' cost: each account's PIN hashed and key sealed
    with light argon2 (``tests/staff_register.py``), checked by the program's own code with those."""
    with light_argon2():
        yield


@pytest.mark.usefixtures("light_pins")
@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_a_name_that_looks_like_an_existing_account_is_refused_naming_it(cli: Cli, name: str) -> None:
    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PIN,))[0] == 0
    code, _, err = cli(
        "staff", "add", EXISTING, "--role", "injector", "--by", DIRECTOR, "--pin-stdin", pins=("258000", PIN)
    )
    assert code == 0, err
    code, out, err = cli(
        "staff", "add", name, "--role", "medical_director", "--by", DIRECTOR, "--pin-stdin", pins=("369000", PIN)
    )
    assert code == 2, out + err
    assert EXISTING in err and ("looks like the existing account" in err or "already a staff account" in err)
    assert [a.name for a in cli.repository().staff()] == sorted([DIRECTOR, EXISTING], key=str.casefold)


@pytest.mark.usefixtures("light_pins")
def test_names_that_differ_are_added(cli: Cli) -> None:
    assert cli("staff", "add", DIRECTOR, "--role", "medical_director", "--pin-stdin", pins=(PIN,))[0] == 0
    for name in (EXISTING, "Ina Cho", "Mina Choi", "Ina Park", "\u5d14\u4ec1\u5a1c"):  # 崔仁娜
        code, _, err = cli(
            "staff", "add", name, "--role", "injector", "--by", DIRECTOR, "--pin-stdin", pins=("258000", PIN)
        )
        assert code == 0, (name, err)


def test_a_disabled_account_keeps_its_name_from_look_alikes() -> None:
    disabled = StaffAccount(name=EXISTING, role="injector", pin_hash="$argon2id$x", created_at=AT, enabled=False)
    problem = name_problem("\u0406na Choi", [disabled])
    assert problem is not None and EXISTING in problem


def test_a_staff_name_has_a_length_limit() -> None:
    problem = name_problem("A" * (MAX_NAME_LENGTH + 1), [])
    assert problem is not None and f"at most {MAX_NAME_LENGTH} characters" in problem
    assert name_problem("A" * MAX_NAME_LENGTH, []) is None


SWAPS = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "i": "\u0456", "x": "\u0445"}


@given(
    st.text(alphabet="aeopcixmnrst ", min_size=2, max_size=30).filter(str.strip),
    st.data(),
)
def test_any_cyrillic_look_alike_of_a_name_is_refused(name: str, data: st.DataObject) -> None:
    """Swap any of the Latin letters that have a Cyrillic twin: the name is refused, whatever the case."""
    existing = StaffAccount(name=name, role="injector", pin_hash="$argon2id$x", created_at=AT)
    swapped = "".join(SWAPS[ch] if ch in SWAPS and data.draw(st.booleans()) else ch for ch in name)
    variant = swapped.upper() if data.draw(st.booleans()) else swapped
    problem = name_problem(variant, [existing])
    assert problem is not None and existing.name in problem
