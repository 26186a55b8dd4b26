"""How long a change takes to be heard on another workstation (issue 22.3: within 2 s), on both
stores, each beside its yardstick measured in the same run:

- PostgreSQL: a draft saved through the store (the trigger's NOTIFY at commit) until the listener
  (``records/postgres/listening.py``) hears it; yardstick: a bare ``SELECT pg_notify`` heard by a
  bare psycopg connection's ``notifies()`` on the same server.
- TinyDB: a draft saved through the store (durable: fsync) until the watcher
  (``records/tinydb/watching.py``) hears it; yardstick: a bare file written and renamed into a folder
  watched by ``watchfiles`` with the same debounce.

Run: python bench/live_bench.py [--runs N] [--database URL]
Without --database a throwaway PostgreSQL server is started from the system's binaries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
import watchfiles

from assistant.core.lifecycle.ids import new_record_id
from assistant.core.lifecycle.listing import Draft
from assistant.records import TinyDBStore
from assistant.records.postgres.listening import Listener, conninfo
from assistant.records.postgres.migrate import upgrade
from assistant.records.postgres.store import PostgresStore
from assistant.records.postgres.url import parse_database_url
from assistant.records.tinydb.watching import Watcher


def a_draft(n: int) -> Draft:
    now = dt.datetime.now(dt.UTC)
    return Draft(
        draft_id=new_record_id(now, randomness=n),
        answers={"patient_name": f"Bench Patient {n}"},
        started_at=now,
        updated_at=now,
        script_id="botulax-consult",
        script_version="bench",
    )


def timed(runs: int, change: Callable[[int], None], heard: queue.Queue[float]) -> list[float]:
    """Milliseconds from each change's start until it was heard."""
    times = []
    for n in range(runs):
        start = time.perf_counter()
        change(n)
        at = heard.get(timeout=10)
        times.append((at - start) * 1000)
        while not heard.empty():  # a change heard twice (several files) counts once
            heard.get_nowait()
    return times


def summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"{name:52} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms"


def postgres(url: str, runs: int) -> None:
    address = parse_database_url(url)
    upgrade(address)
    store = PostgresStore(address)
    heard: queue.Queue[float] = queue.Queue()
    listener = Listener(address, lambda change: heard.put(time.perf_counter())).start()
    assert listener.listening.wait(30)
    ours = timed(runs, lambda n: store.save_draft(a_draft(n)), heard)
    listener.stop()

    bare: queue.Queue[float] = queue.Queue()
    stop = threading.Event()

    def listen() -> None:
        with psycopg.connect(conninfo(address), autocommit=True) as connection:
            connection.execute("LISTEN bench")
            ready.set()
            while not stop.is_set():
                for _ in connection.notifies(timeout=0.5):
                    bare.put(time.perf_counter())

    ready = threading.Event()
    bare_listener = threading.Thread(target=listen, daemon=True)
    bare_listener.start()
    assert ready.wait(30)
    with psycopg.connect(conninfo(address), autocommit=True) as sender:
        yardstick = timed(runs, lambda n: sender.execute("SELECT pg_notify('bench', %s)", (str(n),)), bare)
    stop.set()
    bare_listener.join(5)
    store.close()
    print(summary("PostgreSQL: draft saved -> heard by the listener", ours))
    print(summary("  yardstick: bare pg_notify -> bare notifies()", yardstick))


def tinydb(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        store = TinyDBStore(data)
        store.save_draft(a_draft(10_000))  # the drafts folder exists before it is watched
        heard: queue.Queue[float] = queue.Queue()
        watcher = Watcher(data, lambda change: heard.put(time.perf_counter())).start()
        assert watcher.watching.wait(30)
        ours = timed(runs, lambda n: store.save_draft(a_draft(n)), heard)
        watcher.stop()

        plain = Path(folder) / "plain"
        plain.mkdir()
        bare: queue.Queue[float] = queue.Queue()
        stop = threading.Event()
        ready = threading.Event()

        def watch() -> None:
            for batch in watchfiles.watch(
                plain, stop_event=stop, debounce=300, step=50, rust_timeout=200, yield_on_timeout=True
            ):
                ready.set()
                if batch:
                    bare.put(time.perf_counter())

        threading.Thread(target=watch, daemon=True).start()
        assert ready.wait(30)

        def write(n: int) -> None:
            temporary = plain / f".{n}.tmp"
            temporary.write_text("{}", encoding="utf-8")
            os.replace(temporary, plain / f"{n}.json")

        yardstick = timed(runs, write, bare)
        stop.set()
    print(summary("TinyDB: draft saved (fsync) -> heard by the watcher", ours))
    print(summary("  yardstick: bare write + rename -> watchfiles (300 ms debounce)", yardstick))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    if args.database:
        postgres(args.database, args.runs)
    else:
        from tests.postgres_server import TemporaryServer

        server = TemporaryServer().start()
        try:
            postgres(server.url(), args.runs)
        finally:
            server.close()
    tinydb(args.runs)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
