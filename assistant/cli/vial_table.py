"""``vial list`` as text within 80 columns (issue 22.9): the short id (the last eight characters of
the vial id, which ``vial close`` and ``give --vial`` take), the lot cut to fit with "…", and a
vial's warning on a line of its own under it. ``--wide`` prints whole ids and lots; ``--format
json`` has every field whole.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from assistant.core.lifecycle.vial_names import short_id
from assistant.core.lifecycle.vials import Vial

WIDTH = 80
LOT_MIN, LOT_MAX = 8, 20


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def vial_table(vials: list[Vial], notes: dict[str, str], *, wide: bool, printable: Callable[[str], str]) -> list[str]:
    """The lines to print: a heading, one row per vial (its warning under it), and how to see ids whole."""
    ids = {v.vial_id: v.vial_id if wide else short_id(v.vial_id) for v in vials}
    lots = {v.vial_id: printable(v.lot) for v in vials}
    lefts = {v.vial_id: f"{v.units_left:g}/{v.units:g} U" for v in vials}
    id_width = max(4, *(len(i) for i in ids.values()))
    left_width = max(4, *(len(t) for t in lefts.values()))
    fixed = id_width + 10 + left_width + 16 + 6 + 5  # id, expiry, left, use by, state and the spaces between
    longest = max(3, *(len(lot) for lot in lots.values()))
    lot_width = longest if wide else max(LOT_MIN, min(longest, LOT_MAX, WIDTH - fixed))
    lines = [f"{'vial':{id_width}} {'lot':{lot_width}} {'expiry':10} {'left':>{left_width}} {'use by':16} state"]
    cut = False
    for vial in vials:
        lot = lots[vial.vial_id] if wide else _cut(lots[vial.vial_id], lot_width)
        cut = cut or lot != lots[vial.vial_id]
        use_by = vial.use_by.astimezone().strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"{ids[vial.vial_id]:{id_width}} {lot:{lot_width}} {vial.expiry.isoformat():10} "
            f"{lefts[vial.vial_id]:>{left_width}} {use_by:16} {vial.state}"
        )
        if vial.vial_id in notes:
            note = notes[vial.vial_id].replace(vial.vial_id, ids[vial.vial_id])  # the id as this list shows it
            lines += (
                [f"  ! {note}"]
                if wide
                else textwrap.wrap(note, WIDTH - 1, initial_indent="  ! ", subsequent_indent="    ")
            )
    if not wide:
        what = "Ids and lots shortened" if cut else "Ids shortened"
        lines.append(f"{what}: vial close takes a short id; --wide shows them whole.")
    return lines
