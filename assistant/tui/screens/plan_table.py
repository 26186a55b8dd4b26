"""The plan's table of doses, filled to the screen's width (the plan screen fills it again when
the width changes)."""

from __future__ import annotations

from textual.widgets import DataTable

from assistant.core.plan import Plan
from assistant.core.text import number
from assistant.tui.screens.review_screen import wrapped

TABLE_CHROME = 6
"""Columns the plan table does not get: the plan's padding (2 + 2) and its scrollbar (2)."""


def fill_plan_table(table: DataTable, plan: Plan, width: int) -> None:
    """The doses, every column whole at this width: the zone names wrap rather than push the
    other columns out of sight (an off-label zone is marked *, explained under the table)."""
    table.clear(columns=True)
    headers = ("Zone", "Side", "Points", "U/point", "U", "mL/point", "Marks", "Dose")
    rows = [
        (
            line.zone_label.split(" (")[0] + (" *" if line.off_label else ""),
            line.side,
            str(line.points),
            number(line.units_per_point),
            number(line.units),
            f"{line.ml_per_point:.3f}",
            number(line.syringe_marks) if line.syringe_marks is not None else "",
            line.kind.replace("_", "-"),
        )
        for line in plan.lines
    ]
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(headers)]
    padding = 2 * len(headers)
    zone_width = max(8, min(widths[0], width - TABLE_CHROME - padding - sum(widths[1:])))
    table.add_column(headers[0], width=zone_width)
    for header, column in zip(headers[1:], widths[1:], strict=True):
        table.add_column(header, width=column)
    for row in rows:
        zone = wrapped(row[0], zone_width)
        table.add_row(zone, *row[1:], height=len(zone.plain.splitlines()) or 1)
