"""Keys applied in order, one at a time, whatever screen change is under way.

Textual hands each key to the focused widget's own message queue and goes on to the next key at
once. A key that changes the question (Enter, Esc, Y) is handled a moment later, in the screen's
queue; by then the keys typed after it have already gone to the old question's input: two answers
joined into one, or a burst typed over by the question being redrawn. A person typing slowly never
sees this; a paste, a barcode scanner or a quick typist does.

The gate lets one key through, then holds the next until that key and everything it set off (the
answer judged, the next question drawn and focused, a dialog mounted) has run; then it lets the
next one through. Typed slowly, nothing is ever held (the check costs a pass through a few idle
queues when the next key comes, and nothing while an answer is being drawn). The consult may
also hold keys for a reason of its own (the engine still loading) and let them go when ready.

How "everything it set off has run" is known: a callback follows the key up the chain of message
queues it travels (the focused widget, its parents, the screen, the app), each time going behind
whatever that queue still holds. Bindings run at the app and handlers may move the focus or open
a screen, so the callback makes another pass from whatever has the focus then, until a pass finds
every queue on the way quiet, the same screen on top and the same widget focused. Textual gives
no public way to ask whether a queue is empty, so ``pending`` reads its private queue (and the
message it has peeked at);
``tests/test_tui_keys.py`` fails if that stops working.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.timer import Timer

from assistant.tui.typed_keys import as_typed, keys_of, paste_problem

Typed = events.Key | events.Paste

WATCH_EVERY = 0.25
"""Seconds between checks that the key in flight is still on its way (its widget may have gone)."""

GIVE_UP_AFTER = 10.0
"""A key whose effects have not settled in this long lets the next key through anyway."""


def pending(node: MessagePump) -> bool:
    """Whether ``node`` still holds messages (a key delivered, not yet applied).

    Not only its queue: after taking each message Textual peeks at the next one (to merge messages
    that replace each other) and keeps it aside in ``_pending_message``, so a queue can be empty
    while one more message waits. The answer area's ``Submitted``, posted while the walk's callback
    waited behind it, sat there: the walk went on, the gate let the next key through to the old
    question, and under load a date typed right after a name was lost (the clinic number then
    landed in the date field)."""
    if getattr(node, "_pending_message", None) is not None:
        return True
    queue = getattr(node, "_message_queue", None)
    return queue is not None and not queue.empty()


@dataclass
class _Walk:
    """The key in flight: where its callback is now, and the screen it last passed."""

    screen: object
    focused: object
    node: MessagePump
    started: float = field(default_factory=time.monotonic)
    hop: int = 0
    """Which callback of this walk is the live one: the watchdog may post a new one while the old
    one is still queued, and two of them behind each other would each see the other waiting in
    the same queue (``pending``) and go round for ever."""


class KeyGate:
    def __init__(self, app: App) -> None:
        self.app = app
        self.held: deque[events.Key] = deque()
        self.reasons: set[str] = set()
        self.keys_seen = 0
        """Keys the practitioner pressed since start (replays not counted)."""
        self._walk: _Walk | None = None
        self._released: events.Key | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._watchdog: Timer | None = None
        self._when_settled: list[Callable[[], object]] = []
        self._unsettled = True
        """A key was delivered and no pass has seen its effects through yet. True at start: the
        first screen may still be mounting, its input not focused yet, when the first keys come."""

    # --- what the app calls ----------------------------------------------------------------------
    def admit(self, event: Typed) -> list[events.Key]:
        """The keys to deliver now (none while others wait their turn, or the key itself)."""
        if event is self._released:
            self._released = None
            return [event]  # type: ignore[list-item]
        if isinstance(event, events.Paste) and (problem := paste_problem(event.text)) is not None:
            self.app.notify(problem, title="Paste not typed", severity="warning", timeout=10)
            return []
        keys = keys_of(event.text) if isinstance(event, events.Paste) else as_typed(event)
        self.keys_seen += len(keys)
        if not keys:
            return []
        if self.busy or self._unsettled:
            self.held.extend(keys)
            self._idle.clear()
            if self._walk is None and not self.reasons and self._released is None:
                self._pass()  # the key before may still be under way: follow it, then this one
            return []
        self.held.extend(keys[1:])
        return keys[:1]

    def delivered(self) -> None:
        """A key went to the focused widget (or a binding ran). Nothing is followed yet: a key
        typed at a person's pace finds it long settled. The next key, when it comes, waits for
        a pass that makes sure (see ``admit``); one already waiting starts that pass now."""
        self._unsettled = True
        self._idle.clear()
        if self.held and self._walk is None and not self.reasons:
            self._pass()

    def _pass(self) -> None:
        """Follow what is under way until it has settled, then let the next key through."""
        start = self.app.focused or self.app.screen
        self._walk = _Walk(self.app.screen, self.app.focused, start)
        self._idle.clear()
        self._watch()
        self._step(self._walk, start)

    def hold(self, reason: str) -> None:
        """Hold every key from now until ``release(reason)``."""
        self.reasons.add(reason)
        self._idle.clear()

    def hold_then(self, reason: str, then: Callable[[], object]) -> None:
        """Hold every key, and once the keys already delivered have settled, run ``then`` (in the
        app's queue; it may be async). For a screen change the program starts by itself (the engine
        has loaded, a dialog opens): no key typed meanwhile reaches the old screen or a screen
        still being mounted."""
        self.hold(reason)
        self._when_settled.append(then)
        if self._walk is None:
            if self._unsettled:
                self._pass()
            else:
                self._run_settled()

    def put_back(self, key: events.Key) -> None:
        """A key admitted but not delivered after all: first in line again."""
        self.held.appendleft(key)
        self._idle.clear()

    def set_aside(self) -> list[events.Key]:
        """Take the keys waiting out of line: typed before a dialog appeared, they were meant for the
        screen under it, never for the dialog (see ``restore``)."""
        keys = list(self.held)
        self.held.clear()
        return keys

    def restore(self, keys: list[events.Key]) -> None:
        """Keys set aside go first in line again, in their order (the dialog is gone): they reach
        the screen they were typed for once what is under way has settled."""
        self.held.extendleft(reversed(keys))
        if not self.held:
            return
        self._idle.clear()
        if self._walk is None and not self.reasons and self._released is None:
            self._pass()

    def release(self, reason: str) -> None:
        """Let keys through again once what ``reason`` waited for has settled: keys that arrived
        meanwhile may still be in the app's queue, and the new screen's focus still on its way."""
        self.reasons.discard(reason)
        if not self.reasons and self._walk is None:
            self._pass()

    def drop_held(self) -> int:
        """Forget the keys waiting (typed for a question that is no longer asked); how many there were."""
        count = len(self.held)
        self.held.clear()
        return count

    @property
    def busy(self) -> bool:
        return bool(self.held or self.reasons or self._walk is not None or self._released is not None)

    async def wait_idle(self) -> None:
        """Until every key typed so far has been applied (tests and benchmarks await this)."""
        while self.busy or self._unsettled:
            if self._walk is None and not self.reasons and self._released is None:
                self._pass()
            self._idle.clear()
            await self._idle.wait()

    # --- following a key -------------------------------------------------------------------------
    def _step(self, walk: _Walk, node: MessagePump) -> None:
        if walk is not self._walk:
            return  # superseded (the watchdog moved it on)
        walk.node = node
        app = self.app
        if node is not app:
            # Behind what this queue still holds, then on to the parent.
            self._post(walk, node if pending(node) else (node.parent or app))
            return
        # A pass has reached the app. A binding run here may have posted to the focused widget
        # (Enter's "submit"), a handler may have moved the focus or opened a screen: then another
        # pass, from the widget that has the focus now. A pass that finds all quiet ends the walk.
        screen, focused = app.screen, app.focused
        chain = [n for n in (focused.ancestors_with_self if focused else (screen,)) if n is not app]
        if screen is not walk.screen or focused is not walk.focused or any(pending(n) for n in chain):
            walk.screen, walk.focused = screen, focused
            self._post(walk, focused or screen)
            return
        self._walk = None
        self._unsettled = False
        self._idle.set()  # wakes wait_idle to look again
        if self._when_settled:
            self._run_settled()
        self._next()

    def _run_settled(self) -> None:
        callbacks, self._when_settled = self._when_settled, []
        for callback in callbacks:
            self.app.call_later(callback)

    def _post(self, walk: _Walk, node: MessagePump) -> None:
        """The next step, behind what ``node``'s queue holds now (``call_later`` would do, but it
        wraps each callback in a partial whose signature Textual then inspects: a cost on every
        key that adds up in a burst)."""
        walk.hop += 1
        if not node.post_message(events.Callback(callback=self._stepper(walk, node))) and node is not self.app:
            self.app.post_message(events.Callback(callback=self._stepper(walk, self.app)))

    def _stepper(self, walk: _Walk, node: MessagePump) -> Callable[[], None]:
        hop = walk.hop

        def step() -> None:
            if hop == walk.hop:  # not a callback the watchdog has since replaced
                self._step(walk, node)

        step._param_count = 0  # type: ignore[attr-defined]  # what Textual would work out by inspection
        return step

    def _watch(self) -> None:
        """Run the watchdog while a key is followed (it sleeps the rest of the time)."""
        if self._watchdog is None:
            self._watchdog = self.app.set_interval(WATCH_EVERY, self._check_walk, name="key-gate")
        else:
            self._watchdog.resume()

    def _check_walk(self) -> None:
        """The callback's widget was removed (its queue will never run it), or it took too long:
        carry on from the app so no key is ever stuck."""
        walk = self._walk
        if walk is None:
            if self._watchdog is not None:
                self._watchdog.pause()
            return
        node = walk.node
        gone = node is not self.app and not (node.is_attached and node.is_running)
        if gone or time.monotonic() - walk.started > GIVE_UP_AFTER:
            walk.node = self.app
            walk.started = time.monotonic()
            self._post(walk, self.app)

    def _next(self) -> None:
        if self.reasons or self._walk is not None or self._released is not None:
            return
        if not self.held:
            self._idle.set()
            return
        key = self.held.popleft()
        self._released = events.Key(key.key, key.character)
        self.app.post_message(self._released)
