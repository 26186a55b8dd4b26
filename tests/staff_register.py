"""A staff register made once per worker and copied into each test that starts from it.

Adding a staff member hashes their PIN with argon2 at the product's own cost and seals their signing
key with another argon2id derivation (``assistant/services/pins.py``, ``keys.py``), on purpose slow:
a clinic of three people took seconds per test under load, and dozens of tests start from the same
people. So the register is made once per xdist worker, for each store and each list of people, by
the real command line with real hashes, and each test gets a copy of it: the TinyDB folder copied,
the PostgreSQL database made with ``CREATE DATABASE ... TEMPLATE``. The copy is the same bytes a
fresh ``staff add`` would give but for its timestamps, random salts and argon2 parameters (light:
``light_argon2``). Tests about hashing, adding staff or the PIN itself keep adding people themselves.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.helpers import DIRECTOR, INJECTOR, JUNIOR, PINS, Cli

Staff = tuple[tuple[str, str], ...]
"""(name, role) of each person; the first, a medical director, adds the others."""

DIRECTOR_AND_INJECTOR: Staff = ((DIRECTOR, "medical_director"), (INJECTOR, "injector"))
WITH_JUNIOR: Staff = (*DIRECTOR_AND_INJECTOR, (JUNIOR, "junior"))


LIGHT_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
"""Real argon2 hashes with light parameters (a hash carries its own, and the program checks it with those)."""


@contextlib.contextmanager
def light_argon2() -> Iterator[None]:
    """PINs hashed and signing keys sealed with light argon2 parameters while a shared register is made.

    A hash and a seal each carry their parameters, and the program checks them with those, so every
    test that starts from a copy checks real PINs and unseals real keys through the program's own
    code, only not at 64 MiB and 19 MiB per signed act: that was most of the CPU time of the tests
    that sign, and the suite is bound by CPU (three workers on two cores). Tests whose subject is
    something else (the vial ledger, staff names, the register's copy, the chart and outage screens)
    add their own accounts under it too; the PIN lockout and staff command tests keep the product's
    cost, and ``tests/test_argon2_cost.py`` checks that the program, left to itself, hashes and seals
    at that cost."""
    from assistant.services import keys, pins

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pins, "_HASHER", LIGHT_HASHER)
        patch.setattr(keys, "TIME_COST", 1)
        patch.setattr(keys, "MEMORY_KIB", 64)
        yield


def add_staff(cli: Cli, staff: Staff) -> None:
    """Add ``staff`` through the command line, as a clinic does (with light hashes: ``light_argon2``)."""
    (director, role), *others = staff
    with light_argon2():
        code, _, err = cli("staff", "add", director, "--role", role, "--pin-stdin", pins=(PINS[director],))
        assert code == 0, err
        for name, role in others:
            args = ("staff", "add", name, "--role", role, "--by", director, "--pin-stdin")
            code, _, err = cli(*args, pins=(PINS[name], PINS[director]))
            assert code == 0, err


class StaffRegisters:
    """The registers this worker has made, by store and staff, and the copies made of them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._folders: dict[Staff, Path] = {}
        self._databases: dict[tuple[str, Staff], str] = {}
        self._services: dict[tuple[str, Staff], Path] = {}
        self._made: dict[tuple[str, Staff, str], tuple[str, dict[str, str]]] = {}
        self._numbers = itertools.count()

    def copy_into(self, cli: Cli, staff: Staff) -> Cli:
        """``cli``'s store (still empty) replaced by a copy of a register holding ``staff``."""
        if cli.kind == "tinydb":
            shutil.copytree(self._folder(cli, staff), cli.data)
        else:
            self._copy_database(cli, staff)
        return cli

    def copy_made(self, cli: Cli, staff: Staff, recipe: str, make: Callable[[Cli], dict[str, str]]) -> dict[str, str]:
        """``cli``'s store (still empty) replaced by a copy of a record that ``make`` wrote once for this
        worker, through the command line, on a copy of the register holding ``staff``; and what ``make``
        returned (the ids of what it wrote). For a fixture whose record takes seconds of PINs to write
        and which each test then changes: ``recipe`` names it, one ``make`` per name."""
        if cli.kind == "tinydb":
            key = ("tinydb", staff, recipe)
            if key not in self._made:
                made = self.folder / f"made-{next(self._numbers)}"
                shutil.copytree(self._folder(cli, staff), made)
                self._made[key] = (str(made), make(Cli(made, cli.capsys, cli.monkeypatch)))
            shutil.copytree(self._made[key][0], cli.data)
            return dict(self._made[key][1])
        server = cli.server
        assert cli.database is not None and server is not None
        key = (server.url(), staff, recipe)  # type: ignore[attr-defined]
        if key not in self._made:
            self._copy_database(cli, staff)
            template = f"made_{os.getpid()}_{next(self._numbers)}"
            server.copy_database(template, cli.database_name)  # type: ignore[attr-defined]
            url = cli.database.replace(f"@/{cli.database_name}?", f"@/{template}?", 1)
            values = make(Cli(self.folder / f"unused-{template}", cli.capsys, cli.monkeypatch, url, server))
            server.psql(  # type: ignore[attr-defined]
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{template}' AND pid <> pg_backend_pid()"
            )
            self._made[key] = (template, values)
        server.copy_database(cli.database_name, self._made[key][0], replacing=True)  # type: ignore[attr-defined]
        return dict(self._made[key][1])

    def copy_folder(self, staff: Staff, into: Path) -> Path:
        """A TinyDB folder at ``into`` holding ``staff``, added through the services as the UI's
        first start does (for tests that open the folder without the command line)."""
        if ("services", staff) not in self._services:
            from assistant.records import TinyDBStore
            from assistant.services import staff as accounts
            from assistant.services.desk import Desk

            made = self.folder / f"services-{next(self._numbers)}"
            desk = Desk(TinyDBStore(made))
            (director, role), *others = staff
            with light_argon2():
                accounts.add(desk, director, role, PINS[director])
                for name, other_role in others:
                    accounts.add(desk, name, other_role, PINS[name], director, PINS[director])
            self._services[("services", staff)] = made
        shutil.copytree(self._services[("services", staff)], into)
        return into

    def _folder(self, cli: Cli, staff: Staff) -> Path:
        if staff not in self._folders:
            made = self.folder / f"tinydb-{next(self._numbers)}"
            add_staff(Cli(made, cli.capsys, cli.monkeypatch), staff)
            self._folders[staff] = made
        return self._folders[staff]

    def _copy_database(self, cli: Cli, staff: Staff) -> None:
        server = cli.server
        assert cli.database is not None and server is not None
        name = cli.database_name
        key = (server.url(), staff)  # type: ignore[attr-defined]
        if key not in self._databases:
            template = f"staff_{os.getpid()}_{next(self._numbers)}"
            server.copy_database(template, name)  # type: ignore[attr-defined]
            url = cli.database.replace(f"@/{name}?", f"@/{template}?", 1)
            add_staff(Cli(self.folder / f"unused-{template}", cli.capsys, cli.monkeypatch, url, server), staff)
            # a template takes no connections: close what the command line's pool may still hold
            server.psql(  # type: ignore[attr-defined]
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{template}' AND pid <> pg_backend_pid()"
            )
            self._databases[key] = template
        server.copy_database(name, self._databases[key], replacing=True)  # type: ignore[attr-defined]
