"""The pace of Textual's Pilot under test: how long it sleeps to see that the app is idle, and how
often a screen draws.

Why: ``Pilot.press`` waits after every key with Textual's ``wait_for_idle``, which sleeps in steps of
``SLEEP_GRANULARITY`` (20 ms) until the process's CPU time stands still, and a screen draws its
changes at most ``MAX_FPS`` (60) times a second, so a test reading the screen waits for the next
frame. A whole consult typed key by key spent a third of its time asleep in those waits: 1.5 s of a
3.7 s Pilot test (a profile of the event loop's waits named the two). With steps of 5 ms and frames
at 120 a second the same tests take about 15 % less time and no more CPU time.

The idle test itself is unchanged in kind: a step counts as idle when the process used less than a
twentieth of it, as Textual's own does, and the tests that depend on a screen's state still wait on
the app's events first (``tests.tui_driving.settle``). Both are Textual's private constants: a
Textual that renames them fails ``tests/test_textual_pace.py`` rather than slowing the suite unseen.
"""

from __future__ import annotations

import textual._wait
import textual.screen

STEP = 0.005
"""Seconds between two looks at the CPU time while waiting for the app to be idle (Textual: 0.02)."""

FRAME = 1 / 120
"""Seconds between two frames of a screen with changes to draw (Textual: 1/60)."""


def quicken() -> None:
    """Set Textual's waits to the pace above (for this process: each xdist worker calls it)."""
    textual._wait.SLEEP_GRANULARITY = STEP
    textual._wait.SLEEP_IDLE = STEP / 20
    textual.screen.UPDATE_PERIOD = FRAME  # type: ignore[misc]  # a Final of Textual's, set for tests only
