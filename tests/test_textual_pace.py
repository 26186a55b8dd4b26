"""The suite's quicker pace for Textual's Pilot (tests/textual_pace.py) is in force."""

from __future__ import annotations

import textual._wait
import textual.screen

from tests import textual_pace


def test_the_waits_textual_pilot_sleeps_in_are_the_suites() -> None:
    assert textual._wait.SLEEP_GRANULARITY == textual_pace.STEP
    assert textual._wait.SLEEP_IDLE == textual_pace.STEP / 20
    assert textual.screen.UPDATE_PERIOD == textual_pace.FRAME
