"""PINs tried at once are counted one after another, on both stores, in threads and in processes.

Issue 20: thirty PINs tried at once found the right one in 2 runs of 3, because every attempt read
the account before any wrong PIN was counted. Now a store checks and counts in one step, so a burst
of N attempts is N attempts in a row: exactly the policy's number of wrong PINs are counted, the
account ends locked, and every attempt after the lock is refused (the right PIN too). Two "first"
medical directors created at once: one wins.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.pin_attempts import attempt
from assistant.core.lifecycle.staff import AccountPolicy, NotPermitted, StaffAccount, WrongPin
from assistant.records import ConsultRepository
from assistant.services import staff
from assistant.services.desk import Desk
from assistant.services.pins import hash_pin
from tests.conftest import REPO
from tests.forked import Forked
from tests.helpers import Cli

N = 30
POLICY = AccountPolicy()
DIRECTOR, DIRECTOR_PIN = "Dr Mina Seo", "471100"
JUNIOR = "Jun Park"
WRONG = [f"{900000 + n}" for n in range(N)]

COUNTED = re.compile(r"Wrong PIN for .*\((\d+) more wrong PINs? locks? the account\)")
LOCKING = "the account is now locked for"
LOCKED_OUT = "is locked after too many wrong PINs"


def with_director(repository: ConsultRepository) -> None:
    at = datetime.now(UTC)
    for name, role in ((DIRECTOR, "medical_director"), (JUNIOR, "junior")):
        account = StaffAccount(name=name, role=role, pin_hash=hash_pin(DIRECTOR_PIN), created_at=at)
        repository.save_staff(account, AuditEvent(at=at, actor=name, action="staff added"))


def burst(attempts: list[Callable[[], str]]) -> list[str]:
    """Run every attempt in its own thread, all released together; each gives "ok" or its refusal."""
    gate = threading.Barrier(len(attempts))
    results: list[str] = [""] * len(attempts)

    def run(index: int) -> None:
        gate.wait()
        try:
            results[index] = attempts[index]()
        except NotPermitted as refused:
            results[index] = str(refused)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def assert_one_after_another(results: list[str], right: int, repository: ConsultRepository) -> None:
    """What N attempts in a row can give, and nothing else: every wrong PIN before the lock counted
    (the right one, when it came before the lock, clears the count), one lock, then only refusals."""
    successes = [i for i, r in enumerate(results) if r == "ok"]
    counted = [int(m[1]) for r in results if (m := COUNTED.search(r))]
    locking = [r for r in results if LOCKING in r]
    locked_out = [r for r in results if LOCKED_OUT in r]
    assert len(successes) + len(counted) + len(locking) + len(locked_out) == len(results), results
    assert len(locking) == 1, results
    assert set(successes) <= {right}
    # the right PIN is either let in before the lock or refused as locked: never taken for a wrong one
    assert results[right] == "ok" or LOCKED_OUT in results[right], results[right]
    counts = Counter(counted)
    before_lock = list(range(POLICY.max_wrong_pins - 1, 0, -1))  # 4, 3, 2, 1 more wrong PINs lock it
    twice = [k for k in before_lock if counts[k] == 2]
    assert set(counts) == set(before_lock) and all(counts[k] in (1, 2) for k in before_lock), counts
    assert twice == before_lock[: len(twice)], counts  # counted again only after the right PIN cleared it
    assert not twice or successes, "a count starts again only after a right PIN"
    assert len(counted) == POLICY.max_wrong_pins - 1 + len(twice), results
    actions = Counter(e.action for e in repository.audit_entries())
    assert actions["account locked"] == 1 and actions["failed PIN"] == len(counted)
    account = repository.staff_account(DIRECTOR)
    assert account is not None and account.is_locked(datetime.now(UTC)) and account.wrong_pins == 0


def test_thirty_pins_at_once_in_threads_count_one_after_another(repository: ConsultRepository) -> None:
    with_director(repository)
    right = N // 2
    pins = [DIRECTOR_PIN if i == right else WRONG[i] for i in range(N)]
    desks = [Desk(another(repository)) for _ in range(N)]  # a workstation each

    def trying(desk: Desk, pin: str) -> Callable[[], str]:
        return lambda: staff.authenticate(desk, DIRECTOR, pin, "manage_staff") and "ok"

    results = burst([trying(desk, pin) for desk, pin in zip(desks, pins, strict=True)])
    assert_one_after_another(results, right, repository)

    entries = len(list(repository.audit_entries()))
    again = burst([trying(desk, pin) for desk, pin in zip(desks, reversed(pins), strict=True)])
    assert all(LOCKED_OUT in r for r in again), again  # the right PIN among them is refused: locked
    assert len(list(repository.audit_entries())) == entries, "nothing is counted while locked"


def another(repository: ConsultRepository) -> ConsultRepository:
    """A second store on the same record, as another workstation opens it."""
    from assistant.records.postgres.store import PostgresStore
    from assistant.records.tinydb.store import TinyDBStore

    if isinstance(repository, PostgresStore):
        return PostgresStore(repository.address)
    assert isinstance(repository, TinyDBStore)
    return TinyDBStore(repository.data_dir)


# -- separate processes, as several workstations (each with a few terminals) would try ---------------

WORKER = r"""
import os, sys, threading, time
from assistant.core.lifecycle.staff import NotPermitted
from assistant.records import open_repository
from assistant.services import staff
from assistant.services.desk import Desk

