"""A Footer that redraws only when the keys it shows change.

Textual's Footer recomposes on every focus change; in a consult the focus moves at nearly every
answer while the keys shown stay the same, and that recompose was a large share of an answer's cost.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    _shown: tuple[tuple[str, str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (active.binding.key, active.binding.action, active.binding.description, active.enabled)
            for active in screen.active_bindings.values()
            if active.binding.show
        )
        if shown == self._shown and self._bindings_ready:
            return
        self._shown = shown
        super().bindings_changed(screen)
