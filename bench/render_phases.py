"""Where a document's PDF time goes, phase by phase, in CPU time (full_face.yaml, as bench/render_bench.py).

Run: python bench/render_phases.py [--runs N] [--document summary|patient] [--language en|ko]

Why: render_bench.py gives one figure per PDF; deciding what to make cheaper needs to know which of
WeasyPrint's steps pays for it. Each step is timed by wrapping the function WeasyPrint calls for it, for
the duration of this script only:

- ours: the template, the fonts' setup, the styles taken out, the SVG made an image (all before WeasyPrint)
- parse: tinyhtml5 reading the HTML (``weasyprint.HTML``)
- cascade: every element's computed style (``get_all_computed_styles``)
- boxes: the formatting structure (``build_formatting_structure``, images loaded included)
- layout: the pages laid out (``layout_document``, margin boxes included)
- draw: the pages painted into PDF streams (``Page.paint``, SVG drawing included)
- write: the rest of ``write_pdf``, the PDF objects, fonts and compression (pydyf)

CPU time (``time.process_time``) after a full garbage collection, median of N runs: the shares hold on a
loaded machine better than the milliseconds do.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from assistant import locations
from assistant.documents import render_patient, render_summary
from assistant.files.loaders import load_answers
from assistant.files.resources import load_resources
from assistant.services.headless import consult_date, run_answer_file

KOREAN_NAME = "박민아"
PHASES = ("ours", "parse", "cascade", "boxes", "layout", "draw", "write")


def make_document(document: str, language: str) -> Callable[[], object]:
    """The PDF of one document for the full-face example, as render_bench.py makes it."""
    resources = load_resources().value
    assert resources is not None
    loaded = load_answers(locations.EXAMPLES_DIR / "full_face.yaml")
    assert loaded.value is not None, loaded.problems
    today = consult_date(loaded.value, None, date.today())
    assert isinstance(today, date)
    outcome = run_answer_file(resources, loaded.value, today)
    assert outcome.plan is not None and outcome.consult is not None, outcome.problems
    plan, answers = outcome.plan, outcome.consult.answers
    if language == "ko":
        answers = {**answers, "patient_language": "ko", "patient_name": KOREAN_NAME}
        plan = plan.model_copy(update={"patient_name": KOREAN_NAME})
    kb, clinic = resources.kb, resources.clinic
    if document == "patient":
        return lambda: render_patient(plan, kb, clinic, "pdf", answers=answers)
    extra: dict[str, Any] = {"staff": "Bench Practitioner", "lot_number": "BENCH-001", "lot_expiry": date(2099, 1, 1)}
    return lambda: render_summary(plan, kb, clinic, "pdf", answers=answers, script=resources.script, **extra)


def watch_phases(spent: Counter[str]) -> None:
    """Wrap WeasyPrint's steps so that each adds its CPU time to ``spent`` (for this process's life)."""
    import weasyprint
    from weasyprint import document

    def timed(owner: Any, name: str, phase: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[phase] += time.process_time() - start

        setattr(owner, name, wrapper)

    timed(weasyprint.HTML, "__init__", "parse")
    timed(document, "get_all_computed_styles", "cascade")
    timed(document, "build_formatting_structure", "boxes")
    timed(document.Page, "paint", "draw")
    timed(document.Document, "write_pdf", "write+draw")
    layout = document.layout_document

    def layout_document(*args: Any, **kwargs: Any) -> Iterator[Any]:  # a generator: time each page's making
        pages = layout(*args, **kwargs)
        while True:
            start = time.process_time()
            try:
                page = next(pages)
            except StopIteration:
                spent["layout"] += time.process_time() - start
                return
            spent["layout"] += time.process_time() - start
            yield page

    document.layout_document = layout_document


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--document", choices=("summary", "patient"), default="summary")
    parser.add_argument("--language", choices=("en", "ko"), default="en")
    args = parser.parse_args()
    make_pdf = make_document(args.document, args.language)
    for _ in range(3):  # warm-up: WeasyPrint imported, templates compiled, fonts cut
        make_pdf()
    spent: Counter[str] = Counter()
    watch_phases(spent)
    runs: dict[str, list[float]] = {phase: [] for phase in (*PHASES, "total")}
    for _ in range(args.runs):
        spent.clear()
        gc.collect()
        start = time.process_time()
        make_pdf()
        total = time.process_time() - start
        spent["write"] = spent.pop("write+draw", 0.0) - spent["draw"]
        spent["ours"] = total - sum(spent[phase] for phase in PHASES if phase != "ours")
        for phase in PHASES:
            runs[phase].append(spent[phase] * 1000)
        runs["total"].append(total * 1000)
    total_median = statistics.median(runs["total"])
    print(f"{args.document} pdf {args.language}: CPU time per phase, median of {args.runs} runs")
    for phase in (*PHASES, "total"):
        median = statistics.median(runs[phase])
        print(f"  {phase:8s} {median:7.1f} ms  {median / total_median:6.1%}")


if __name__ == "__main__":
    main()
