"""Saving (and printing) a consult's documents without freezing the plan screen.

Making the PDFs takes seconds on a machine without libharfbuzz-subset0. The line under the plan
says "Saving..." at once, the work runs in a thread, the screen stays usable, and a second S while
saving saves nothing twice. The outcome is told on this line, which belongs to the plan screen:
it never covers the plan's warnings (as a notice in the corner would) and goes with the screen
when the next consult starts. Only errors also come as a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.widgets import Static
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from assistant.files.resources import Resources
    from assistant.records import ConsultRecord

State = Literal["idle", "saving", "saved"]


class DocumentsLine(Static):
    """The documents' state for one plan: how to save them, saving, saved where, or what failed."""

    def __init__(
        self,
        record: ConsultRecord | None,
        resources: Resources,
        folder: Path,
        *,
        previous: ConsultRecord | None = None,
        trail: Callable[[], tuple[int, str] | None] | None = None,
        id: str | None = None,
    ) -> None:
        """``previous``: the patient's last record, shown beside today's plan in the summary; ``trail``:
        the audit trail's (last entry, its hash) when the summary is made, which it prints."""
        super().__init__("", id=id, markup=False)
        self.record = record
        self.resources = resources
        self.folder = folder
        self.previous = previous
        self.trail = trail
        self.state: State = "idle"
        self.saved: list[Path] = []
        self._print_after = False

    @property
    def record(self) -> ConsultRecord | None:
        return self._record

    @record.setter
    def record(self, record: ConsultRecord | None) -> None:
        """Saved once the server was back (or changed elsewhere): the line says what S and P do now,
        agreeing with the banner and the footer."""
        self._record = record
        if self.is_mounted and self.state == "idle":
            self.on_mount()

    def on_mount(self) -> None:
        if self.record is None:
            self.say("This consult was not saved, so it has no documents to save or print.")
        else:
            self.say("S saves the patient's explanation and the dose summary as PDFs; P prints them.")

    def say(self, text: str) -> None:
        self.update(text)

    def save(self, then_print: bool = False) -> None:
        if self.record is None:
            self.app.bell()
            return
        if self.state == "saving":
            self._print_after = self._print_after or then_print
            self.say("Still saving the documents… (pressed again: nothing is saved twice)")
            return
        if self.state == "saved":
            if then_print:
                self._print(self.saved)
            else:
                self.say(f"Already saved. {self._saved_text()}")
            return
        self.state = "saving"
        self._print_after = then_print
        self.say("Saving the documents…")
        self.call_after_refresh(self._start)  # "Saving..." is on screen before the work takes the CPU

    def _start(self) -> None:
        self.run_worker(self._write, thread=True, name="documents", group="documents", exit_on_error=False)

    def _write(self) -> list[Path]:
        from assistant.services.paperwork import save_documents

        assert self.record is not None
        paper = self.resources.clinic.paper
        trail = self._trail_head()
        return save_documents(
            self.record, self.resources, self.folder, previous=self.previous, paper=paper, trail=trail
        )

    def _trail_head(self) -> tuple[int, str] | None:
        """The audit trail's last entry and hash as the summary is made (None: the record is away)."""
        from assistant.records.errors import RecordsError

        try:
            return self.trail() if self.trail is not None else None
        except RecordsError:
            return None

    def _saved_text(self) -> str:
        names = " and ".join(p.name for p in self.saved)
        folder = self.saved[0].parent if self.saved else self.folder
        status = "" if self.record is None or self.record.status == "planned" else f" ({self.record.status}: no dose)"
        return f"Saved{status}: {names}, in {folder}"

    def _print(self, paths: list[Path]) -> None:
        from assistant.services.printing import send_to_printer

        self.say("Sending the documents to the printer…")
        clinic = self.resources.clinic
        self.run_worker(lambda: send_to_printer(paths, clinic), thread=True, name="printing", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS and worker.name == "documents":
            self.state, self.saved = "saved", worker.result
            self.say(self._saved_text())
            if self._print_after:
                self._print(self.saved)
        elif event.state == WorkerState.SUCCESS and worker.name == "printing":
            outcome = worker.result  # a PrintOutcome: when nothing printed, its message says where the PDFs are
            self.say(outcome.message if not outcome.printed else f"{outcome.message} {self._saved_text()}")
        elif event.state == WorkerState.ERROR:
            if worker.name == "documents":
                self.state = "idle"
            name = self.record.patient_name if self.record else "this consult"
            self.say(f"Documents not written: {worker.error}. S tries again.")
            self.app.notify(f"{worker.error}", title=f"Documents of {name} not written", severity="error")
