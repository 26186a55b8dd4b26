"""What ``give`` and ``amend --given`` say once doses are recorded, beside the line that says so."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from assistant.cli.common import say

if TYPE_CHECKING:
    from assistant.core.lifecycle.record import ConsultRecord


def recorded_warnings(args: argparse.Namespace, record: ConsultRecord, notes: list[str]) -> None:
    """What is said once doses are recorded, by ``give`` and ``amend --given`` alike: an override reason
    nothing needed, consent missing where the clinic lets that be recorded (consent_missing = "warn"),
    doses that no lot traces (a recall by lot cannot find them), and a paired zone's sides given
    unevenly though no asymmetry was measured."""
    from assistant.core.lifecycle.given_sides import uneven_sides

    given = record.given
    assert given is not None
    if given.override is None and args.override_reason:
        say("botulax-consult: no limit is passed, so --override-reason was not needed and is not recorded.")
    for note in notes:
        say(f"botulax-consult: warning: {note} (recorded anyway: the clinic's consent_missing is warn)")
    if no_lot := given.without_lot():
        say(f"botulax-consult: warning: {no_lot}")
    for zone in uneven_sides(record.plan, given.lines):
        say(f"botulax-consult: warning: uneven sides: {zone}.")
