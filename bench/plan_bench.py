"""Time plan + dose summary for a full-face consult (every zone, modifiers, two asymmetries).

Run: python bench/plan_bench.py [--runs N]. Target: under 5 ms per plan.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from assistant.core.consult import Consult
from assistant.core.flow import Flow
from assistant.core.planner import make_plan
from assistant.documents import render_summary
from assistant.files.resources import load_resources

ANSWERS = {
    "patient_name": "Bench Patient",
    "sex": "male",
    "neuromuscular_disorder": False,
    "infection_at_site": False,
    "toxin_allergy": False,
    "aminoglycosides": False,
    "zones": ["glabella", "forehead", "crows_feet", "bunny_lines", "gummy_smile", "marionette", "chin", "masseter"],
    "age": 55,
    "skin_thickness": "thick",
    "muscle_strength": "strong",
    "effect": "standard",
    "prior_treatment_date": "2026-11-05",
    "prior_zones": ["glabella"],
    "asymmetries": [
        {"zone": "masseter", "stronger_side": "left", "extra_units": 2},
        {"zone": "forehead", "stronger_side": "right", "extra_units": 1},
    ],
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    runs = parser.parse_args().runs
    resources = load_resources().value
    assert resources is not None
    flow = Flow(resources.script, date(2026, 11, 24))

    def once() -> tuple[float, float, float]:
        t0 = time.perf_counter()
        result = flow.read_file(ANSWERS)
        consult = Consult.from_answers(flow, result.answers)
        t1 = time.perf_counter()
        plan = make_plan(consult, resources.kb, resources.clinic)
        t2 = time.perf_counter()
        render_summary(
            plan, resources.kb, resources.clinic, "text", answers=result.answers,
            templates_dir=resources.templates_dir, script=resources.script,
        )  # fmt: skip
        t3 = time.perf_counter()
        return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000

    for _ in range(50):
        once()
    samples = [once() for _ in range(runs)]
    for index, name in enumerate(("validate answers", "plan", "dose summary (text)")):
        values = [s[index] for s in samples]
        print(f"{name:22s} median {statistics.median(values):6.3f} ms   p95 {percentile(values, 0.95):6.3f} ms")
    totals = [sum(s[1:]) for s in samples]
    print(f"{'plan + summary':22s} median {statistics.median(totals):6.3f} ms   p95 {percentile(totals, 0.95):6.3f} ms")
    print(f"({runs} runs, full face: 8 zones, modifiers, two asymmetries, one touch-up)")


if __name__ == "__main__":
    main()
