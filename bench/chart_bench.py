"""Time the chart and the patient search as typed on PostgreSQL, against a yardstick of the same run.

The record is ``records_bench.py``'s (default 1,000,000 consults of 300,000 patients, built once by
COPY; ``--keep DIR`` reuses it), plus one patient with 200 consults saved through the program. Each
figure is printed beside the yardstick, a primary-key ``get(consult_id)`` timed interleaved with it in
the same process (what the server costs right now: the machine is shared), and the load average.

Timed, as the UI runs them in its workers:
- the search for each keystroke of a full name typed letter by letter (from the 2nd letter), and for
  a clinic number (``services.chart.search``: the screen's keystroke itself only restarts a timer),
  then the dates of birth of the rows found, read after they are shown (``checked``);
- opening a chart: the 200-consult patient (``services.chart.open_chart``: history over her keys,
  her recent treatments, the next due dates);
- one consult whole (``consult_story``), the Waiting screen's first page of each tab and its counts.
Targets (issue 22): a chart of 200 consults under 50 ms p95; each keystroke under 30 ms p95.

Run: python bench/chart_bench.py [--consults N] [--patients N] [--runs N] [--keep DIR] [--database URL]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from records_bench import build_postgres, peak_memory_mib, percentile
from records_data import END, Clinic

CHART_NAME, CHART_ID = "Chart Bench Patient", "CB-200"


def measure(url: str, runs: int, patients: int) -> dict[str, object]:
    import random

    from assistant.files.resources import load_resources
    from assistant.records import open_repository
    from assistant.services import chart, waiting
    from assistant.services.recording import save_new

    store = open_repository(None, url)
    kb = load_resources().value.kb  # type: ignore[union-attr]
    clinic = Clinic(patients, 10)
    rng = random.Random(22)
    if not store.find_patients(CHART_ID):
        for n in range(200):
            save_new(store, clinic.record(CHART_NAME, CHART_ID, END - timedelta(days=7 * n)))
    key = store.find_patients(CHART_ID)[0].patient_key
    people = [rng.choice(clinic.patients.people) for _ in range(runs)]
    ids = [rng.choice([p for p in clinic.patients.people if p[1]])[1] for _ in range(runs)]
    yard_ids = [s.consult_id for s in store.history(key)]
    results: dict[str, object] = {}

    def timed(name: str, actions: list[Callable[[], object]]) -> None:
        samples, yard = [], []
        for index, action in enumerate(actions):
            start = time.perf_counter()
            store.get(yard_ids[index % len(yard_ids)])
            yard.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            action()
            samples.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "median": statistics.median(samples),
            "p95": percentile(samples, 0.95),
            "yard_median": statistics.median(yard),
            "yard_p95": percentile(yard, 0.95),
            "n": len(samples),
        }

    typed = [name[:end] for name, _ in people for end in range(2, len(name) + 1)]
    timed("search, each keystroke of a name", [lambda t=t: chart.search(store, t) for t in typed])
    timed("search, a clinic number", [lambda n=n: chart.search(store, n) for n in ids])
    firsts = [chart.search(store, name) for name, _ in people]
    timed("dates of birth of the rows (checked)", [lambda f=f: chart.checked(store, f) for f in firsts])
    timed("open_chart, 200 consults", [lambda: chart.open_chart(store, key, kb.timing, END)] * runs)
    timed("consult_story", [lambda c=c: chart.consult_story(store, c) for c in yard_ids[:runs]])
    for kind in ("give", "sign", "cosign"):
        timed(f"waiting, first page: {kind}", [lambda k=kind: waiting.waiting_page(store, k)] * runs)  # type: ignore[misc]
    timed("waiting, counts (capped)", [lambda: waiting.counts(store, None)] * runs)
    results["peak_memory_mib"] = peak_memory_mib()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--consults", type=int, default=1_000_000)
    parser.add_argument("--patients", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="build the record here and reuse it next time")
    parser.add_argument("--database", help="an existing PostgreSQL database (default: a throwaway server)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs, args.patients)))
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="chart-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    server = None
    try:
        url = args.database
        if url is None:
            from tests.postgres_server import TemporaryServer

            server = TemporaryServer(root / "postgres").start_or_reuse()
            url = server.url("bench") if server.has_database("bench") else server.create_database("bench")
        build_postgres(url, Clinic(args.patients, 10), args.consults)
        done = subprocess.run(
            [sys.executable, __file__, "--measure", url, "--runs", str(args.runs), "--patients", str(args.patients)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"measuring failed:\n{done.stderr}")
        results = json.loads(done.stdout)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"PostgreSQL {args.consults:,} consults; load average {load}; ms, median / p95 (n)")
        print(f"{'operation':36}{'measured':>22}{'yardstick get()':>22}")
        for name, cell in results.items():
            if isinstance(cell, dict):
                print(
                    f"{name:36}{cell['median']:10.2f} / {cell['p95']:7.2f} ({cell['n']})"
                    f"{cell['yard_median']:10.2f} / {cell['yard_p95']:7.2f}"
                )
        print(f"peak memory of the measuring process: {results['peak_memory_mib']:.0f} MiB")
    finally:
        if server is not None:
            server.stop()
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
