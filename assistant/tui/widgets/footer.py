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
    """What the footer draws for ``screen``, as Footer.compose draws it: the first key shown of each
    action (a second key of the same action, such as F3's "?", is never drawn, and its coming and
    going while the focus moves recomposed the footer at every other answer for nothing), and the
    palette's key."""
    first: dict[str, tuple[object, ...]] = {}
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in first:
            first[binding.action] = (
                binding.key,
                binding.key_display,
                binding.description,
                binding.group,
                enabled,
                tooltip,
            )
    palette = screen.active_bindings.get(screen.app.COMMAND_PALETTE_BINDING)
    return (*first.values(), palette[1:] if palette else None)
