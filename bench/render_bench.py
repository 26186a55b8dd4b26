"""Time the documents for a full-face consult (prompts/examples/full_face.yaml).

Run: python bench/render_bench.py [--runs N] [--pdf-runs N] [--answers FILE]
Targets: text and HTML under 20 ms each (median and p95), PDF under 1 s. Each figure is context
building plus rendering, as a caller of render_patient / render_summary pays it; the first PDF (which
imports WeasyPrint) is shown on its own.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from assistant import locations
from assistant.documents import render_patient, render_summary
from assistant.files.loaders import load_answers
from assistant.files.resources import load_resources
from assistant.services.headless import consult_date, run_answer_file

TEXT_HTML_TARGET_MS = 20.0
PDF_TARGET_MS = 1000.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(call: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200, help="runs for text and HTML (default 200)")
    parser.add_argument("--pdf-runs", type=int, default=10, help="runs for PDF (default 10)")
    parser.add_argument("--answers", type=Path, default=locations.EXAMPLES_DIR / "full_face.yaml")
    args = parser.parse_args()

    resources = load_resources().value
    assert resources is not None
    loaded = load_answers(args.answers)
    assert loaded.value is not None, loaded.problems
    today = consult_date(loaded.value, None, date.today())
    assert isinstance(today, date)
    outcome = run_answer_file(resources, loaded.value, today)
    assert outcome.plan is not None and outcome.consult is not None, outcome.problems
    plan, answers, kb, clinic = outcome.plan, outcome.consult.answers, resources.kb, resources.clinic
    extra = {"staff": "Bench Practitioner", "lot_number": "BENCH-001", "lot_expiry": date(2099, 1, 1)}

    documents: dict[str, Callable[[str], object]] = {
        "patient": lambda fmt: render_patient(plan, kb, clinic, fmt, answers=answers),  # type: ignore[arg-type]
        "summary": lambda fmt: render_summary(plan, kb, clinic, fmt, answers=answers, **extra),  # type: ignore[arg-type]
    }
    print(f"{args.answers.name}: {len({line.zone for line in plan.lines})} zones, {len(plan.lines)} plan lines")
    failed = []

    for fmt, runs, target in (("text", args.runs, TEXT_HTML_TARGET_MS), ("html", args.runs, TEXT_HTML_TARGET_MS)):
        for name, make in documents.items():
            make(fmt)  # compile the templates once, as a long-running CLI or UI has
            samples = timed(lambda make=make, fmt=fmt: make(fmt), runs)
            median, p95 = statistics.median(samples), percentile(samples, 0.95)
            ok = p95 < target
            failed += [] if ok else [f"{name} {fmt}"]
            print(
                f"{name:8s} {fmt:5s} median {median:7.2f} ms   p95 {p95:7.2f} ms   "
                f"({runs} runs; target < {target:g} ms: {'ok' if ok else 'MISSED'})"
            )

    t0 = time.perf_counter()
    documents["patient"]("pdf")
    print(f"first PDF (imports WeasyPrint): {(time.perf_counter() - t0) * 1000:7.1f} ms")
    for name, make in documents.items():
        samples = timed(lambda make=make: make("pdf"), args.pdf_runs)
        median, p95 = statistics.median(samples), percentile(samples, 0.95)
        ok = p95 < PDF_TARGET_MS
        failed += [] if ok else [f"{name} pdf"]
        print(
            f"{name:8s} pdf   median {median:7.1f} ms   p95 {p95:7.1f} ms   "
            f"({args.pdf_runs} runs; target < {PDF_TARGET_MS:g} ms: {'ok' if ok else 'MISSED'})"
        )
    print("all targets met" if not failed else f"targets missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
