"""Time the consult record on both stores, side by side: PostgreSQL at 1,000,000 consults of 300,000
patients, TinyDB at 100,000 of 30,000. Targets (PostgreSQL at 1,000,000): every look-up and save
under 10 ms p95, and the program's memory under 200 MiB.

Run: python bench/records_bench.py [--postgres-consults N] [--tinydb-consults N] [--runs N] [--keep DIR]
     [--database URL]

The stores are built once (TinyDB through its ``bulk_load``, PostgreSQL by COPY, see ``pg_bulk.py``);
with --keep DIR they are kept there and reused by the next run. Without --database a throwaway
PostgreSQL server is started from the system's binaries. Each store is then measured in a fresh
process through the public repository API only (the TinyDB store durable: fsync on every write), and
that process's peak memory is reported. The clinic's data is in ``records_data.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from records_data import END, Clinic, lot_of
from records_measure import DURABLE, OPERATIONS, TARGETS, measure


def load() -> str:
    """The load average (1, 5, 15 minutes): figures taken on a busy machine say so beside them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- building -------------------------------------------------------------------------------------------


def build_tinydb(folder: Path, clinic: Clinic, consults: int) -> None:
    from assistant.cli.progress import progress
    from assistant.core.progress import counted
    from assistant.records import TinyDBStore

    if (folder / "patients").is_dir():
        print(f"TinyDB: reusing {folder}")
        return
    start = time.perf_counter()
    with progress("TinyDB bulk load") as report:
        count = TinyDBStore(folder, durable=False).bulk_load(counted(clinic.generate(consults), report, consults))
    print(f"TinyDB: built {count:,} consults in {time.perf_counter() - start:.0f} s")


def build_postgres(url: str, clinic: Clinic, consults: int) -> None:
    from pg_bulk import bulk_load

    from assistant.cli.progress import progress
    from assistant.records.postgres.migrate import status, upgrade
    from assistant.records.postgres.url import parse_database_url

    address = parse_database_url(url)
    upgrade(address)  # a kept database gets the newest indexes (migration 0004 builds them at 1M in seconds)
    found = status(address)
    if found.counts.get("consults", 0) >= consults:
        print(f"PostgreSQL: reusing {found.counts['consults']:,} consults")
        return
    start = time.perf_counter()
    with progress("PostgreSQL bulk load") as report:
        count = bulk_load(url, clinic, clinic.visits(consults), lambda done, total=None: report(done, consults))
    seconds = time.perf_counter() - start
    print(f"PostgreSQL: built {count:,} consults in {seconds:.0f} s ({count / seconds:,.0f}/s; load {load()})")


def sample_for(clinic: Clinic, runs: int, path: Path) -> None:
    rng = random.Random(11)
    people = clinic.patients.people
    known = [rng.choice(people) for _ in range(runs)]
    with_id = [p for p in people if p[1]]
    by_name: dict[str, int] = {}
    for name, _ in people:
        by_name[name] = by_name.get(name, 0) + 1
    common = sorted(by_name, key=lambda name: (-by_name[name], name))[:10]
    span = (END - clinic.start).days
    days = [clinic.start + timedelta(days=120 + rng.randrange(span - 120)) for _ in range(runs)]
    sample = {
        "known": known,
        "ids": [rng.choice(with_id)[1] for _ in range(runs)],
        "common": common,
        "newcomers": [(f"Newcomer {rng.getrandbits(32):x} Bench", None) for _ in range(runs)],
        "lots": sorted({lot_of(d) for d in days}),
        "days": [d.isoformat() for d in days],
    }
    path.write_text(json.dumps(sample), encoding="utf-8")


def run_measure(spec: str, sample: Path, runs: int, explain: bool = False) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", spec, "--sample", str(sample), "--runs", str(runs)]
        + (["--explain"] if explain else []),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"measuring {spec.split(':')[0]} failed:\n{result.stderr}")
    return json.loads(result.stdout)


AFTER_A_FIRST_PASS = ", look-ups after a first untimed pass over the same sample"


