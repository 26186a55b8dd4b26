"""What the program itself makes of a PIN is at the product's argon2id cost, never the tests' light one.

Most tests that sign start from a staff register made with light argon2 parameters, or add their
accounts under ``tests/staff_register.light_argon2``: a PIN hash and a sealed key each carry their
own parameters and the program checks them with those, so those tests go through the program's own
code at a fraction of the CPU. That is safe only while the program, left to itself, hashes and seals
at its own cost; a light hasher left in the product would pass every one of them. This test is the
one that says so, on a real TinyDB folder through ``staff.add``.
"""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher, extract_parameters

from assistant.records import TinyDBStore
from assistant.services import keys, pins, staff
from assistant.services.desk import Desk
from tests.staff_register import LIGHT_HASHER, light_argon2

PIN = "471100"


def test_an_account_added_by_the_program_is_kept_at_the_products_argon2_cost(tmp_path: Path) -> None:
    account = staff.add(Desk(TinyDBStore(tmp_path / "data")), "Dr Mina Seo", "medical_director", PIN)

    kept = extract_parameters(account.pin_hash)
    product = PasswordHasher()  # argon2-cffi's RFC 9106 low-memory profile: 64 MiB, 3 passes, 4 lanes
    assert (kept.type.name, kept.memory_cost, kept.time_cost, kept.parallelism) == (
        "ID",
        product.memory_cost,
        product.time_cost,
        product.parallelism,
    )
    assert kept.memory_cost >= 65_536 and kept.time_cost >= 3
    assert pins.pin_matches(account.pin_hash, PIN) and not pins.pin_matches(account.pin_hash, "471101")

    sealed = account.sealed_key
    assert sealed is not None
    assert (sealed.memory_kib, sealed.time_cost, sealed.parallelism) == (19_456, 2, 1)  # OWASP's minimum
    assert keys.unseal(sealed, PIN) is not None and keys.unseal(sealed, "471101") is None


def test_the_tests_light_argon2_ends_with_its_block_and_its_hashes_still_check(tmp_path: Path) -> None:
    """Light inside ``light_argon2``, the product's cost again after it; a light hash and seal are still
    checked (and refused for a wrong PIN) by the program's code, with their own parameters."""
    desk = Desk(TinyDBStore(tmp_path / "data"))
    with light_argon2():
        light = staff.add(desk, "Dr Mina Seo", "medical_director", PIN)
    assert extract_parameters(light.pin_hash).memory_cost == LIGHT_HASHER.memory_cost
    assert light.sealed_key is not None and light.sealed_key.memory_kib == 64
    assert pins.pin_matches(light.pin_hash, PIN) and not pins.pin_matches(light.pin_hash, "000000")
    assert keys.unseal(light.sealed_key, PIN) is not None and keys.unseal(light.sealed_key, "000000") is None
    assert (keys.MEMORY_KIB, keys.TIME_COST) == (19_456, 2)
    assert extract_parameters(pins.hash_pin(PIN)).memory_cost == PasswordHasher().memory_cost
