"""What was given: the plan's lines pre-filled, each changeable, a reason for every one that differs,
and the vial drawn from.

Every planned zone and side is a row: units and points as planned (change them to what was
injected; 0 and 0 for a line not given) and a reason, needed when the row differs from the plan.
Ctrl+S records it (the PIN is asked next); the core's own rules check the rows first, so a row
without its reason is said here, at its row, and a dose past a zone's limit or the session maximum
is said in words before the PIN: only a medical director may then record it, with the reason of the
override (the service checks it again, against the record as it is when it is saved).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from assistant.core.lifecycle.dose_limits import dose_breaches
from assistant.core.lifecycle.given import GivenEntry, compare_with_plan, given_problems, given_step, planned_doses
from assistant.core.lifecycle.given_sides import uneven_sides
from assistant.core.lifecycle.record import GivenLine
from assistant.core.lifecycle.vials import Vial, short_of
from assistant.core.plan import Plan
from assistant.core.text import number
from assistant.tui.given_choice import GivenChoice, GivenLimits
from assistant.tui.messages import RecordChanged
from assistant.tui.widgets.vial_list import NO_VIAL, VialList


class GivenScreen(ModalScreen[GivenChoice | None]):
    BINDINGS = [
        Binding("ctrl+s", "record", "Record given", priority=True),
        Binding("ctrl+l", "to_vials", "The vial", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    def __init__(
        self,
        plan: Plan,
        paired: dict[str, bool],
        vials: list[Vial],
        picked: str | None = None,
        limits: GivenLimits | None = None,
        given: dict[tuple[str, str], tuple[float, int, str | None]] | None = None,
        again: GivenChoice | None = None,
        vials_again: Callable[[], list[Vial] | None] | None = None,
    ) -> None:
        """``paired``: whether each zone of the knowledge base is per side; ``vials``: the open ones;
        ``picked``: the vial chosen at the lot question; ``limits``: what the rows must keep;
        ``given``: the doses recorded (units, points, reason by zone and side), when correcting them;
        ``again``: what was typed here before the PIN, shown again as it was (Esc on the PIN);
        ``vials_again``: the open vials read again (None: unreadable now), when the record changes elsewhere."""
        super().__init__()
        self.vials_again = vials_again
        self.given = given or {}
        self.limits = limits
        self.plan = plan
        self.paired = paired
        self.vials = vials
        self.picked = picked
        self.override_typed = again.override_reason if again else None
        self.drawn: list[str] = []
        """Vials named before the one highlighted now: the first held less than the rows."""
        self.uneven_said: list[str] = []
        """The uneven sides said at the last Ctrl+S: the same rows again record them so (as do the rows
        that went on to the PIN before, shown again: ``again``)."""
        if again is not None:
            lines = compare_with_plan(plan, again.entries, paired=paired, lot=None, expiry=None)[0]
            self.uneven_said = uneven_sides(plan, lines)
            self.given = {(e.zone, e.side or ""): (e.units, e.points, e.reason) for e in again.entries}
            self.drawn, self.picked = again.vial_ids[:-1], again.vial_ids[-1] if again.vial_ids else NO_VIAL
        self.rows = list(planned_doses(plan).items())
        self.labels = {line.zone: line.zone_label.split(" (")[0] for line in plan.lines}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(self._how_to(), id="dialog-message", markup=False)
            # Why Ctrl+S did not record it, and a director's reason, above the rows and the vials: at
            # 80x24 the dialog is cut at its foot, and a refusal there was never seen.
            yield Static("", id="given-refusal", markup=False)
            yield Input(placeholder="the medical director's reason to record it past the limit", id="given-override")
            with Horizontal(classes="given-row -heading"):
                yield Static("Zone", classes="given-label")
                yield Static("Planned", classes="given-planned")
                yield Static("Units", classes="given-head-units")
                yield Static("Points", classes="given-head-points")
                yield Static("Why, if different", classes="given-head-reason")
            with VerticalScroll(id="given-rows"):
                for index, ((zone, side), (units, points)) in enumerate(self.rows):
                    with Horizontal(classes="given-row"):
                        yield Static(f"{self.labels[zone]} {side}", classes="given-label", markup=False)
                        yield Static(f"{number(units)} U · {points}", classes="given-planned", markup=False)
                        units, points, why = self.given.get((zone, side), (units, points, None))
                        yield Input(number(units), id=f"units-{index}", classes="given-units", restrict=r"[0-9.]*")
                        yield Input(str(points), id=f"points-{index}", classes="given-points", restrict=r"[0-9]*")
                        yield Input(why or "", placeholder="reason", id=f"reason-{index}", classes="given-reason")
            if self.vials:
                yield Static(self._vial_heading(), classes="plan-heading", id="given-vial-heading", markup=False)
                yield VialList(self.vials, self.picked)

    def _how_to(self) -> str:
        return (
            "What was injected: change a row that differs from the plan and say why. Tab moves; "
            + ("Ctrl+L jumps to the vial; " if self.vials else "")
            + "Ctrl+S records it (your PIN next); Esc goes back."
        )

    def on_mount(self) -> None:
        self.query_one("#given-refusal", Static).display = False
        override = self.query_one("#given-override", Input)
        override.value, override.display = self.override_typed or "", self.override_typed is not None
        self.query_one("#units-0", Input).focus()

    def on_record_changed(self, _: RecordChanged) -> None:
        """Something changed in the record elsewhere (a vial opened with ``vial open``, say)."""
        if self.vials_again is not None:
            self.run_worker(self._read_vials_again, group="vials", exclusive=True)

    async def _read_vials_again(self) -> None:
        assert self.vials_again is not None
        vials = await asyncio.to_thread(self.vials_again)
        held = lambda listed: [(v.vial_id, v.units_left) for v in listed]  # noqa: E731
        if vials is None or held(vials) == held(self.vials):
            return
        listed, was = self._vial_list(), {v.vial_id for v in self.vials}
        self.vials = vials
        if any(vial_id not in {v.vial_id for v in vials} for vial_id in self.drawn):
            self.drawn = []  # a vial named first went (closed elsewhere): the vials are chosen again
        if listed is None:
            if vials:
                heading = Static(self._vial_heading(), classes="plan-heading", id="given-vial-heading", markup=False)
                self.query_one("#dialog-message", Static).update(self._how_to())
                await self.query_one("#dialog").mount(heading, VialList(vials, None))
        else:
            listed.refill(vials)
            self.query_one("#given-vial-heading", Static).update(self._vial_heading())
        opened = [v.lot for v in vials if v.vial_id not in was]
        self.notify(
            (f"Opened meanwhile: lot {', '.join(opened)}, in the list now. " if opened else "")
            + "The vials are shown as the ledger holds them now.",
            title="The open vials changed",
        )

    def _vial_list(self) -> VialList | None:
        return next(iter(self.query(VialList)), None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _entries(self) -> list[GivenEntry] | str:
        entries = []
        for index, ((zone, side), _) in enumerate(self.rows):
            units = self.query_one(f"#units-{index}", Input).value.strip()
            points = self.query_one(f"#points-{index}", Input).value.strip()
            try:
                entry = GivenEntry(
                    zone=zone,
                    side=side,  # type: ignore[arg-type]
                    units=float(units or "nan"),
                    points=int(points or "-1"),
                    reason=self.query_one(f"#reason-{index}", Input).value.strip() or None,
                )
            except ValueError:
                return f"{self.labels[zone]} {side}: units and points are numbers (0 and 0 when not given)."
            entries.append(entry)
        return entries

    def action_record(self) -> None:
        entries, listed = self._entries(), self._vial_list()
        if listed is not None and listed.highlighted is None:
            self.action_to_vials()
            entries = (
                "Choose the vial the rest came from, then Ctrl+S."
                if self.drawn
                else "Choose the vial the doses were drawn from (or no vial of the ledger), then Ctrl+S."
            )
        elif isinstance(entries, list):
            lines, problems = compare_with_plan(self.plan, entries, paired=self.paired, lot=None, expiry=None)
            if not problems and self.limits is not None:  # a dose between the syringe's marks: here, not after the PIN
                problems = given_problems(lines, given_step(self.plan, self.limits.kb.syringe()), self.plan.today)
            if not problems:
                refusal = self._past_a_limit(lines) or self._uneven(lines)
                vial_ids = self._vials_for(entries) if refusal is None else refusal
                if isinstance(vial_ids, list):
                    self.dismiss(GivenChoice(entries, vial_ids, self._override_reason()))
                    return
                entries = vial_ids
            else:
                self._point_at(problems[0].index, problems[0].field)
                entries = " ".join(p.message for p in problems)
        refusal = self.query_one("#given-refusal", Static)
        refusal.update(entries)
        refusal.display = True

    def _override_reason(self) -> str | None:
        box = self.query_one("#given-override", Input)
        return (box.value.strip() or None) if box.display else None

    def _past_a_limit(self, lines: tuple[GivenLine, ...]) -> str | None:
        """The limits the rows pass, in words (None: none is passed, or a director gave the reason)."""
        if self.limits is None:
            return None
        limits = self.limits
        breaches = dose_breaches(
            lines, limits.kb, limits.clinic, limits.earlier, self.plan, limits.recorded, limits.day
        )
        if not breaches:
            return None
        words = "Past a limit: " + "; ".join(b.message for b in breaches) + "."
        if not limits.may_override:
            return words + " Only a medical director may record doses past a limit: change the rows, or Esc."
        box = self.query_one("#given-override", Input)
        if box.display and box.value.strip():
            return None
        box.display = True
        box.focus()
        return words + " As medical director you may record it: type the reason of the override below, then Ctrl+S."

    def _uneven(self, lines: tuple[GivenLine, ...]) -> str | None:
        """A paired zone given unevenly though no asymmetry was measured, said once before the PIN."""
        uneven = uneven_sides(self.plan, lines)
        if not uneven or uneven == self.uneven_said:
            return None
        self.uneven_said = uneven
        return "Uneven sides: " + "; ".join(uneven) + ". Ctrl+S again records them so; or change the rows."

    def _point_at(self, index: int, field: str) -> None:
        """The first refused row's box takes the focus (its text selected), so the fix is typed there."""
        for box in self.query(".-refused"):
            box.remove_class("-refused")
        box_id = {"reason": "reason", "points": "points"}.get(field, "units")
        if index < len(self.rows):
            box = self.query_one(f"#{box_id}-{index}", Input)
            box.add_class("-refused")
            box.focus()

    def _vials_for(self, entries: list[GivenEntry]) -> list[str] | str:
        """The vials the rows were drawn from: any named before, then the one highlighted. When they
        hold less than the rows, the list asks for the vial the rest came from (a vial run out during
        the treatment) and this says why; before, the PIN was asked and the record refused it, naming
        a command-line flag."""
        choice = self._vial_list()
        if choice is None or (chosen := choice.chosen_id()) is None:
            return []
        if chosen == NO_VIAL:
            if self.drawn:
                return "The rest came from a vial of the ledger too: choose it, or Esc and record all as no vial."
            return []
        if chosen in self.drawn:
            return "That vial is named already: choose the vial the rest came from, then Ctrl+S."
        ids = [*self.drawn, chosen]
        named = [next(v for v in self.vials if v.vial_id == vial_id) for vial_id in ids]
        missing = short_of(named, [entry.units for entry in entries])
        if not missing:
            return ids
        self.query_one("#dialog-message", Static).display = False  # at 80x24 the list was pushed off the foot
        if len(ids) == len(self.vials):
            return (
                f"The open vials hold {number(sum(v.units_left for v in named))} U, {number(missing)} U less than "
                "the rows: open another vial (botulax-consult vial open: it shows here once opened), or record "
                "them as no vial of the ledger."
            )
        self.drawn = ids
        self.query_one("#given-vial-heading", Static).update(self._vial_heading(missing))
        choice.highlighted = None
        choice.focus()
        return (
            f"{self._vials_named()}: {number(missing)} U short of the rows. "
            "Choose the vial the rest came from, then Ctrl+S."
        )

    def _vials_named(self) -> str:
        words = {v.vial_id: f"lot {v.lot}, {number(v.units_left)} U left" for v in self.vials}
        return ("The vial " if len(self.drawn) == 1 else "The vials ") + "; ".join(f"({words[i]})" for i in self.drawn)

    def _vial_heading(self, missing: float = 0) -> str:
        if not self.drawn:
            return "Drawn from the vial:"
        lots = ", ".join(v.lot for v in self.vials if v.vial_id in self.drawn)
        rest = f"The other {number(missing)} U" if missing else "The rest"
        return f"{rest} (after lot {lots}) from the vial:"

    def action_to_vials(self) -> None:
        """Ctrl+L: straight to the vial list, past the rows' three boxes each (twelve Tabs with four
        rows); Shift+Tab from the first box gets there too."""
        if (listed := self._vial_list()) is not None:
            listed.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
