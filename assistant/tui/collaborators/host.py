"""What the collaborators may ask of the app: the narrow face of ``ConsultApp`` they are given.

A Protocol, so a collaborator sees these few things and nothing else of the app (Textual's ``App``
has them all; ``say`` and ``start_consult`` are the consult app's own).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.message import Message
    from textual.notifications import SeverityLevel
    from textual.timer import Timer
    from textual.worker import Worker, WorkerManager


class Host(Protocol):
    @property
    def workers(self) -> WorkerManager: ...

    @property
    def is_running(self) -> bool: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None: ...

    def say(self, text: str) -> None:
        """A remark in the transcript of the consult on screen."""

    def start_consult(self, carry: str | None = None) -> Awaitable[Any]:
        """The consult screen of the current session, in place of every screen but the bottom one."""
        ...

    def tell_screens(self, message: Message) -> None:
        """Post ``message`` to every screen open (each handles what it is about)."""

    def run_worker(self, work: Any, name: str | None = "", group: str = "default", **kwargs: Any) -> Worker[Any]: ...

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None) -> Timer: ...

    def set_interval(self, interval: float, callback: Callable[[], Any] | None = None) -> Timer: ...

    def call_later(self, callback: Callable[..., Any], *args: Any) -> bool: ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...

    def refresh_bindings(self) -> None: ...