def table(columns: dict[str, dict[str, object]]) -> None:
    """Median / p95 (rows found) of each operation per store, with the p95 target and PASS/FAIL, and
    the load average (1 minute) as each was measured."""
    names = list(columns)
    print(f"{'operation':48}" + "".join(f"{name:>44}" for name in names))
    print(f"{'':48}" + "".join(f"{'median / p95 ms (found)  target   load':>44}" for _ in names))
    for operation in OPERATIONS:
        cells = []
        for name in names:
            cell = columns[name].get(operation)
            if not isinstance(cell, dict):
                cells.append("-")
                continue
            target = TARGETS.get(operation)
            verdict = "" if target is None else f"{'PASS' if cell['p95'] < target else 'FAIL'} <{target:g}"
            cells.append(
                f"{cell['median']:7.2f} / {cell['p95']:7.2f} ({cell['found']:6.1f}) {verdict:>9} {cell['load']:5.1f}"
            )
        print(f"{operation:48}" + "".join(f"{c:>44}" for c in cells))
    for name in names:
        cells = columns[name].items()
        cold = [(op, cell["cold_p95"]) for op, cell in cells if isinstance(cell, dict) and "cold_p95" in cell]
        if cold:
            print(f"{name}, each look-up's first pass over its sample (cold: just after the server started), p95 ms:")
            print("  " + "; ".join(f"{op} {p95:.1f}" for op, p95 in cold))
    print(f"{'peak memory of the process':48}" + "".join(f"{columns[n]['peak_memory_mib']:>40.0f} MiB" for n in names))
    for name in names:
        said = columns[name].get("durability")
        if isinstance(said, dict):
            durable = all(said[setting] == "on" for setting in DURABLE)
            settings = ", ".join(f"{k}={v}" for k, v in said.items())
            print(f"{name} saves: {settings}: {'durable' if durable else 'NOT durable (a crash may lose them)'}")


def durable_server(server: object, on: bool) -> None:
    """The bench's own server (``tests/postgres_server.py`` starts it with fsync off): loaded fast
    with it off, measured with every setting that makes a commit durable on (``SIGHUP`` settings,
    applied by a reload; a checkpoint first writes what was loaded without them)."""
    for setting in DURABLE:
        server.psql(f"ALTER SYSTEM SET {setting} = {'on' if on else 'off'}")  # type: ignore[attr-defined]
    server.psql("SELECT pg_reload_conf()")  # type: ignore[attr-defined]
    if on:
        server.psql("CHECKPOINT")  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres-consults", type=int, default=1_000_000)
    parser.add_argument("--postgres-patients", type=int, default=300_000)
    parser.add_argument("--tinydb-consults", type=int, default=100_000)
    parser.add_argument("--tinydb-patients", type=int, default=30_000)
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build the stores here and reuse them next time")
    parser.add_argument(
        "--database", help="an existing PostgreSQL database to build into (default: a throwaway server)"
    )
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL's plan of each first page")
    parser.add_argument("--skip-tinydb", action="store_true", help="measure PostgreSQL alone")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.sample, args.runs, args.explain)))
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="records-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)  # a server run as the postgres user (when the bench runs as root) must reach its folder
    server = None
    try:
        url = args.database
        if url is None:
            from tests.postgres_server import TemporaryServer

            server = TemporaryServer(root / "postgres").start_or_reuse()
            url = server.url("bench") if server.has_database("bench") else server.create_database("bench")
        columns: dict[str, dict[str, object]] = {}
        postgres = Clinic(args.postgres_patients, args.years)
        if server is not None:
            durable_server(server, on=False)
        build_postgres(url, postgres, args.postgres_consults)
        if server is not None:
            durable_server(server, on=True)
        sample_for(postgres, args.runs, root / "postgres-sample.json")
        columns[f"PostgreSQL {args.postgres_consults:,}"] = run_measure(
            f"postgres:{url}", root / "postgres-sample.json", args.runs, args.explain
        )
        for name, plans in columns[f"PostgreSQL {args.postgres_consults:,}"].pop("plans", {}).items():  # type: ignore[union-attr]
            print(f"-- {name}:")
            for plan in plans:
                print(plan)
        if args.skip_tinydb:
            table(columns)
            print(f"({args.runs} runs each{AFTER_A_FIRST_PASS}; saves with their audit entry; load now {load()})")
            return
        tinydb = Clinic(args.tinydb_patients, args.years * args.tinydb_consults / args.postgres_consults)
        build_tinydb(root / "tinydb", tinydb, args.tinydb_consults)
        sample_for(tinydb, args.runs, root / "tinydb-sample.json")
        columns[f"TinyDB {args.tinydb_consults:,}"] = run_measure(
            f"tinydb:{root / 'tinydb'}", root / "tinydb-sample.json", args.runs
        )
        table(columns)
        fsynced = "saves with their audit entry, TinyDB's fsynced"
        print(f"({args.runs} runs each{AFTER_A_FIRST_PASS}; {fsynced}; load now {load()})")
    finally:
        if server is not None:
            server.stop()
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
