"""What the idle lock lets through, and the notices it holds until it opens.

While the lock is up the screen shows only the account picker, on an opaque screen: nothing of the
record behind it. No palette, no screen and no key of the app works (the app's ``check_action``
refuses every action but these), and a notice, which may name a patient, waits for the right PIN
like everything else. Leaving the program stays possible: the consult is kept as a draft.
"""

from __future__ import annotations

import asyncio
from typing import Any

WHILE_LOCKED = frozenset({"focus_next", "focus_previous", "quit"})
"""The app's actions that still work while locked: moving between the picker and the PIN, and
quitting (which keeps the draft and shows nothing)."""


class IdleLock:
    """Whether the lock is up; the notices held meanwhile; a wait for it to open.

    A plain object the app builds once: the lock's state lives here, not in the mixins' attributes."""

    def __init__(self) -> None:
        self.up = False
        self._held: list[dict[str, Any]] = []
        self._open = asyncio.Event()
        self._open.set()

    def close(self) -> None:
        self.up = True
        self._open.clear()

    def open(self) -> list[dict[str, Any]]:
        """The lock is lifted: the notices held while it was up, in the order they came."""
        self.up = False
        self._open.set()
        held, self._held = self._held, []
        return held

    def allows(self, action: str) -> bool:
        return not self.up or action in WHILE_LOCKED

    def hold(self, notice: dict[str, Any]) -> bool:
        """Keep ``notice`` for later while the lock is up (True); else it may be shown now."""
        if self.up:
            self._held.append(notice)
        return self.up

    async def wait_open(self) -> None:
        """Until the lock is lifted (at once when it is not up): a dialog waits for it rather than
        being drawn over the lock."""
        await self._open.wait()
