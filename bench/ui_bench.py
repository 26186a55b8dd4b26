"""UI speed: start-up to the first question, handling one answer, and saving the documents.

Run: python bench/ui_bench.py [--starts N]

1. Process start to the first question on screen (headless), against a bare Textual app that
   shows one line, measured in the same run, interleaved. Target: within 1.2x of the bare app.
2. Enter on an answer to the next question rendered (the first screen refresh after the next
   question's input is shown), over a whole Pilot-driven consult, against a bare Textual app's
   Enter -> label update timed the same way in the same run (the yardstick: what Textual itself
   costs on this machine now). Targets (issue 21): the median answer within 2.5x the yardstick's
   median, the slowest answer within 8x. Also shown, without a target: Enter to the answer drawn
   in the transcript, which follows the question by a frame.
3. S on the plan screen to "Saving..." rendered on it. Target: under 100 ms.

Each figure is printed with PASS or FAIL against its target, beside the bare yardstick of the same
run, and the load average before and after: on a shared machine the figures move with the load.

Consults here are kept in a temporary folder, never in the user's data folder.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

HERE = Path(__file__).resolve()


def _child(kind: str) -> None:
    """Runs in a fresh process: start an app headless, print ms since the parent spawned us."""
    started = float(os.environ["BENCH_T0"])

    out = os.dup(1)  # Textual captures print() while it runs

    def done() -> None:
        os.write(out, f"{(time.time() - started) * 1000:.1f}\n".encode())

    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("What is the patient's full name?")

            def on_ready(self) -> None:
                self.call_after_refresh(self.finish)

            def finish(self) -> None:
                done()
                self.exit()

        Bare().run(headless=True)
        return

    from assistant.cli import main
    from assistant.tui import app as app_module

    class Timed(app_module.ConsultApp):
        def on_ready(self) -> None:
            self.check()

        def check(self) -> None:
            if self.screen.query(".answer-input"):
                self.call_after_refresh(self.finish)
            else:
                self.set_timer(0.001, self.check)

        def finish(self) -> None:
            done()
            self.exit()

    app_module.ConsultApp = Timed  # type: ignore[misc]
    original_run = Timed.run
    Timed.run = lambda self, **kw: original_run(self, headless=True)  # type: ignore[method-assign]
    main(["--today", "2026-11-24"])


def _spawn(kind: str) -> float:
    env = {**os.environ, "BENCH_T0": repr(time.time())}
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", kind], env=env, capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip().splitlines()[-1])


async def _bare_times(presses: int = 21) -> list[float]:
    """The yardstick: a bare Textual app, Enter in an input -> a label updated and rendered."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Label

    rendered: list[float] = []

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("What is the patient's full name?", id="question")
            yield Input(id="answer")

        def on_input_submitted(self, event: Input.Submitted) -> None:
            self.query_one("#question", Label).update(f"Answer {len(rendered) + 1} taken. Next question?")
            event.input.value = ""
            self.call_after_refresh(lambda: rendered.append(time.perf_counter()))

    times: list[float] = []
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        for number in range(presses):
            await pilot.press(*str(number))
            await pilot.pause()
            rendered.clear()
            t0 = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            times.append((rendered[0] - t0) * 1000)
    return times


