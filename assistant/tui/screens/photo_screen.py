"""Which photo to add, and of what kind: a path typed, or a file picked from the folder the clinic
settings name (``[photos] folder``, where the camera or tablet syncs), newest first.

Up and Down move in the list (Enter puts the file's path in the box); Tab goes from the kind (before,
after, review: arrows, then Enter or Space) to the path and the list; Enter in the path box adds it
(the PIN is asked next); Esc adds nothing. The file is checked when it is added: a file that is not a
JPEG or PNG is said then, and nothing is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from assistant.core.lifecycle.photo_refs import PhotoKind

KINDS: tuple[PhotoKind, ...] = ("before", "after", "review")


@dataclass(frozen=True)
class PhotoChoice:
    path: Path
    kind: PhotoKind


class PhotoScreen(ModalScreen[PhotoChoice | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, patient: str, folder: Path | None, files: list[Path], kind: PhotoKind = "before") -> None:
        super().__init__()
        self.patient = patient
        self.folder = folder
        self.files = files
        self.kind = kind

    def compose(self) -> ComposeResult:
        where = (
            f" or pick one from {self.folder} (newest first)"
            if self.files
            else (f" ({self.folder} holds no JPEG or PNG)" if self.folder else "")
        )
        with Vertical(id="dialog", classes="-wide"):
            yield Static(f"A photo of {self.patient}: type its path{where}.", id="dialog-message", markup=False)
            with RadioSet(id="photo-kind"):
                for kind in KINDS:
                    yield RadioButton(kind.capitalize(), value=kind == self.kind, name=kind)
            yield Input(placeholder="Path of the photo (JPEG or PNG)", id="photo-path")
            if self.files:
                yield OptionList(*(Option(path.name, id=str(path)) for path in self.files), id="photo-files")
            yield Static("", id="photo-refusal", markup=False)

    def on_mount(self) -> None:
        self.query_one("#photo-refusal", Static).display = False
        self.query_one("#photo-path", Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        name = event.pressed.name
        if name in KINDS:
            self.kind = name  # type: ignore[assignment]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            box = self.query_one("#photo-path", Input)
            box.value = event.option.id
            box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        if not typed:
            refusal = self.query_one("#photo-refusal", Static)
            refusal.update("Type the photo's path, or pick a file from the list.")
            refusal.display = True
            return
        self.dismiss(PhotoChoice(Path(typed).expanduser(), self.kind))

    def action_cancel(self) -> None:
        self.dismiss(None)
