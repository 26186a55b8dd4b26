"""``pilot.press`` for our app: each key waits until it has been applied, not until the CPU looks idle.

Textual's ``Pilot.press`` sends a key, then sleeps in 20 ms steps until the process has used almost no
CPU time for one step (``textual._wait.wait_for_idle``), twice per key, and up to a second each when
anything else is running (a PIN hashed in a thread, another worker of the same machine): 40 ms to 2 s
of sleeping per key, about 25 s of the 35 of a test typing three consults. Our app knows when a key has
been applied: every key goes through its key gate (``assistant/tui/key_gate.py``), which follows the key
and everything it set off (the answer judged, the next question drawn, a dialog mounted) through the
message queues and says so in ``KeyGate.wait_idle``. Keys are still sent one at a time, each after the
one before has been applied, as a person typing slowly would; only the wait changes.

The wait is bounded: a key whose effects never settle fails the test with a sentence after
``SETTLE_WITHIN`` seconds rather than hanging it. An app without a key gate (a bare Textual app in a
test or a bench) keeps Textual's own ``_press_keys``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from textual._wait import wait_for_idle
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

from assistant.tui.key_gate import KeyGate
from tests.tui_driving import key_event

SETTLE_WITHIN = 20.0
"""Seconds a key may take to be applied before the test fails (the gate's own watchdog lets a stuck
key go after 10 s, so this is only reached when the app stopped handling messages)."""

HOLD_CHECK_EVERY = 0.02
"""Seconds between looks at whether the gate has started holding keys on purpose."""

TEXTUAL_PRESS_KEYS = App._press_keys
"""Textual's own, for apps without a key gate."""


async def _drained(app: App, screen: bool = True) -> None:
    """Until the app (and with ``screen``, the screen on top and its widgets) have handled every
    message queued before this call (what ``Pilot._wait_for_screen`` waits on). A widget removed
    meanwhile never runs its callback: it is no longer waited for."""
    nodes: list[MessagePump] = [app]
    if screen:
        with contextlib.suppress(Exception):  # no screen yet, or the app is closing: the app's queue only
            nodes.extend(app.screen.walk_children(with_self=True))
    waiting: set[MessagePump] = set()
    done = asyncio.Event()

    def one_done(node: MessagePump) -> None:
        waiting.discard(node)
        if not waiting:
            done.set()

    for node in nodes:
        if _has_work(node) and node.call_later(one_done, node):
            waiting.add(node)
    while waiting:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=HOLD_CHECK_EVERY * 5)
        waiting -= {node for node in waiting if node._closing or node._closed or not node.is_attached}


def _has_work(node: MessagePump) -> bool:
    """Whether ``node`` is to be sent a callback to wait on. A widget is skipped when it is quiet:
    its queue empty, no message put aside, no callback to run next, no refresh of its own pending, and
    its pump parked on the next message (a future on the queue's event not yet woken), which a widget
    in the middle of a handler never is. Each callback is a message its pump dispatches and follows
    with an Idle event, and a screen holds a hundred widgets, almost all of them quiet, at every key of
    every test. The app and screens are always sent one: a screen runs its after-refresh callbacks and
    resumes its update timer when idle, and a quiet screen would otherwise never be. Textual's own queue
    (``textual._queue.Queue``) keeps no count of unfinished messages, hence the look at its event."""
    if not isinstance(node, Widget) or isinstance(node, Screen):
        return True
    if node._message_queue.qsize() or node._pending_message is not None or node._next_callbacks:
        return True
    if node._repaint_required or node._layout_required or node._scroll_required or node._recompose_required:
        return True
    if node._refresh_styles_required:
        return True
    waiters = getattr(node._message_queue.ready_event, "_waiters", None)
    return not waiters or all(waiter.done() for waiter in waiters)


async def _refreshed(app: App) -> None:
    """Until the screen has been drawn again when something waits for that (the transcript anchors
    itself to its end once it is long, after a refresh): a test that reads the screen right after
    the key sees it as a person would a moment later. A screen that leaves the top meanwhile (the
    welcome screen handing over to the consult screen) is drawn no more: the wait moves on to the new
    top, rather than waiting for ever on a refresh that never comes."""
    for _ in range(3):
        try:
            screen = app.screen
        except Exception:  # no screen: the app is closing
            return
        if not (screen._callbacks or screen._layout_required or screen._scroll_required) or not screen.is_running:
            return
        refreshed = asyncio.ensure_future(screen.wait_for_refresh())
        try:
            while not refreshed.done() and screen.is_running and _on_top(app, screen):
                await asyncio.wait([refreshed], timeout=HOLD_CHECK_EVERY)
        finally:
            refreshed.cancel()


def _on_top(app: App, screen: MessagePump) -> bool:
    try:
        return app.screen is screen
    except Exception:  # no screen: the app is closing
        return False


async def caught_up(app: App) -> None:
    """Until the screen has caught up with what was applied: the frames asked for drawn, animations
    ended, and every queue of the app and the screen drained after them."""
    await _refreshed(app)
    await app.animator.wait_until_complete()
    await _drained(app)


async def applied(app: App) -> None:
    """Until the key just sent has reached the app and everything it set off has run: the app's queue
    drained (the key admitted by the gate), the gate idle, the screen's queues drained after it."""
    gate = app.key_gate  # type: ignore[attr-defined]

    async def settle() -> None:
        await _drained(app, screen=False)  # the key has reached the app: the gate follows it from there
        await _gate_idle_or_holding(gate)
        await caught_up(app)

    settling = asyncio.ensure_future(settle())
    try:
        async with asyncio.timeout(SETTLE_WITHIN):
            while not settling.done():
                if app._closing or app._closed or not app.is_running:
                    return  # the key closed the app (Ctrl+Q): nothing is left to apply it
                await asyncio.wait([settling], timeout=HOLD_CHECK_EVERY)
        settling.result()
    except TimeoutError:
        raise AssertionError(
            f"a key was still not applied after {SETTLE_WITHIN} s (gate: {len(gate.held)} held, "
            f"reasons {sorted(gate.reasons)}, walking {gate._walk is not None})"
        ) from None
    finally:
        settling.cancel()


async def _gate_idle_or_holding(gate: KeyGate) -> None:
    """Until the gate is idle; or, while it holds keys on purpose (a use case at work between its
    dialogs, the engine loading), until the process is idle, as Textual's own ``press`` waits: the key
    is applied when that work ends, and the test goes on as a person would (typing ahead)."""
    idle = asyncio.ensure_future(gate.wait_idle())
    try:
        while not idle.done():
            if gate.reasons:
                await wait_for_idle(0)
                if gate.reasons:
                    return
            await asyncio.wait([idle], timeout=HOLD_CHECK_EVERY)
    finally:
        idle.cancel()


async def press_keys(self: App, keys: Iterable[str]) -> None:
    """Replaces ``App._press_keys`` in tests (``tests/conftest.py``): one key at a time, each
    waited on until applied."""
    if getattr(self, "key_gate", None) is None or self._driver is None:
        await TEXTUAL_PRESS_KEYS(self, keys)
        return
    for key in keys:
        if key.startswith("wait:"):  # Textual's explicit pause, kept as Textual does it
            await TEXTUAL_PRESS_KEYS(self, [key])
            continue
        event = key_event(key)
        event.set_sender(self)
        self._driver.send_message(event)
        await applied(self)
