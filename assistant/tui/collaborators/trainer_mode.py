"""Trainer mode: a dry run that saves nothing, with Ctrl+R reading the script, knowledge and
templates from disk again (their problems shown above the conversation, the answers kept).
A part of ``ConsultApp`` (a mixin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.tui.finishing import Finishing

if TYPE_CHECKING:
    from assistant.files.clinic_file import Loaded
    from assistant.files.resources import Resources


class TrainerMode(Finishing):
    TITLE: str
    loader: Callable[[], Loaded[Resources]] | None

    if TYPE_CHECKING:  # the app's own (ConsultApp)

        def _use(self, resources: Resources) -> None: ...

        def start_consult(self, carry: str | None = None) -> Any: ...

    def _show_mode(self) -> None:
        self.set_class(self.trainer, "-trainer")
        self.title = "Botulax consult · TRAINER (dry run: nothing is saved)" if self.trainer else self.TITLE
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)  # the idle lock refuses first
        if allowed and action == "reload_files":
            return self.trainer
        return allowed

    def action_trainer_mode(self) -> None:
        self.trainer = True
        self._show_mode()
        self._trainer_note(
            "Trainer mode: Ctrl+R reloads the script, knowledge and templates from disk. Nothing is saved."
        )

    def _trainer_note(self, text: str) -> None:
        for screen in self.screen_stack:
            for panel in screen.query("#trainer-panel"):
                panel.update(text)  # type: ignore[attr-defined]

    async def action_reload_files(self) -> None:
        """Read the files again; show their problems, or go on with them keeping the answers given."""
        from assistant.files.resources import load_resources

        loaded = (self.loader or load_resources)()
        lines = [str(p) for p in loaded.problems]
        if loaded.value is None:
            self._trainer_note(
                "Not reloaded: the files have problems (the consult goes on with the last good files):\n"
                + "\n".join(lines)
            )
            self.bell()
            return
        answers = dict(self.session.answers)
        self._use(loaded.value)
        self.session.resume(answers)
        self.finished = False
        await self.start_consult()
        script, kb = loaded.value.script, loaded.value.kb
        note = f"Reloaded: script {script.id} {script.version}, knowledge {kb.id} {kb.version}; answers kept."
        self.call_after_refresh(self._trainer_note, "\n".join([note, *lines]))
