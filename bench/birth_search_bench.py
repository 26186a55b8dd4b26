"""Time the patient search by date of birth (issue 22.1) on PostgreSQL with a large register.

A throwaway server (or ``--database``) is migrated and given ``--patients`` register entries (default
300,000, as ``records_bench.py``'s clinic) in one ``INSERT ... SELECT``: dates of birth spread over
1930-2005 (about eleven patients a day), names from a few hundred. Then ``services.chart.search`` is
timed for a date alone, a name with a date, and a clinic number with a date (``--runs`` each, days
picked at random), beside a primary-key ``registered(key)`` timed interleaved with it (what the
server costs right now: the machine is shared). Target (issue 22): each keystroke under 30 ms p95.

Run: python bench/birth_search_bench.py [--patients N] [--runs N] [--database URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from records_measure import percentile

FIRST, DAYS = date(1930, 1, 1), 27_393  # to 2004-12-31

FILL = """
INSERT INTO register (patient_key, revision, folded_name, folded_number, clinic_number, merged_into, patient)
SELECT 'pt:bench' || n, 1, lower(name), lower('B-' || n), 'B-' || n, NULL,
       jsonb_build_object('patient_key', 'pt:bench' || n, 'name', name, 'clinic_number', 'B-' || n,
                          'date_of_birth', to_char(DATE '1930-01-01' + (n::bigint * 7919 % {days})::int, 'YYYY-MM-DD'),
                          'registered_at', '2026-01-01T09:00:00+00:00', 'revision', 1)
FROM (SELECT n, (ARRAY['Kim', 'Lee', 'Park', 'Choi', 'Jung'])[1 + n % 5] || ' ' ||
                (ARRAY['Ji-woo', 'Seo-yeon', 'Min-jun', 'Ha-eun', 'Do-yun', 'Su-ah'])[1 + (n / 5) % 6] || ' ' ||
                (n % 97)::text AS name
      FROM generate_series(1, {patients}) AS n) AS people
"""


def measure(url: str, patients: int, runs: int) -> dict[str, dict[str, float]]:
    from sqlalchemy import text

    from assistant.records import open_repository
    from assistant.records.postgres.connection import make_engine
    from assistant.records.postgres.migrate import upgrade
    from assistant.records.postgres.url import parse_database_url
    from assistant.services import chart

    address = parse_database_url(url)
    upgrade(address)
    engine = make_engine(address)
    with engine.begin() as connection:
        if connection.execute(text("SELECT count(*) FROM register")).scalar() < patients:
            start = time.perf_counter()
            connection.execute(text(FILL.format(days=DAYS, patients=patients)))
            connection.execute(text("ANALYZE register"))
            print(f"register: {patients:,} entries in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    store = open_repository(None, url)
    rng = random.Random(22)
    days = [FIRST + timedelta(days=rng.randrange(DAYS)) for _ in range(runs)]
    results: dict[str, dict[str, float]] = {}

    def timed(name: str, actions: list[Callable[[], object]]) -> None:
        samples, yard, found = [], [], []
        for n, action in enumerate(actions):
            start = time.perf_counter()
            store.registered(f"pt:bench{1 + n}")
            yard.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            found.append(len(action()))  # type: ignore[arg-type]
            samples.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "median": statistics.median(samples),
            "p95": percentile(samples, 0.95),
            "yard_p95": percentile(yard, 0.95),
            "rows_median": statistics.median(found),
        }

    timed("a date of birth alone", [lambda d=d: chart.search(store, d.isoformat()) for d in days])
    timed("a name and a date", [lambda d=d: chart.search(store, f"kim {d.isoformat()}") for d in days])
    timed("a number and a date", [lambda d=d: chart.search(store, f"B-17 {d.isoformat()}") for d in days])
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database", help="an existing PostgreSQL database (default: a throwaway server)")
    args = parser.parse_args()
    server = None
    try:
        url = args.database
        if url is None:
            from tests.postgres_server import TemporaryServer

            root = Path(tempfile.mkdtemp(prefix="birth-bench-"))
            root.chmod(0o755)  # the server may run as another user (root runs it as postgres)
            server = TemporaryServer(root / "postgres").start()
            url = server.create_database("bench")
        for name, row in measure(url, args.patients, args.runs).items():
            print(
                f"{name:24} median {row['median']:6.2f} ms  p95 {row['p95']:6.2f} ms  "
                f"(yardstick p95 {row['yard_p95']:.2f} ms; {row['rows_median']:.0f} rows found)"
            )
    finally:
        if server is not None:
            server.close()
            server.root.parent.rmdir()


if __name__ == "__main__":
    main()
