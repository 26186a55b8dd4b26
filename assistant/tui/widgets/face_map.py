"""A text face map: every zone at its place, units per side, so symmetry shows at a glance.

Drawn as the practitioner sees the patient: the patient's right side is on the left of the screen.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from assistant.core.plan import Plan
from assistant.core.text import number

# Top to bottom of the face; central zones sit in the middle column.
LAYOUT: tuple[str, ...] = (
    "forehead",
    "glabella",
    "crows_feet",
    "bunny_lines",
    "gummy_smile",
    "marionette",
    "chin",
    "masseter",
)


def _cell(plan: Plan, zone: str, side: str) -> Text:
    units = plan.units_for(zone, side)  # type: ignore[arg-type]
    if units:
        kind = " touch-up" if any(line.kind == "touch_up" for line in plan.lines_for(zone)) else ""
        return Text(f"{number(units)} U{kind}", style="bold")
    if any(d.zone == zone for d in plan.deferred):
        return Text("deferred", style="italic dim")
    return Text("")


def face_map(plan: Plan, zone_labels: dict[str, str], paired: set[str]) -> Table:
    table = Table.grid(padding=(0, 2), expand=False)
    table.add_column("patient's right", justify="right", min_width=12)
    table.add_column("zone", justify="center", min_width=24)
    table.add_column("patient's left", justify="left", min_width=12)
    table.add_row(
        Text("R (patient's right)", style="dim"),
        Text("as you face the patient", style="dim"),
        Text("L (patient's left)", style="dim"),
    )
    planned = {line.zone for line in plan.lines} | {d.zone for d in plan.deferred}
    order = [z for z in LAYOUT if z in planned] + sorted(planned - set(LAYOUT))
    for zone in order:
        label = zone_labels.get(zone, zone).split(" (")[0]
        if zone not in paired and all(line.side == "center" for line in plan.lines_for(zone)):  # not in halves
            cell = _cell(plan, zone, "center")
            table.add_row(Text(""), Text(f"{label}: {cell.plain}", style=cell.style or "bold"), Text(""))
            continue
        right, left = _cell(plan, zone, "right"), _cell(plan, zone, "left")
        uneven = right.plain != left.plain
        middle = Text(label, style="bold yellow" if uneven else "")
        if uneven:
            middle.append("  (uneven)", style="yellow")
        table.add_row(right, middle, left)
    return table


class FaceMap(Static):
    """Shows ``face_map`` for a plan."""

    def __init__(self, plan: Plan, zone_labels: dict[str, str], paired: set[str], *, id: str | None = None) -> None:
        super().__init__(face_map(plan, zone_labels, paired), id=id)
