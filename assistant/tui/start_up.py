"""The start of a run: the first question is drawn from the start-up snapshot while the engine
loads in a thread; once it has loaded, the consult screen takes over with the text typed so far,
then what a run does once (the start dialogs, the idle lock's watch, the "to sign" count, the vials).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.files.clinic_file import Loaded
    from assistant.files.resources import Resources
    from assistant.startup import FirstQuestion
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collector_pause import CollectorPause
    from assistant.tui.key_gate import KeyGate
    from assistant.tui.stage import Stage


LOAD_AT_THE_LATEST = 0.1
"""Seconds after the first frame's layout by which the engine starts loading, drawn or not."""


class StartUp:
    def __init__(
        self,
        current: Current,
        host: Host,
        stage: Stage,
        key_gate: KeyGate,
        first: FirstQuestion | None,
        leave: Callable[..., None],
        then: Callable[[], None],
        styles: Callable[[], None],
        collector: CollectorPause,
    ) -> None:
        """``leave(return_code=, message=)``: the program ends (the files could not be loaded);
        ``then()``: what a run does once, the first consult on screen; ``styles()``: the styles the
        first frame did not need (``styles.py``), read once that frame is drawn; ``collector``: a key's
        pause of the garbage collector (``collector_pause.py``), which turns it on again itself."""
        self.current = current
        self.host = host
        self.stage = stage
        self.key_gate = key_gate
        self.first = first
        self.leave = leave
        self.then = then
        self.styles = styles
        self.collector = collector
        self.was_drawn = False
        """What waits for the first frame to be drawn is done (once)."""

    def first_frame(self) -> None:
        """The first frame is laid out. What can wait is done once it has been drawn (``drawn``)."""
        self.host.call_after_refresh(self.drawn)
        self.host.set_timer(LOAD_AT_THE_LATEST, self.drawn)

    def drawn(self) -> None:
        """The first frame is drawn: the garbage collector is back on (``cmd_ui`` turned it off), the
        other screens' styles are read, and the engine starts loading, which in its thread would hold
        the GIL while Textual draws that frame (in ui_bench, about 15 of the 35 ms from the layout to
        the frame drawn). A palette opened at once can hold that refresh back, so a timer calls this a
        moment later anyway; whichever comes first does it, once."""
        if self.was_drawn:
            return
        self.was_drawn = True
        if not self.collector.held:  # a key's pause holds it off until its frame: it turns it on then
            gc.enable()
        self.styles()
        if not self.current.engine_ready and self.current.loader is not None:
            self.host.run_worker(self.current.loader, thread=True, name="load-engine")

    def loaded(self, loaded: Loaded[Resources] | None, error: BaseException | None) -> None:
        """The engine's thread ended: with the files loaded, or their problems (or its error)."""
        if loaded is None or loaded.value is None:
            problems = "\n".join(str(p) for p in (loaded.problems if loaded else [error]))
            self.leave(return_code=2, message=f"{problems}\nbotulax-consult: cannot start (botulax-consult check).")
            return
        self.current.use(loaded.value)
        # Keys already on their way to the welcome screen's input land there first; every later
        # key waits for the consult screen, which takes over with the text typed.
        self.key_gate.hold_then("loading", self._hand_over)

    async def _hand_over(self) -> None:
        typed = await self.stage.typed_on_welcome()
        current = self.current.consult.current
        if self.first is not None and (current is None or current.id != self.first.question_id):
            # The snapshot was of another first question: what was typed was for that one.
            if self.key_gate.drop_held() or typed:
                self.host.call_later(
                    self.host.say, "The first question changed while loading; please type the answer again."
                )
            typed = None
        await self.begin(typed)

    async def begin(self, carry: str | None = None) -> None:
        self.styles()  # read already, unless the first question came without the snapshot
        try:
            await self.host.start_consult(carry)
        finally:
            self.key_gate.release("loading")
        # What start-up made (the engine, the knowledge base, the widgets) lives as long as the
        # app: kept out of the garbage collector's full passes, which would otherwise stall an
        # answer now and then for tens of milliseconds.
        gc.freeze()
        self.then()
