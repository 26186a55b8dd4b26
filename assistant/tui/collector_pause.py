"""The garbage collector waits while a key is handled, until the frame that shows what it did.

A collection that falls between Enter and the next question's frame delays that question by its
length: 0.5-2.5 ms for a young generation's pass, 6-13 ms for a full one (ui_bench's consult, with
what start-up made already frozen, ``start_up.py``). Textual does the same around smooth scrolling
(``App.PAUSE_GC_ON_SCROLL``). The pause ends once that frame is drawn, or after ``LONGEST`` seconds
whatever happens, so garbage never waits long: the pass put off runs at the next allocation, after
the frame. The app pauses it for every key (``app.py``); it is never turned off for good here.
The key's frame can come before the answer it typed is handled (Enter travels from the input to the
answer area to the screen, and the screen draws meanwhile): the consult screen asks again as it takes
the answer, so the pause lasts until the next question's frame.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.widget import Widget

LONGEST = 0.5
"""Seconds after which the collector runs again, drawn or not (a dialog, a slow save)."""


class CollectorPause:
    def __init__(self, app: App[object]) -> None:
        self.app = app
        self._timer: Timer | None = None
        self._asked = 0  # the latest frame waited for: keys typed in a burst each push the end back

    @property
    def held(self) -> bool:
        return self._timer is not None

    def until_next_frame(self) -> None:
        """No collection until the screen on top draws its next frame (a key has just arrived)."""
        if self.app.screen_stack:  # none while the app closes
            self.until_drawn(self.app.screen)

    def until_drawn(self, widget: Widget) -> None:
        """No collection until ``widget``'s next frame is drawn; when paused already, until that frame
        (a key of a burst waits for the key before it, whose frame may come first). ``LONGEST`` from
        the pause's start bounds it all the same. Left alone when the collector is off already
        (start-up turns it on after its first frame)."""
        if self._timer is None:
            if not gc.isenabled():
                return
            gc.disable()
            self._timer = self.app.set_timer(LONGEST, self.resume)  # the app's: a screen's stops with it
        self._asked += 1
        widget.call_after_refresh(self._drawn, self._asked)

    def _drawn(self, asked: int) -> None:
        if asked == self._asked:
            self.resume()

    def resume(self) -> None:
        """The collector runs again (once; later calls do nothing). The app calls it as it closes."""
        if self._timer is None:
            return
        self._timer.stop()
        self._timer = None
        gc.enable()
