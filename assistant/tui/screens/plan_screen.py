"""The dose plan: table, totals, modifiers, warnings, deferred zones, follow-up and a face map.

A contraindicated or refused consult shows the stop and its reasons, and no doses.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from assistant.core.plan import Plan
from assistant.core.text import number
from assistant.records import ConsultRecord
from assistant.services.consult_session import ConsultSession
from assistant.tui.widgets.face_map import FaceMap
from assistant.tui.widgets.footer import SteadyFooter


class PlanScreen(Screen[None]):
    BINDINGS = [
        Binding("x", "explanation", "Patient explanation"),
        Binding("s", "save_documents", "Save PDFs"),
        Binding("p", "print", "Print"),
        Binding("e", "edit", "Change answers"),
        Binding("n", "new_consult", "New consult"),
    ]

    def __init__(self, session: ConsultSession, plan: Plan, record: ConsultRecord | None = None) -> None:
        """``record``: the consult as saved (None when saving failed: the plan is still shown)."""
        super().__init__()
        self.session = session
        self.plan = plan
        self.record = record

    def compose(self) -> ComposeResult:
        plan = self.plan
        kb = self.session.resources.kb
        yield Header()
        with VerticalScroll(id="plan-body"):
            yield Static(self._banner(), id="plan-status", classes=f"-{plan.status}")
            for reason in plan.reasons:
                yield Static(f"x {reason.message}  [{reason.source}]", classes="plan-reason", markup=False)
            if plan.lines:
                yield DataTable(id="plan-table", zebra_stripes=True, cursor_type="none")
                yield Static(self._totals(), id="plan-totals", markup=False)
                labels = {
                    z: kb.zone(z).label for z in {line.zone for line in plan.lines} | {d.zone for d in plan.deferred}
                }
                yield Static("Face map", classes="plan-heading")
                yield FaceMap(plan, labels, kb.paired_zone_ids(), id="face-map")
            if plan.modifiers:
                yield Static("Modifiers (full doses)", classes="plan-heading")
                for m in plan.modifiers:
                    flag = " (figure unverified)" if m.unverified else ""
                    yield Static(
                        f"x{m.factor:g}  {m.reason}  [{', '.join(m.sources)}]{flag}",
                        classes="plan-modifier",
                        markup=False,
                    )
            elif plan.lines:
                yield Static(
                    "Modifiers: none apply; full doses are the defaults.", classes="plan-modifier", markup=False
                )
            if plan.lines:
                yield Static("Why these numbers", classes="plan-heading")
                yield Static(self._why(), id="plan-why", markup=False)
            if plan.warnings:
                yield Static("Warnings", classes="plan-heading")
                for warning in plan.warnings:
                    yield Static(
                        f"! [{warning.code}] {warning.message}",
                        classes=f"plan-warning -{warning.severity}",
                        markup=False,
                    )
            if plan.deferred:
                yield Static("Deferred zones", classes="plan-heading")
                for deferred in plan.deferred:
                    yield Static(
                        f"{deferred.zone_label or deferred.zone}: not before {deferred.not_before.isoformat()}: "
                        f"{deferred.reason}  [{', '.join(deferred.sources)}]",
                        classes="plan-deferred",
                        markup=False,
                    )
            previous = self.session.previous
            if previous is not None and previous.plan.lines:
                yield Static(f"Last time ({previous.date.isoformat()})", classes="plan-heading")
                yield Static(self._last_time(previous.plan), id="plan-last-time", markup=False)
            if plan.status == "planned":
                yield Static(self._follow_up(), id="plan-follow-up")
        yield SteadyFooter()

    def _follow_up(self) -> str:
        """The review, then the touch-up window after full doses or the next full treatment after touch-ups."""
        follow = self.plan.follow_up
        text = f"Follow-up: review {follow.review_date.isoformat()}"
        if follow.touch_up_from and follow.touch_up_to:
            text += f"; touch-up window {follow.touch_up_from.isoformat()} to {follow.touch_up_to.isoformat()}"
        if follow.next_full_treatment:
            text += f"; next full treatment of the zones touched up today from {follow.next_full_treatment.isoformat()}"
        return text

    def _why(self) -> str:
        """Each zone and side's working, with the knowledge entries' sources and off-label status."""
        rows, seen = [], set()
        for line in self.plan.lines:
            if (line.zone, line.side) in seen:
                continue
            seen.add((line.zone, line.side))
            label = "on-label" if not line.off_label else "off-label"
            flag = "; includes unverified figures" if line.unverified else ""
            rows.append(
                f"{line.zone_label.split(' (')[0]} {line.side}: {line.why} [{', '.join(line.sources)}; {label}{flag}]"
            )
        return "\n".join(rows)

    def _last_time(self, before: Plan) -> str:
        """Each zone's units per side last time, with today's beside them."""
        rows = []
        for zone in dict.fromkeys(line.zone for line in before.lines):
            sides = dict.fromkeys(line.side for line in before.lines if line.zone == zone)
            parts = []
            for side in sides:
                then, now = before.units_for(zone, side), self.plan.units_for(zone, side)
                today = f"{number(now)} U today" if now else "not today"
                parts.append(f"{side} {number(then)} U ({today})")
            label = before.lines_for(zone)[0].zone_label.split(" (")[0]
            rows.append(f"{label}: " + "; ".join(parts))
        return "\n".join(rows)

    def _banner(self) -> Text:
        plan = self.plan
        if plan.status == "contraindicated":
            return Text(f"STOP: {plan.patient_name} cannot be treated today. No dose is planned.", style="bold")
        if plan.status == "refused":
            return Text("REFUSED: the plan is above the session maximum. No dose is planned.", style="bold")
        count = len({line.zone for line in plan.lines})
        zones = f"{count} zone{'s' if count != 1 else ''}"
        if self.app.trainer:  # type: ignore[attr-defined]
            saved = "  ·  dry run: not saved"
        else:
            saved = f"  ·  saved as consult {self.record.consult_id}" if self.record else "  ·  NOT SAVED"
        return Text(f"Dose plan for {plan.patient_name}, {plan.today.isoformat()}: {zones} today{saved}", style="bold")

    def _totals(self) -> str:
        plan = self.plan
        cost = f"{plan.cost:.2f} {plan.currency}" if plan.cost is not None else "not set"
        dilution = plan.dilution
        return (
            f"Total {number(plan.total_units)} U · {plan.vials} vial{'s' if plan.vials != 1 else ''} of "
            f"{number(dilution.vial_units)} U · "
            f"cost {cost} · dilution {number(dilution.saline_ml)} mL per vial "
            f"({number(dilution.units_per_0_1_ml)} U per 0.1 mL)"
        ) + (f"\nMarks: {plan.syringe.label}" if plan.syringe else "")

    def on_mount(self) -> None:
        self.app.sub_title = f"{self.plan.patient_name} · plan ({self.plan.status})"
        if not self.plan.lines:
            return
        table = self.query_one("#plan-table", DataTable)
        table.add_columns("Zone", "Side", "Points", "U/point", "U", "mL/point", "Marks", "Kind", "Label")
        for line in self.plan.lines:
            table.add_row(
                line.zone_label.split(" (")[0],
                line.side,
                str(line.points),
                number(line.units_per_point),
                number(line.units),
                f"{line.ml_per_point:.3f}",
                number(line.syringe_marks) if line.syringe_marks is not None else "",
                line.kind.replace("_", "-"),
                "on" if not line.off_label else "off",
            )

    def action_explanation(self) -> None:
        self.app.show_explanation(self.session, self.plan)  # type: ignore[attr-defined]

    def _documents_folder(self) -> Path:
        from assistant.locations import user_data_dir

        return (self.app.data_dir or user_data_dir()) / "documents"  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="documents")
    def _write_documents(self, send_to_printer: bool) -> None:
        from assistant.documents import RenderError
        from assistant.services.recording import save_documents

        if self.record is None:
            self.app.call_from_thread(
                self.notify, "This consult was not saved, so it has no documents.", severity="error"
            )
            return
        resources = self.session.resources
        try:
            written = save_documents(
                self.record,
                resources,
                self._documents_folder(),
                previous=self.session.previous,
                paper=resources.clinic.paper,
            )
        except (RenderError, OSError) as error:
            self.app.call_from_thread(self.notify, str(error), title="Documents not written", severity="error")
            return
        message = "Saved:\n" + "\n".join(str(path) for path in written)
        if send_to_printer:
            from assistant.services.printing import send_to_printer as print_files

            outcome = print_files(written, resources.clinic)
            message = outcome.message if not outcome.printed else f"{outcome.message}\n{message}"
        self.app.call_from_thread(self.notify, message, title="Documents", timeout=8)

    def action_save_documents(self) -> None:
        self._write_documents(False)

    def action_print(self) -> None:
        self._write_documents(True)

    def action_edit(self) -> None:
        self.app.pop_screen()
        self.app.screen.open_review()  # type: ignore[attr-defined]

    def action_new_consult(self) -> None:
        self.app.new_consult()  # type: ignore[attr-defined]
