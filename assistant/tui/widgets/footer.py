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


class SteadyFooter(Footer):
    _shown: tuple[tuple[str, str, str, bool], ...] | None = None

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


def _shown(screen: Screen) -> tuple[tuple[str, str, str, bool], ...]:
    """The keys the footer shows for ``screen``: what tells whether it must be drawn again."""
    return tuple(
        (active.binding.key, active.binding.action, active.binding.description, active.enabled)
        for active in screen.active_bindings.values()
        if active.binding.show
    )
