"""A Footer that shows its keys in the screen's first frame, and redraws only when they change.

Textual's Footer is empty in the first frame and composes its keys a refresh later: at start-up
that second pass (the keys' styles parsed, five widgets mounted and laid out) came before the first
question was fully drawn, and every screen pushed paid it again. This one composes the keys with
the screen. Textual's Footer also recomposes on every focus change; in a consult the focus moves at
nearly every answer while the keys shown stay the same, and that recompose was a large share of an
answer's cost.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from assistant.tui.widgets.keys_bar import keys_shown


class SteadyFooter(Footer):
    _shown: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:  # the first compose: the keys the screen has now
            self.set_reactive(Footer._bindings_ready, True)
            self._shown = _shown(self.screen)
        return super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        shown = _shown(screen)
        if shown == self._shown and self._bindings_ready:
            return
        self._shown = shown
        super().bindings_changed(screen)


def _shown(screen: Screen) -> tuple[object, ...]:
    """What the footer draws for ``screen`` (``keys_shown``): what tells whether it must be drawn
    again. The coming and going of a key never drawn, while the focus moves, recomposed the footer at
    every other answer for nothing."""
    keys, palette = keys_shown(screen)
    drawn = [(b.key, b.key_display, b.description, b.group, enabled, tooltip) for _node, b, enabled, tooltip in keys]
    return (*drawn, palette[1:] if palette else None)
