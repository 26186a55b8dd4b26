"""The records bench's measuring, run in a fresh process per store (``records_bench.py --measure``):
each operation timed through the public repository API, with its target, the load average when it
ran, and the bare yardsticks of the same run (a round trip and a durable commit of one row, on the
same server, by psycopg alone), so a figure taken on a busy machine can be read against its floor.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from records_data import CHART_PATIENT, END, Clinic

TARGETS = {
    "save (returning patient)": 10.0,
    "save (new patient)": 10.0,
    "get(consult_id)": 10.0,
    "history(patient id)": 10.0,
    "chart: history(patient id), 200 consults, whole": 50.0,
    "history(full name), first page": 10.0,
    "history(common name), first page": 10.0,
    "find_patients(full name)": 10.0,
    "find_patients('kim'), worst prefix": 10.0,
    "find_patients('ji'), 2 letters": 10.0,
    "find_patients as you type (each prefix)": 30.0,
    "to_sign, first page": 10.0,
    "recall(lot), first page": 10.0,
    "due(1 day), first page": 10.0,
    "due(7 days), first page": 10.0,
}
"""Each operation's p95 target in ms (issue 21: look-ups and saves at 1,000,000 consults; issue 22:
the chart of a patient with 200 consults, and the patient search as you type)."""
YARDSTICKS = ["yardstick: SELECT 1 round trip", "yardstick: durable commit of one row"]
OPERATIONS = [*TARGETS, *YARDSTICKS]
PAGE = 50
"""The look-ups that can return many rows are timed as the program reads them: their first page of
50 (``services/pages.py``, ``services/due_pages.py``); with --explain, PostgreSQL's plan of each."""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def explained(store: object, look: Callable[[], object]) -> list[str]:
    """PostgreSQL's plan (EXPLAIN ANALYZE, BUFFERS) of every statement ``look`` runs, as it ran them."""
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
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def durability(store: object) -> dict[str, str]:
    """The server's settings that decide whether a committed save survives a crash, as it says them."""
    from sqlalchemy import text

    with store.engine.connect() as connection:  # type: ignore[attr-defined]
        return {name: connection.execute(text(f"SHOW {name}")).scalar() for name in DURABLE}  # type: ignore[misc]


DURABLE = ("fsync", "synchronous_commit", "full_page_writes")


def yardsticks(url: str, runs: int) -> dict[str, list[float]]:
    """A bare round trip and a bare durable commit of one row, by psycopg on the same server."""
    import psycopg

    from assistant.records.postgres.url import parse_database_url

    address = parse_database_url(url)
    dsn = " ".join(
        f"{k}={v}" for k, v in (("dbname", address.database), ("user", address.user), ("host", address.host),
                                ("port", address.port)) if v
    )  # fmt: skip
    samples: dict[str, list[float]] = {name: [] for name in YARDSTICKS}
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS bench_yardstick (n int)")
        for n in range(runs):
            start = time.perf_counter()
            connection.execute("SELECT 1")
            samples[YARDSTICKS[0]].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            connection.execute("INSERT INTO bench_yardstick VALUES (%s)", (n,))
            samples[YARDSTICKS[1]].append((time.perf_counter() - start) * 1000)
        connection.execute("DROP TABLE bench_yardstick")
    return samples


def typed(names: list[str], count: int) -> list[str]:
    """What a search box holds after each keystroke of typing these names, ``count`` of them."""
    prefixes = [name[:n] for name in names for n in range(1, len(name) + 1)]
    return [p for p in prefixes if p.strip()][:count]


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

    def summed(name: str, samples: list[float], found: float) -> None:
        results[name] = {
            "median": statistics.median(samples),
            "p95": percentile(samples, 0.95),
            "max": max(samples),
            "found": found,
            "load": os.getloadavg()[0],
        }

    def timed(name: str, action: Callable[[int], object], count: int = runs, warm: bool = True) -> None:
        """``warm``: a look-up is first run once over the same sample, untimed in the figures, as on a
        server that has been running (its pages cached, its statements prepared); that first pass's
        p95 is kept as ``cold_p95`` and printed under the table. Saves are not repeated (``warm=False``)."""
        if warm:
            cold = []
            for index in range(count):
                start = time.perf_counter()
                action(index)
                cold.append((time.perf_counter() - start) * 1000)
        samples, found = [], 0
        for index in range(count):
            start = time.perf_counter()
            result = action(index)
            samples.append((time.perf_counter() - start) * 1000)
            found += len(result) if isinstance(result, list) else int(result is not None)
        summed(name, samples, found / count)
        if warm:
            results[name]["cold_p95"] = percentile(cold, 0.95)  # type: ignore[index]

    def save_returning(i: int) -> object:
        saved.append(save_new(store, returning[i]).consult_id)
        return saved[-1]

    def rows(page: object) -> list[object]:
        return list(page.rows)  # type: ignore[attr-defined]

    lots = sample["lots"]
    days = [date.fromisoformat(d) for d in sample["days"]]
    common = sample["common"]
    keystrokes = typed([CHART_PATIENT[0], *(name for name, _ in known)], runs)
    if kind == "postgres":
        results["durability"] = durability(store)
        for name, samples in yardsticks(where, runs).items():
            summed(name, samples, 1)
    timed("save (returning patient)", save_returning, warm=False)
    timed("save (new patient)", lambda i: save_new(store, new[i]), warm=False)
    timed("get(consult_id)", lambda i: store.get(saved[i]))
    timed("history(patient id)", lambda i: store.history(sample["ids"][i]))
    timed("chart: history(patient id), 200 consults, whole", lambda i: store.history(CHART_PATIENT[1]))
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
    timed("find_patients as you type (each prefix)", lambda i: store.find_patients(keystrokes[i]), len(keystrokes))
    for name in list(looks)[2:]:
        timed(name, looks[name])
    if explain and kind == "postgres":
        looks["chart: history(patient id), 200 consults, whole"] = lambda i: store.history(CHART_PATIENT[1])
        looks["find_patients as you type ('Kim Ji')"] = lambda i: store.find_patients("Kim Ji")
        results["plans"] = {name: explained(store, lambda look=look: look(0)) for name, look in looks.items()}
    results["peak_memory_mib"] = peak_memory_mib()
    return results


def peak_memory_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it is not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
