"""Driving the UI as a quick typist, a paste or a barcode scanner would: keys sent all at once.

``pilot.press`` waits for the app to go idle after every key, which is typing slowly; ``burst``
puts every key in the app's queue at once, as the terminal driver does when a paste or
``tmux send-keys`` arrives in one read.
"""

from __future__ import annotations

import asyncio
import re
import time
import unicodedata
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot


def key_event(key: str) -> events.Key:
    """The event the terminal driver would make for ``key`` (as ``Pilot.press`` makes it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        character: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


NAMED = frozenset(
    {"enter", "escape", "tab", "space", "up", "down", "left", "right", "backspace", "delete", "pageup", "pagedown"}
    | {"home", "end"}
)
"""Key names that ``keys`` keeps whole (with ctrl+/shift+/alt+ anything and F1-F12)."""


def keys(*parts: str) -> list[str]:
    """Key names from parts: a named key ("enter", "ctrl+u") stays whole, other text is typed."""
    out: list[str] = []
    for part in parts:
        if part in NAMED or re.fullmatch(r"(ctrl|shift|alt)\+.+|f\d{1,2}", part):
            out.append(part)
        else:
            out.extend(part)
    return out


def burst(app: App, *parts: str) -> None:
    """Send every key at once, without waiting for any to be handled."""
    for key in keys(*parts):
        app.post_message(key_event(key))


async def settle(pilot: Pilot) -> None:
    """Until every key sent has been applied and the screen has caught up. With a key gate: the gate
    idle, then what the screen still has to do (``key_by_key.caught_up``), then one look that the
    process is idle (work in a thread). Each ``pilot.pause()`` sleeps at least 20 ms, until the CPU
    looks idle; three of them after each answer were 17 of the 40 s of the patients' tests."""
    from tests.key_by_key import caught_up  # it imports this module

    gate = getattr(pilot.app, "key_gate", None)
    if gate is None:
        for _ in range(3):
            await pilot.pause()
        return
    await asyncio.wait_for(gate.wait_idle(), timeout=20)
    await caught_up(pilot.app)
    await pilot.pause()
    await read(pilot)


async def read(pilot: Pilot) -> None:
    """As a person does before answering a question whose Yes stops or loses something: until it has
    been on screen long enough to be read (``ConfirmScreen.quiet_until``); keys sooner are set aside."""
    screen = pilot.app.screen
    if not getattr(screen, "careful", False):
        return
    for _ in range(2000):  # mounted: its wait has begun
        if screen.quiet_until:  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.005)
    wait = screen.quiet_until - time.monotonic()  # type: ignore[attr-defined]
    if wait > 0:
        await asyncio.sleep(wait + 0.01)


def screen_text(app: App) -> str:
    """The terminal's lines as the practitioner sees them now."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def until(
    pilot: Pilot, condition: Callable[[], bool], timeout: float = 20, why: Callable[[], object] | None = None
) -> None:
    """Until ``condition`` holds (a worker's result on screen, a notice): waiting on what the test
    expects rather than on a fixed time, or on ``workers.wait_for_complete``, which raises when a worker
    fails on purpose and returns at once when the worker has not started yet. ``why`` says what the
    app showed when it never held (its notices, say)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"still not so after {timeout} s" + (f": {why()}" if why is not None else ""))
        await pilot.pause(0.02)


async def record_consent(pilot: Pilot, pin: str, witness: str = "Front desk", photos: str = "n") -> None:
    """On a plan screen: C, then the witness, the photo consent and the PIN of who is signed in, as a
    clinic records the signed consent before giving."""
    await pilot.press("c")
    await consent_dialog(pilot, pin, witness, photos)


async def consent_dialog(pilot: Pilot, pin: str, witness: str = "Front desk", photos: str = "n") -> None:
    """The consent dialog, open: its three boxes filled in turn."""
    await settle(pilot)
    burst(pilot.app, witness, "enter", photos, "enter", pin, "enter")
    await settle(pilot)


async def press_give(pilot: Pilot) -> None:
    """G on a plan screen. When the patient's consent is not recorded yet, G says so and offers it: it
    is recorded then, as a clinic does (witness "Front desk", no photos, the PIN of who is signed in),
    and giving goes on to its dialog."""
    from assistant.tui.screens.confirm import ConfirmScreen
    from tests.helpers import PINS

    await pilot.press("g")
    await settle(pilot)
    screen = pilot.app.screen
    if isinstance(screen, ConfirmScreen) and screen.message.startswith("Consent form"):
        account = pilot.app.record_desk.signed_in.account  # type: ignore[attr-defined]
        await pilot.press("y")
        await consent_dialog(pilot, PINS[account.name])
