"""Dialogs asked from use cases: one run as a worker (awaited in a key's or a command's handler, it
would hold the very message queue the dialog's keys arrive on), with the keys typed meanwhile held
for the dialog, and the blocking record work off the UI thread. A part of ``ConsultApp`` (a mixin).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from assistant.tui.idle_lock import IdleLock
from assistant.tui.record_keeping import RecordKeeping

if TYPE_CHECKING:
    from textual.screen import Screen

    from assistant.services.desk import Desk

T = TypeVar("T")

WORKING = ("finishing", "dialog")
"""The key gate's reasons for the use cases run as workers (finishing a consult, a dialog's)."""


class Dialogs(RecordKeeping):
    @property
    def desk(self) -> Desk:
        """The recorder's desk: one keyring, so the consult kept and the acts on its plan are signed
        by the account signed in here."""
        return self.recorder.desk

    @cached_property
    def idle_lock(self) -> IdleLock:
        """The lock after idle minutes (``at_the_keyboard.py``): a dialog waits until it is lifted."""
        return IdleLock()

    async def ask(self, screen: Screen[T], *, over_lock: bool = False) -> T | None:
        """Push ``screen`` and wait for what it is dismissed with.

        A dialog is never drawn over the idle lock: it waits until the lock is lifted (``over_lock``:
        the lock's own account picker).

        A use case in a worker holds the keys typed meanwhile (``WORKING``): they belong to the
        dialog it is about to open, not to the screen below. Once the dialog is up they go to it;
        once it is dismissed the keys wait again, for the next dialog or the end of the use case."""
        if not over_lock:
            await self.idle_lock.wait_open()
        held = [reason for reason in WORKING if reason in self.key_gate.reasons]
        done: asyncio.Future[T | None] = asyncio.get_running_loop().create_future()
        await self.push_screen(screen, lambda value: done.done() or done.set_result(value))
        for reason in held:
            self.key_gate.release(reason)
        try:
            return await done
        finally:
            for reason in held:
                self.key_gate.hold(reason)

    def working(self, job: Coroutine[Any, Any, Any], reason: str) -> Coroutine[Any, Any, Any]:
        """``job`` with the keys held (``reason``) until it ends, but while its dialogs are up."""
        self.key_gate.hold(reason)

        async def held() -> Any:
            try:
                return await job
            finally:
                self.key_gate.release(reason)

        return held()

    async def in_thread(self, job: Any, *args: Any) -> Any:
        return await asyncio.to_thread(job, *args)

    def in_dialog(self, job: Callable[[], Coroutine[Any, Any, Any]], name: str) -> None:
        """Run a use case that waits for a dialog as a worker: awaited in a key's or a command's
        handler, it would hold the very message queue the dialog's keys arrive on. One at a time: a
        second G or K while a dialog is open does nothing, and nothing starts while the idle lock is up."""
        if self.idle_lock.up or any(worker.group == "dialog" and worker.is_running for worker in self.workers):
            return
        self.run_worker(self.working(job(), "dialog"), name=name, group="dialog", exit_on_error=False)
