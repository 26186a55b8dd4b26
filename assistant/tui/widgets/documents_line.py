"""Saving (and printing) a consult's documents without freezing the plan screen.

Making the PDFs takes seconds on a machine without libharfbuzz-subset0. The line under the plan
says "Saving..." at once, the work runs in a thread, the screen stays usable, and a second S while
saving saves nothing twice. The outcome is told on this line, which belongs to the plan screen:
it never covers the plan's warnings (as a notice in the corner would) and goes with the screen
when the next consult starts. Only errors also come as a notice.

The PDFs saved show one version of the record (``MadeFrom``). Once it moves on (given, signed,
amended, consent or a photo recorded), the line says so, and S and P make them anew from the record
as it is kept now, as ``botulax-consult print`` does: a paper copy never carries a dose or a state
the record no longer has. Each save is noted in the audit trail as ``print`` notes it (the chart
lists it).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.widgets import Static
from textual.worker import Worker, WorkerState

from assistant.core.lifecycle.documents_made import MadeFrom, shows

if TYPE_CHECKING:
    from assistant.files.resources import Resources
    from assistant.records import ConsultRecord
    from assistant.services.saved_documents import SavedDocuments
    from assistant.tui.collaborators.documents_desk import DocumentsDesk

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
        desk: DocumentsDesk | None = None,
        id: str | None = None,
    ) -> None:
        """``previous``: the patient's last record, shown beside today's plan in the summary; ``desk``:
        reads the record as kept now and notes the save (None: a dry run, the record as given)."""
        super().__init__("", id=id, markup=False)
        self.state: State = "idle"
        self.saved: list[Path] = []
        self.made: MadeFrom | None = None
        """The record version the saved PDFs show."""
        self.record = record
        self.resources = resources
        self.folder = folder
        self.previous = previous
        self.desk = desk
        self._print_after = False

    @property
    def record(self) -> ConsultRecord | None:
        return self._record

    @record.setter
    def record(self, record: ConsultRecord | None) -> None:
        """Saved once the server was back, given, signed or changed elsewhere: the line says what S and
        P do now, agreeing with the banner and the footer (PDFs of an earlier version: made anew)."""
        self._record = record
        if self.is_mounted and self.state == "idle":
            self.on_mount()
        elif self.is_mounted and self.state == "saved":
            self.say(self._saved_text() if self.current else self._outdated_text())

    @property
    def current(self) -> bool:
        """The PDFs saved show the record as it is now."""
        return shows(self.made, self.record)

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
        if self.state == "saved" and self.current:
            if then_print:
                self._print(self.saved)
            else:
                self.say(f"Already saved. {self._saved_text()}")
            return
        self.state = "saving"  # nothing saved yet, or of an earlier version: made anew from the record now
        self._print_after = then_print
        self.say("Saving the documents…")
        record = self.record
        self.call_after_refresh(self._start, record)  # "Saving..." is on screen before the work takes the CPU

    def _start(self, record: ConsultRecord) -> None:
        self.run_worker(
            partial(self._write, record), thread=True, name="documents", group="documents", exit_on_error=False
        )

    def _write(self, record: ConsultRecord) -> SavedDocuments:
        from assistant.services.saved_documents import save_as_printed

        if self.desk is not None:
            return self.desk.save(record, self.resources, self.folder, self.previous)
        return save_as_printed(None, record, self.resources, self.folder, previous=self.previous)

    def _saved_text(self) -> str:
        names = " and ".join(p.name for p in self.saved)
        folder = self.saved[0].parent if self.saved else self.folder
        record = self.record
        nothing = record is not None and record.status != "planned" and not (record.given and record.given.lines)
        status = f" ({record.status}: no dose)" if record is not None and nothing else ""
        made = f", of version {self.made.version} ({self.made.state})" if self.made is not None else ""
        return f"Saved{status}: {names}{made}, in {folder}"

    def _outdated_text(self) -> str:
        made, record = self.made, self.record
        assert made is not None and record is not None
        return (
            f"The record changed since the PDFs were saved (they show version {made.version}, {made.state}; it is "
            f"version {record.version}, {record.state}): S saves them anew, P prints them anew."
        )

    def _print(self, paths: list[Path]) -> None:
        from assistant.services.printing import send_to_printer

        self.say("Sending the documents to the printer…")
        clinic = self.resources.clinic
        self.run_worker(lambda: send_to_printer(paths, clinic), thread=True, name="printing", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS and worker.name == "documents":
            result: SavedDocuments = worker.result
            self.state, self.saved, self.made = "saved", result.files, result.made_from
            if not self.current:  # changed while they were made: not printed, and said
                self.say(self._outdated_text())
                return
            unnoted = f" Not noted in the record as printed: {result.not_noted}." if result.not_noted else ""
            self.say(self._saved_text() + unnoted)
            if self._print_after:
                self._print(self.saved)
        elif event.state == WorkerState.SUCCESS and worker.name == "printing":
            outcome = worker.result  # a PrintOutcome: when nothing printed, its message says where the PDFs are
            self.say(outcome.message if not outcome.printed else f"{outcome.message} {self._saved_text()}")
        elif event.state == WorkerState.ERROR:
            if worker.name == "documents":
                self.state, self.made = "idle", None
            name = self.record.patient_name if self.record else "this consult"
            self.say(f"Documents not written: {worker.error}. S tries again.")
            self.app.notify(f"{worker.error}", title=f"Documents of {name} not written", severity="error")
