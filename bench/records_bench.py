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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from records_data import END, Clinic, lot_of

OPERATIONS = [
    "save (returning patient)",
    "save (new patient)",
    "get(consult_id)",
    "history(patient id)",
    "history(full name), first page",
    "history(common name), first page",
    "find_patients(full name)",
    "find_patients('kim'), worst prefix",
    "find_patients('ji'), 2 letters",
    "to_sign, first page",
    "recall(lot), first page",
    "due(1 day), first page",
    "due(7 days), first page",
]
"""The look-ups that can return many rows are timed as the program reads them: their first page
of 50 (``services/pages.py``, ``services/due_pages.py``); with --explain, PostgreSQL's plan of each."""
PAGE = 50


def load() -> str:
    """The load average (1, 5, 15 minutes): figures taken on a busy machine say so beside them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# -- measuring (in a process of its own) --------------------------------------------------------------


def explained(store: object, look: Callable[[], object]) -> list[str]:
    """PostgreSQL's plan (EXPLAIN ANALYZE) of every statement ``look`` runs, as it ran them."""
    from sqlalchemy import event

    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    engine = store.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        look()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    plans = []
    with engine.connect() as connection:
        for statement, parameters in statements:
            cursor = connection.connection.driver_connection.cursor()
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def measure(spec: str, sample_file: Path, runs: int, explain: bool = False) -> dict[str, object]:
    from assistant.files.resources import load_resources
    from assistant.records import open_repository
    from assistant.services.due_pages import due_page
    from assistant.services.pages import history_page, recall_page, to_sign_page
    from assistant.services.recording import save_new

    sample = json.loads(sample_file.read_text(encoding="utf-8"))
    kind, _, where = spec.partition(":")
    store = open_repository(Path(where), None) if kind == "tinydb" else open_repository(None, where)
    kb = load_resources().value.kb  # type: ignore[union-attr]
    clinic = Clinic(patients=1, years=1, seed=time.time_ns())  # new consult ids on every run
    known = [tuple(p) for p in sample["known"]]
    newcomers = [tuple(p) for p in sample["newcomers"]]
    returning = [clinic.record(n, i, END, state="planned") for n, i in known[:runs]]
    new = [clinic.record(n, i, END, state="planned") for n, i in newcomers[:runs]]
    saved: list[str] = []
    results: dict[str, object] = {}

    def timed(name: str, action: Callable[[int], object], count: int = runs) -> None:
        samples, found = [], 0
        for index in range(count):
            start = time.perf_counter()
            result = action(index)
            samples.append((time.perf_counter() - start) * 1000)
            found += len(result) if isinstance(result, list) else int(result is not None)
        results[name] = {
            "median": statistics.median(samples),
            "p95": percentile(samples, 0.95),
            "max": max(samples),
            "found": found / count,
        }

    def save_returning(i: int) -> object:
        saved.append(save_new(store, returning[i]).consult_id)
        return saved[-1]

    lots = sample["lots"]
    days = [date.fromisoformat(d) for d in sample["days"]]
    timed("save (returning patient)", save_returning)
    timed("save (new patient)", lambda i: save_new(store, new[i]))
    timed("get(consult_id)", lambda i: store.get(saved[i]))
    timed("history(patient id)", lambda i: store.history(sample["ids"][i]))
    common = sample["common"]

    def rows(page: object) -> list[object]:
        return list(page.rows)  # type: ignore[attr-defined]

    looks: dict[str, Callable[[int], object]] = {
        "history(full name), first page": lambda i: rows(history_page(store, [known[i][0]], None, PAGE)),
        "history(common name), first page": lambda i: rows(history_page(store, [common[i % len(common)]], None, PAGE)),
        "to_sign, first page": lambda i: rows(to_sign_page(store, None, PAGE)),
        "recall(lot), first page": lambda i: rows(recall_page(store, lots[i % len(lots)], None, PAGE)),
        "due(1 day), first page": lambda i: rows(due_page(store, kb.timing, days[i % len(days)], 1, None, PAGE)),
        "due(7 days), first page": lambda i: rows(due_page(store, kb.timing, days[i % len(days)], 7, None, PAGE)),
    }
    timed("history(full name), first page", looks["history(full name), first page"])
    timed("history(common name), first page", looks["history(common name), first page"])
    timed("find_patients(full name)", lambda i: store.find_patients(known[i][0]))
    timed("find_patients('kim'), worst prefix", lambda i: store.find_patients("kim"))
    timed("find_patients('ji'), 2 letters", lambda i: store.find_patients("ji"))
    for name in list(looks)[2:]:
        timed(name, looks[name])
    if explain and kind == "postgres":
        results["plans"] = {name: explained(store, lambda look=look: look(0)) for name, look in looks.items()}
    results["peak_memory_mib"] = peak_memory_mib()
    return results


def peak_memory_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it is not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def table(columns: dict[str, dict[str, object]]) -> None:
    names = list(columns)
    header = f"{'operation':38}" + "".join(f"{name:>30}" for name in names)
    print(header)
    print(f"{'':38}" + "".join(f"{'median / p95 ms (found)':>30}" for _ in names))
    for operation in OPERATIONS:
        cells = []
        for name in names:
            cell = columns[name][operation]
            assert isinstance(cell, dict)
            cells.append(f"{cell['median']:8.2f} / {cell['p95']:7.2f} ({cell['found']:7.1f})")
        print(f"{operation:38}" + "".join(f"{c:>30}" for c in cells))
    print(f"{'peak memory of the process':38}" + "".join(f"{columns[n]['peak_memory_mib']:>26.0f} MiB" for n in names))


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
        build_postgres(url, postgres, args.postgres_consults)
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
            print(f"({args.runs} runs each; saves durable and with their audit entry)")
            return
        tinydb = Clinic(args.tinydb_patients, args.years * args.tinydb_consults / args.postgres_consults)
        build_tinydb(root / "tinydb", tinydb, args.tinydb_consults)
        sample_for(tinydb, args.runs, root / "tinydb-sample.json")
        columns[f"TinyDB {args.tinydb_consults:,}"] = run_measure(
            f"tinydb:{root / 'tinydb'}", root / "tinydb-sample.json", args.runs
        )
        table(columns)
        print(f"({args.runs} runs each; saves durable and with their audit entry)")
    finally:
        if server is not None:
            server.stop()
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
