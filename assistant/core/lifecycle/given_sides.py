"""The two sides of a paired zone given unevenly though no asymmetry was measured.

Planning keeps a paired zone's sides even unless a measured asymmetry says otherwise. Giving may
differ from the plan, with a reason, but a tryout recorded the crow's feet at 12 U left and 11 U right
and nothing said that the sides were now uneven: not G's form, not the signing. This names each such
zone, for the form (said once before the PIN), the signing and the command line. A zone the plan
already gave unevenly (a measured asymmetry) is not named. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.core.lifecycle.given import planned_doses, same_dose
from assistant.core.lifecycle.given_lines import GivenLine
from assistant.core.plan import Plan
from assistant.core.text import number

SIDES = ("left", "right")


def uneven_sides(plan: Plan, lines: Iterable[GivenLine]) -> list[str]:
    """ "Crow's feet: 12 U on the left, 11 U on the right, though no asymmetry was measured (planned
    10 U a side)", for each paired zone given so."""
    planned = planned_doses(plan)
    labels = {line.zone: line.zone_label.split(" (")[0] for line in plan.lines}
    given = {(line.zone, line.side): line.units for line in lines}
    found = []
    for zone in dict.fromkeys(zone for zone, side in given if side in SIDES):
        left, right = given.get((zone, "left")), given.get((zone, "right"))
        if left is None or right is None or same_dose(left, right):
            continue
        was = [planned.get((zone, side)) for side in SIDES]
        if was[0] is not None and was[1] is not None and not same_dose(was[0][0], was[1][0]):
            continue  # the plan's own measured asymmetry
        even = f" (planned {number(was[0][0])} U a side)" if was[0] is not None and was[1] is not None else ""
        label = labels.get(zone, zone.replace("_", " ").capitalize())
        found.append(
            f"{label}: {number(left)} U on the left, {number(right)} U on the right, though no asymmetry was "
            f"measured{even}"
        )
    return found
