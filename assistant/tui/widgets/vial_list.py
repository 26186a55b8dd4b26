"""The given screen's list of the open vials, the one the doses were drawn from highlighted.

The list is filled again (``refill``) when the vial ledger changes elsewhere while the form is open: a
vial opened on the command line (``vial open``, as the form itself tells when the open vials hold too
little) shows up, one drawn empty or closed at another workstation goes. Before, the form kept the
vials of the moment it opened, and the only way to a new vial was Esc and G again, which drops every
row typed. The vial highlighted stays highlighted by its id; one that went leaves none highlighted, so
Ctrl+S asks for the vial again instead of taking whichever row moved under the cursor.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assistant.core.lifecycle.vials import Vial
from assistant.core.text import number

NO_VIAL = "no-vial"


def vial_words(vial: Vial) -> str:
    use_by = vial.use_by.astimezone().strftime(
        "%H:%M" if vial.use_by.date() == vial.opened_at.date() else "%m-%d %H:%M"
    )
    return f"lot {vial.lot} · {number(vial.units_left)} of {number(vial.units)} U left · use by {use_by}"


def _options(vials: list[Vial]) -> list[Option]:
    return [
        *(Option(Text(vial_words(v)), id=v.vial_id) for v in vials),
        Option("no vial of the ledger (the lot of the consult)", id=NO_VIAL),
    ]


class VialList(OptionList):
    def __init__(self, vials: list[Vial], picked: str | None) -> None:
        """``picked``: the vial chosen at the lot question, highlighted (none: none is, so Ctrl+S
        cannot draw from a vial nobody chose)."""
        super().__init__(*_options(vials), id="given-vial")
        self._highlight(picked)  # here, not once mounted: OptionList highlights its first row at once

    def chosen_id(self) -> str | None:
        """The id of the vial highlighted (``NO_VIAL`` for none of the ledger), or None."""
        if self.highlighted is None:
            return None
        return str(self.get_option_at_index(self.highlighted).id)

    def refill(self, vials: list[Vial]) -> None:
        """The vials as the ledger holds them now, the highlighted one kept if it is still open."""
        keep = self.chosen_id()
        self.clear_options()
        self.add_options(_options(vials))
        self._highlight(keep)

    def _highlight(self, vial_id: str | None) -> None:
        ids = [str(self.get_option_at_index(i).id) for i in range(self.option_count)]
        self.highlighted = ids.index(vial_id) if vial_id in ids else None