go, data, url, name, pins = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
desk = Desk(open_repository(data or None, url or None))
results = [""] * len(pins)

def attempt(index):
    while not os.path.exists(go):
        time.sleep(0.001)
    try:
        staff.authenticate(desk, name, pins[index], "manage_staff")
        results[index] = "ok"
    except NotPermitted as refused:
        results[index] = str(refused)

threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(pins))]
print("ready", flush=True)
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("\n".join(results), flush=True)
"""


def from_processes(tmp_path: Path, cli: Cli, pins: list[str], processes: int) -> list[str]:
    """``pins`` tried in ``processes`` processes (a few threads each), all started together once
    every process is ready; the results in the order of ``pins``."""
    go = tmp_path / "go"
    where = [str(cli.data), ""] if cli.database is None else ["", cli.database]
    share = len(pins) // processes
    workers = [
        Forked(WORKER, str(go), *where, DIRECTOR, *pins[i * share : (i + 1) * share], cwd=REPO)
        for i in range(processes)
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    go.touch()
    results = []
    for worker in workers:
        output, _ = worker.communicate(timeout=180)
        assert worker.returncode == 0
        results += output.splitlines()
    return results


def test_thirty_pins_at_once_from_six_processes_count_one_after_another(cli: Cli, tmp_path: Path) -> None:
    repository = cli.repository()
    with_director(repository)
    right = 7
    pins = [DIRECTOR_PIN if i == right else WRONG[i] for i in range(N)]
    results = from_processes(tmp_path, cli, pins, processes=6)
    assert len(results) == N
    assert_one_after_another(results, right, repository)


def at_once(tmp_path: Path, commands: list[tuple[list[str], str]]) -> list[tuple[int, str]]:
    """Run each command line in its own process (``botulax-consult`` with its PIN lines on standard
    input), all started together; gives (exit code, standard error) of each."""
    go = tmp_path / "go"
    runner = "import os, sys, time\nimport assistant.cli\nprint('ready', flush=True)\n"
    runner += "while not os.path.exists(sys.argv[1]): time.sleep(0.001)\nsys.exit(assistant.cli.main(sys.argv[2:]))\n"
    processes = []
    for args, stdin in commands:
        process = subprocess.Popen(
            [sys.executable, "-c", runner, str(go), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(stdin)
        process.stdin.close()
        assert process.stdout.readline().strip() == "ready"
        processes.append(process)
    go.touch()
    outcomes = []
    for process in processes:
        assert process.stderr is not None and process.stdout is not None
        err = process.stderr.read()
        process.stdout.read()
        outcomes.append((process.wait(timeout=180), err))
    return outcomes


def test_two_first_medical_directors_added_at_once_one_wins(cli: Cli, tmp_path: Path) -> None:
    commands = [
        (["staff", "add", name, "--role", "medical_director", "--pin-stdin", *cli.store_args], "471100\n")
        for name in ("Dr Ana Ruiz", "Dr Bo Kim")
    ]
    outcomes = at_once(tmp_path, commands)
    assert sorted(code for code, _ in outcomes) == [0, 5], outcomes
    loser = next(err for code, err in outcomes if code == 5)
    assert "Only a medical director may add staff accounts" in loser
    accounts = cli.repository().staff()
    assert len(accounts) == 1 and accounts[0].role == "medical_director"
    assert [e.action for e in cli.repository().audit_entries()] == ["staff added"]


def test_two_first_accounts_added_at_once_in_threads_one_wins(repository: ConsultRepository) -> None:
    desk = Desk(repository)

    def adding(name: str) -> Callable[[], str]:
        return lambda: staff.add(desk, name, "medical_director", "471100").name

    results = burst([adding(name) for name in ("Dr Ana Ruiz", "Dr Bo Kim", "Dr Cy Lee")])
    assert sum(r.startswith("Dr ") for r in results) == 1, results
    assert sum("Only a medical director" in r for r in results) == 2, results
    assert len(repository.staff()) == 1


# -- the rule itself, pure: whatever the order, a locked account's PIN is never even checked -----------


@given(st.lists(st.tuples(st.booleans(), st.integers(min_value=0, max_value=600)), max_size=40))
@example([(False, 0)] * 5 + [(False, 300)])  # the first wrong PIN once a lock has run out is not a lock
def test_an_attempt_on_a_locked_account_never_checks_its_pin(attempts: list[tuple[bool, int]]) -> None:
    """Attempts one after another (right or wrong, seconds apart): a lock comes exactly at the
    policy's wrong PIN in a row, and until it ends no attempt gets a PIN checked or counted."""
    at = datetime(2026, 11, 24, 9, tzinfo=UTC)
    account = StaffAccount(name=DIRECTOR, role="medical_director", pin_hash="$argon2id$x", created_at=at)
    in_a_row = 0
    for right, seconds in attempts:
        at += timedelta(seconds=seconds)
        checked: list[bool] = []

        def matches(_: StaffAccount, right: bool = right, checked: list[bool] = checked) -> bool:
            checked.append(True)
            return right

        locked = account.is_locked(at)
        outcome = attempt(account, matches, "sign", at, POLICY)
        if locked:
            assert not checked and not outcome.changed and outcome.refusal and LOCKED_OUT in outcome.refusal
            assert outcome.again, "locked by wrong PINs: the act asks a PIN again, what it protects kept"
            continue
        assert checked
        in_a_row = 0 if right else in_a_row + 1
        assert outcome.again is not right
        if right:
            assert outcome.refusal is None
        elif in_a_row == POLICY.max_wrong_pins:
            assert outcome.account.is_locked(at) and outcome.event and outcome.event.action == "account locked"
            in_a_row = 0
        else:
            assert outcome.event and outcome.event.action == "failed PIN" and not outcome.account.is_locked(at)
        account = outcome.account


def test_only_a_refusal_of_the_pin_is_a_wrong_pin() -> None:
    """``WrongPin``: the act asks the PIN again, what was typed kept; a role's refusal is no PIN's."""
    at = datetime(2026, 11, 24, 9, tzinfo=UTC)
    account = StaffAccount(name=JUNIOR, role="junior", pin_hash="$argon2id$x", created_at=at)
    with pytest.raises(WrongPin, match=r"^Wrong PIN for Jun Park \("):
        attempt(account, lambda _: False, "sign", at, POLICY).refuse()
    with pytest.raises(NotPermitted, match="may not sign a record") as role:
        attempt(account, lambda _: True, "sign", at, POLICY).refuse()
    assert not isinstance(role.value, WrongPin)
