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
    "history(full name)",
    "find_patients(full name)",
    "find_patients('kim'), worst prefix",
    "find_patients('ji'), 2 letters",
    "to_sign()",
    "recall(lot)",
    "due(1 day)",
    "due(7 days)",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# -- measuring (in a process of its own) --------------------------------------------------------------


def measure(spec: str, sample_file: Path, runs: int) -> dict[str, object]:
    from assistant.files.resources import load_resources
    from assistant.records import open_repository
    from assistant.services.recording import save_new
    from assistant.services.tracing import recall, who_is_due

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
    timed("history(full name)", lambda i: store.history(known[i][0]))
    timed("find_patients(full name)", lambda i: store.find_patients(known[i][0]))
    timed("find_patients('kim'), worst prefix", lambda i: store.find_patients("kim"))
    timed("find_patients('ji'), 2 letters", lambda i: store.find_patients("ji"))
    timed("to_sign()", lambda i: store.to_sign())
    timed("recall(lot)", lambda i: recall(store, lots[i % len(lots)]))
    timed("due(1 day)", lambda i: who_is_due(store, kb, days[i % len(days)], 1))
    timed("due(7 days)", lambda i: who_is_due(store, kb, days[i % len(days)], 7))
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
    from assistant.records import TinyDBStore

    if (folder / "patients").is_dir():
        print(f"TinyDB: reusing {folder}")
        return
    start = time.perf_counter()
    count = TinyDBStore(folder, durable=False).bulk_load(clinic.generate(consults))
    print(f"TinyDB: built {count:,} consults in {time.perf_counter() - start:.0f} s")


def build_postgres(url: str, clinic: Clinic, consults: int) -> None:
    from pg_bulk import bulk_load

    from assistant.records.postgres.migrate import status, upgrade
    from assistant.records.postgres.url import parse_database_url

    address = parse_database_url(url)
    found = status(address)
    if found.counts.get("consults", 0) >= consults:
        print(f"PostgreSQL: reusing {found.counts['consults']:,} consults")
        return
    upgrade(address)
    start = time.perf_counter()
    count = bulk_load(url, clinic.generate(consults))
    print(f"PostgreSQL: built {count:,} consults in {time.perf_counter() - start:.0f} s")


def sample_for(clinic: Clinic, runs: int, path: Path) -> None:
    rng = random.Random(11)
    people = clinic.patients.people
    known = [rng.choice(people) for _ in range(runs)]
    with_id = [p for p in people if p[1]]
    span = (END - clinic.start).days
    days = [clinic.start + timedelta(days=120 + rng.randrange(span - 120)) for _ in range(runs)]
    sample = {
        "known": known,
        "ids": [rng.choice(with_id)[1] for _ in range(runs)],
        "newcomers": [(f"Newcomer {rng.getrandbits(32):x} Bench", None) for _ in range(runs)],
        "lots": sorted({lot_of(d) for d in days}),
        "days": [d.isoformat() for d in days],
    }
    path.write_text(json.dumps(sample), encoding="utf-8")


def run_measure(spec: str, sample: Path, runs: int) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", spec, "--sample", str(sample), "--runs", str(runs)],
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
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.sample, args.runs)))
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
            f"postgres:{url}", root / "postgres-sample.json", args.runs
        )
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