async def _answer_times(data_dir: Path) -> tuple[list[float], list[float]]:
    """Each answer: Enter -> the next question rendered, and Enter -> the answer drawn in the transcript."""
    from textual.geometry import Region
    from textual.strip import Strip

    from assistant.files.resources import load_resources
    from assistant.tui.app import make_app
    from assistant.tui.widgets.answer_area import AnswerArea
    from assistant.tui.widgets.transcript import StaffTurn

    rendered: list[float] = []
    drawn: dict[int, float] = {}  # a transcript turn (its id()) -> when it was first drawn
    original_show, original_lines = AnswerArea.show, StaffTurn.render_lines

    def timed_show(self: AnswerArea, *args: object, **kwargs: object) -> object:
        widget = original_show(self, *args, **kwargs)  # type: ignore[arg-type]
        self.call_after_refresh(lambda: rendered.append(time.perf_counter()))
        return widget

    def timed_lines(self: StaffTurn, crop: Region) -> list[Strip]:
        drawn.setdefault(id(self), time.perf_counter())
        return original_lines(self, crop)

    AnswerArea.show = timed_show  # type: ignore[method-assign]
    StaffTurn.render_lines = timed_lines  # type: ignore[method-assign]
    resources = load_resources().value
    assert resources is not None
    app = make_app(resources, date(2026, 11, 24), data_dir=data_dir)
    # (keys typed before Enter, or a single key that answers by itself)
    steps: list[tuple[tuple[str, ...], str]] = [
        (tuple("Mina Park"), "enter"),
        (tuple("1988-05-14"), "enter"),  # date of birth
        ((), "enter"),  # patient id: skip
        ((), "enter"),  # patient language: English
        (("down",), "enter"),  # female (no choice is highlighted until Down)
        ((), "n"),
        ((), "n"),
        ((), "n"),
        ((), "n"),
        ((), "n"),
        (("space", "down", "down", "space", "down", "down", "down", "down", "down", "space"), "enter"),
        ((), "enter"),
        ((), "enter"),
        ((), "enter"),
        (tuple("2026-11-05"), "enter"),
        (("space",), "enter"),
        ((), "y"),
        (("down",), "enter"),  # the asymmetry's zone: the first offered
        (("down",), "enter"),  # the stronger side: the patient's left
        (tuple("2"), "enter"),
        ((), "enter"),  # goals: skip
    ]
    times: list[float] = []
    shown: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for number, (keys, final) in enumerate(steps):
            if keys:
                await pilot.press(*keys)
            await pilot.pause()
            before = app.session.current.id if app.session.current else None
            earlier = {id(t) for t in app.screen.query(StaffTurn)}
            rendered.clear()
            t0 = time.perf_counter()
            await pilot.press(final)
            last = number == len(steps) - 1  # it opens the review screen instead of a question
            if not last:
                await _until(lambda: bool(rendered), f"the question after {before} rendered")
                times.append((rendered[0] - t0) * 1000)

                answer_drawn = partial(_drawn_since, app, earlier, drawn)
                await _until(answer_drawn, f"the answer to {before} drawn")
                shown.append((min(answer_drawn()) - t0) * 1000)
                if os.environ.get("BENCH_VERBOSE"):
                    print(f"  {before:28s} {times[-1]:6.1f} ms  (in the transcript {shown[-1]:6.1f} ms)")
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            after = app.session.current.id if app.session.current else None
            assert after != before, f"answer to {before} was not taken"
    AnswerArea.show, StaffTurn.render_lines = original_show, original_lines  # type: ignore[method-assign]
    return times, shown


def _drawn_since(app: App[None], earlier: set[int], drawn: dict[int, float]) -> list[float]:
    """When each answer shown in the transcript since ``earlier`` was first drawn."""
    from assistant.tui.widgets.transcript import StaffTurn

    return [drawn[id(t)] for t in app.screen.query(StaffTurn) if id(t) not in earlier and id(t) in drawn]


