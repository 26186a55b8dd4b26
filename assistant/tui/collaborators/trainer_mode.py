"""Trainer mode: a dry run that saves nothing, with Ctrl+R reading the script, knowledge and
templates from disk again (their problems shown above the conversation, the answers kept).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host


class TrainerMode:
    def __init__(
        self, current: Current, host: Host, note: Callable[[str], None], show_mode: Callable[[], None]
    ) -> None:
        """``note(text)``: the trainer panel above the conversation says ``text``; ``show_mode()``:
        the app's title and colours say which mode it is in."""
        self.current = current
        self.host = host
        self.note = note
        self.show_mode = show_mode

    def turn_on(self) -> None:
        self.current.trainer = True
        self.show_mode()
        self.note("Trainer mode: Ctrl+R reloads the script, knowledge and templates from disk. Nothing is saved.")

    async def reload(self) -> bool:
        """Read the files again; show their problems, or go on with them keeping the answers given.
        False when they could not be used (the consult goes on with the last good files)."""
        from assistant.files.resources import load_resources

        current = self.current
        loaded = (current.loader or load_resources)()
        lines = [str(p) for p in loaded.problems]
        if loaded.value is None:
            self.note(
                "Not reloaded: the files have problems (the consult goes on with the last good files):\n"
                + "\n".join(lines)
            )
            return False
        answers = dict(current.consult.answers)
        current.use(loaded.value)
        current.consult.resume(answers)
        current.finished = False
        await self.host.start_consult()
        script, kb = loaded.value.script, loaded.value.kb
        note = f"Reloaded: script {script.id} {script.version}, knowledge {kb.id} {kb.version}; answers kept."
        self.host.call_after_refresh(self.note, "\n".join([note, *lines]))
        return True
