"""The dose plan: table, totals, modifiers, warnings, deferred zones, follow-up and a face map.
A contraindicated or refused consult shows the stop and its reasons, and no doses, and says
whether it was kept. The documents are saved from here without freezing it (``DocumentsLine``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from assistant.core.lifecycle.injected import plan_as_given
from assistant.core.plan import Plan
from assistant.records import ConsultRecord
from assistant.services.consult_session import ConsultSession
from assistant.tui.messages import ChangedElsewhere, RecordChanged, SavedWhenBack
from assistant.tui.screens import plan_texts
from assistant.tui.screens.plan_table import fill_plan_table
from assistant.tui.screens.plan_texts import same_on_screen
from assistant.tui.widgets.documents_line import DocumentsLine
from assistant.tui.widgets.face_map import FaceMap
from assistant.tui.widgets.footer import SteadyFooter
from assistant.tui.widgets.live_notice import LiveNotice
from assistant.tui.widgets.plan_banner import banner
from assistant.tui.widgets.server_line import ServerLine
from assistant.tui.widgets.steady_header import SteadyHeader
from assistant.tui.widgets.title_bar import patient_sub_title, refit_header

if TYPE_CHECKING:
    from assistant.tui.collaborators.record_desk import RecordDesk


class PlanScreen(Screen[None]):
    BINDINGS = [  # short words: all of them, New consult first, fit an 80-column footer
        Binding("n", "app.new_consult", "New consult"),
        Binding("x", "explanation", "Explain"),
        Binding("s", "save_documents", "PDFs"),
        Binding("p", "print", "Print"),
        Binding("e", "edit", "Edit"),
        Binding("g", "give", "Given"),
        Binding("k", "sign", "Sign"),
        Binding("c", "consent", "Consent", show=False),
        Binding("o", "consent(True)", "Consent form", show=False),
        Binding("f", "add_photo", "Photo", show=False),
        Binding("pageup", "scroll_plan('page_up')", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_plan('page_down')", "Scroll down", show=False, priority=True),
        Binding("home", "scroll_plan('home')", "Top", show=False, priority=True),
        Binding("end", "scroll_plan('end')", "Bottom", show=False, priority=True),
        Binding("up", "scroll_plan('up')", "Scroll up", show=False, priority=True),
        Binding("down", "scroll_plan('down')", "Scroll down", show=False, priority=True),
    ]

    def __init__(
        self,
        session: ConsultSession,
        plan: Plan,
        record: ConsultRecord | None = None,
        *,
        waiting: bool = False,
        desk: RecordDesk | None = None,
        documents: Path | None = None,
    ) -> None:
        """``record``: the consult as saved (None when saving failed: the plan is still shown);
        ``waiting``: kept on this computer until the record server is back; ``desk``: what G and K
        call (None: a dry run, nothing is recorded); ``documents``: where S saves the PDFs."""
        super().__init__()
        self.session = session
        self.plan = plan
        self.record = record
        self.waiting = waiting
        self.desk = desk
        self.documents = documents

    def compose(self) -> ComposeResult:
        plan = self.plan
        kb = self.session.resources.kb
        yield SteadyHeader()
        yield ServerLine()
        yield LiveNotice()
        with VerticalScroll(id="plan-body"):
            yield Static(self._banner(), id="plan-status", classes=f"-{plan.status}")
            for reason in plan.reasons:
                yield Static(f"x {reason.message}  [{reason.source}]", classes="plan-reason", markup=False)
            if plan.lines:
                yield DataTable(id="plan-table", zebra_stripes=True, cursor_type="none")
                yield Static(plan_texts.table_legend(plan), id="plan-legend", markup=False)
                yield Static(plan_texts.totals(plan), id="plan-totals", markup=False)
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
                yield Static(plan_texts.no_modifiers(plan), classes="plan-modifier", markup=False)
            if plan.lines:
                yield Static("Why these numbers", classes="plan-heading")
                yield Static(plan_texts.why(plan), id="plan-why", markup=False)
            if plan.warnings:
                yield Static("Warnings", classes="plan-heading")
                for warning in plan.warnings:
                    yield Static(
                        f"! {warning.message[:1].upper()}{warning.message[1:]}",
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
            previous = self.session.previous  # last time: what was given, once recorded
            before = plan_as_given(previous.plan, previous.given, self.session.resources.kb) if previous else None
            if previous is not None and before is not None and before.lines:
                yield Static(f"Last time ({previous.date.isoformat()})", classes="plan-heading")
                yield Static(plan_texts.last_time(plan, before), id="plan-last-time", markup=False)
            if plan.status == "planned" and plan.lines:  # every zone deferred: nothing to review
                yield Static(plan_texts.follow_up(plan), id="plan-follow-up", markup=False)
        yield DocumentsLine(
            self.record,
            self.session.resources,
            self._documents_folder(),
            previous=self.session.previous,
            desk=self.desk.documents if self.desk is not None else None,
            id="plan-documents",
        )
        yield SteadyFooter()

    def _banner(self) -> Text:
        trainer = self.desk is None or self.desk.trainer
        return banner(self.plan, self.record, trainer=trainer, waiting=self.waiting)

    def header_sub_title(self) -> str:
        state = self.record.state if self.record is not None and self.plan.lines else self.plan.status
        return patient_sub_title(self.app, self.plan.patient_name, f"plan ({state})")

    def saved(self, record: ConsultRecord) -> None:
        """The record changed (saved once the server was back, given, signed): the banner says so."""
        self.record, self.waiting = record, False
        self.query_one("#plan-status", Static).update(self._banner())
        self.query_one(DocumentsLine).record = record
        self.app.sub_title = self.header_sub_title()
        self.app.refresh_bindings()

    async def replanned(self, record: ConsultRecord) -> None:
        """Another plan (see ``_show``): shown anew, all but the header (composed again, it loses its title)."""
        from textual.compose import compose

        before = self.record
        self.plan, self.record, self.waiting = record.plan, record, False
        fresh = [widget for widget in compose(self) if not isinstance(widget, SteadyHeader)]
        self.record = before  # set again once shown, so whoever waits for it sees the new plan whole
        async with self.batch():
            await self.query_children("*").exclude(".-textual-system").exclude("Header").remove()
            await self.mount_all(fresh)
        self.on_mount()
        self.record = record
        self.app.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Record given and Sign only for an account that may, and only when the record allows it;
        a junior never sees them."""
        record, desk = self.record, self.desk
        if action == "give":
            return (
                desk is not None
                and desk.may("give")
                and record is not None
                and record.state == "planned"
                and bool(record.plan.lines)
                and record.status == "planned"
            )
        if action == "sign":
            return (
                desk is not None
                and desk.may("sign")
                and record is not None
                and (record.to_sign or (record.state == "planned" and not record.plan.lines))
            )
        return True

    def action_give(self) -> None:
        if self.desk is not None:
            self.desk.in_dialog(self._give, "give")

    def action_sign(self) -> None:
        if self.desk is not None:
            self.desk.in_dialog(self._sign, "sign")

    def action_consent(self, print_form: bool = False) -> None:
        """C: record the patient's signed consent (witness, photos, PIN); O: its form, as a PDF to sign."""
        from assistant.tui.collaborators import consenting

        if self.desk is not None and self.record is not None:
            consenting.from_plan_screen(self.desk, self.record, self._documents_folder(), print_form)

    def action_add_photo(self) -> None:
        if self.desk is not None and self.record is not None:
            self.desk.in_dialog(lambda: self.desk.add_photo(self.record.consult_id), "photo")  # type: ignore[union-attr]

    async def _give(self) -> None:
        if self.record is not None and self.desk is not None:
            await self.desk.give(self.record, self.session.vial_id)

    async def _sign(self) -> None:
        if self.record is not None and self.desk is not None:
            await self.desk.sign(self.record.consult_id)

    async def on_record_changed(self, message: RecordChanged) -> None:
        """Given, signed or amended elsewhere (a list, a dialog): the banner says its new state."""
        if (changed := message.record) is not None and self.record and self.record.consult_id == changed.consult_id:
            await self._show(changed)

    async def on_changed_elsewhere(self, message: ChangedElsewhere) -> None:
        """Given, signed or amended on another workstation or window: its state and keys (no G once
        given), and one line saying who did it, where and when."""
        if (followed := message.follows(self.record)) is not None:
            await self._show(followed.record)
            self.query_one(LiveNotice).say(followed.notice)

    async def on_saved_when_back(self, message: SavedWhenBack) -> None:
        if message.session is self.session:
            await self._show(message.record)

    async def _show(self, record: ConsultRecord) -> None:
        """Its new state, and its plan anew when that changed (planned again as it was saved, or its
        answers amended from the chart): a tryout's screen kept the plan of the answers amended away."""
        if same_on_screen(record.plan, self.plan):
            self.plan = record.plan  # the earlier doses are counted now; nothing shown changes
            self.saved(record)
        else:
            await self.replanned(record)

    def on_mount(self) -> None:
        self.app.sub_title = self.header_sub_title()
        if self.plan.lines:
            self._fill_table(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        refit_header(self)
        if self.plan.lines and event.size.width != self._table_width:
            self._fill_table(event.size.width)

    _table_width = 0

    def _fill_table(self, width: int) -> None:
        self._table_width = width
        fill_plan_table(self.query_one("#plan-table", DataTable), self.plan, width)

    def action_scroll_plan(self, how: str) -> None:
        """The plan scrolls by keyboard whatever has the focus (the table itself never scrolls)."""
        body = self.query_one("#plan-body", VerticalScroll)
        getattr(body, f"scroll_{how}")(animate=False)

    def action_explanation(self) -> None:
        """The patient's explanation as it prints, over the plan."""
        from assistant.documents import RenderError, render_patient
        from assistant.tui.screens.explanation_screen import ExplanationScreen

        resources, given = self.session.resources, self.record.given if self.record is not None else None
        answers = self.session.answers  # and the doses given, as S prints them (given, then contraindicated)
        try:
            text = render_patient(self.plan, resources.kb, resources.clinic, "text", answers=answers, given=given)
        except RenderError as error:
            self.app.notify(str(error), title="Template problem", severity="error")
            return
        self.app.push_screen(ExplanationScreen(str(text)))

    def _documents_folder(self) -> Path:
        from assistant.locations import user_data_dir

        return self.documents or user_data_dir() / "documents"

    def action_save_documents(self) -> None:
        self.query_one(DocumentsLine).save()

    def action_print(self) -> None:
        self.query_one(DocumentsLine).save(then_print=True)

    def action_edit(self) -> None:
        self.app.pop_screen()
        self.app.screen.open_review()  # type: ignore[attr-defined]