async def _until(condition: Callable[[], object], what: str, timeout: float = 10) -> None:
    """Until ``condition`` holds. A render callback runs after a refresh, which a loaded machine can
    put off past a ``pilot.pause()`` (indexing the empty list of times was this bench's crash); the
    wait is a sleep, so that waiting adds no work to the app being timed."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit(f"ui_bench: {what}: not within {timeout} s")
        await asyncio.sleep(0.001)


async def _saving_shown(data_dir: Path, runs: int = 5) -> list[float]:
    """S on the plan screen -> "Saving..." rendered, for a freshly planned consult each run."""
    from assistant.files.resources import load_resources
    from assistant.tui.app import make_app
    from assistant.tui.widgets.documents_line import DocumentsLine

    shown: list[float] = []
    original_say = DocumentsLine.say

    def timed_say(self: DocumentsLine, text: str) -> None:
        original_say(self, text)
        if text.startswith("Saving"):
            self.call_after_refresh(lambda: shown.append(time.perf_counter()))

    DocumentsLine.say = timed_say  # type: ignore[method-assign]
    resources = load_resources().value
    assert resources is not None
    times: list[float] = []
    for run in range(runs):
        app = make_app(resources, date(2026, 11, 24), data_dir=data_dir / f"save-{run}")
        async with app.run_test(size=(120, 40)) as pilot:
            keys = ["M", "i", "n", "a", "enter", *"1988-05-14", "enter", "enter", "enter", "down", "enter"]
            keys += ["n", "n", "n", "n", "n", "space", "enter"]
            keys += ["enter", "enter", "enter", *"never", "enter", "enter", "enter", "p"]
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")  # no staff name
            await pilot.pause()
            shown.clear()
            t0 = time.perf_counter()
            await pilot.press("s")
            await _until(lambda: bool(shown), "'Saving...' rendered")
            times.append((shown[0] - t0) * 1000)
            await app.workers.wait_for_complete()
    DocumentsLine.say = original_say  # type: ignore[method-assign]
    return times


STARTUP_TARGET, MEDIAN_TARGET, SLOWEST_TARGET, SAVING_TARGET_MS = 1.2, 2.5, 8.0, 100.0


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    # Python writes a module's bytecode on its first import and reuses it after; where writing is
    # off (PYTHONDONTWRITEBYTECODE, as on some CI machines) every start would compile the package
    # from source, which no clinic's second start does. Textual's own bytecode came with its wheel.
    compileall.compile_dir(HERE.parent.parent / "assistant", quiet=1)
    print(f"before: {_load()}")
    bare, consult = [], []
    _spawn("bare"), _spawn("consult")  # warm the OS file cache and the start-up snapshot
    for _ in range(args.starts):
        bare.append(_spawn("bare"))
        consult.append(_spawn("consult"))
    b, c = statistics.median(bare), statistics.median(consult)
    print(f"start-up, bare Textual app (one line)   median {b:7.1f} ms  (min {min(bare):.1f})  (the yardstick)")
    print(f"start-up, consult to first question     median {c:7.1f} ms  (min {min(consult):.1f})")
    print(
        f"ratio consult / bare                    {c / b:7.2f}x   (target <= {STARTUP_TARGET}x)  "
        f"{_verdict(c / b <= STARTUP_TARGET)}"
    )
    with tempfile.TemporaryDirectory() as folder:
        bare_times = asyncio.run(_bare_times())
        times, in_transcript = asyncio.run(_answer_times(Path(folder)))
        bare_again = asyncio.run(_bare_times())  # before and after: the machine's load may change
        saving = asyncio.run(_saving_shown(Path(folder)))
    yardstick = statistics.median(bare_times + bare_again)
    middle, slowest = statistics.median(times), max(times)
    print(
        f"bare Textual Enter -> label update      median {yardstick:7.1f} ms  (the yardstick; "
        f"{statistics.median(bare_times):.1f} before, {statistics.median(bare_again):.1f} after)"
    )
    print(
        f"one answer (Enter -> next question)     median {middle:7.1f} ms  "
        f"max {slowest:.1f} ms over {len(times)} answers"
    )
    print(
        f"ratio answer / bare, median             {middle / yardstick:7.2f}x   (target <= {MEDIAN_TARGET}x)  "
        f"{_verdict(middle / yardstick <= MEDIAN_TARGET)}"
    )
    print(
        f"ratio answer / bare, slowest            {slowest / yardstick:7.2f}x   (target <= {SLOWEST_TARGET}x)  "
        f"{_verdict(slowest / yardstick <= SLOWEST_TARGET)}"
    )
    print(
        f"Enter -> the answer in the transcript   median {statistics.median(in_transcript):7.1f} ms  "
        f"max {max(in_transcript):.1f} ms  ({statistics.median(in_transcript) / yardstick:.2f}x; no target)"
    )
    print(
        f"S -> 'Saving...' on the plan screen     median {statistics.median(saving):7.1f} ms  "
        f"max {max(saving):.1f} ms over {len(saving)} saves (target: median < {SAVING_TARGET_MS:.0f} ms)  "
        f"{_verdict(statistics.median(saving) < SAVING_TARGET_MS)}"
    )
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
