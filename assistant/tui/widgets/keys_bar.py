"""The footer's line as one widget, for the welcome screen's first frame.

Textual's Footer is a scrolling container with a widget for each key, each with its styles and its
events: about 4% of the instructions to the first question. This draws the same line (each key the
footer shows, as Footer.compose picks them, and the palette's key at the right edge) with the
footer's colours, and a click on a key presses it, as on Footer's. The consult screen, drawn once the
engine has loaded, has the real footer.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widget import Widget


class Key(NamedTuple):
    key: str
    shown: str
    description: str
    enabled: bool


def keys_shown(screen: Screen) -> tuple[list[ActiveBinding], ActiveBinding | None]:
    """The keys a footer draws for ``screen``, as Footer.compose picks them: the first key shown of
    each action (a second key of the same action, such as F3's "?", is never drawn), and the
    palette's key. Here, not in ``footer.py``: the welcome screen draws them without importing Footer."""
    first: dict[str, ActiveBinding] = {}
    for active in screen.active_bindings.values():
        if active.binding.show and active.binding.action not in first:
            first[active.binding.action] = active
    return list(first.values()), screen.active_bindings.get(screen.app.COMMAND_PALETTE_BINDING)


class KeysBar(Widget):
    COMPONENT_CLASSES = {"keys-bar--key", "keys-bar--description", "keys-bar--edge"}
    DEFAULT_CSS = """
    KeysBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-bar--edge {
            color: $foreground 20%;
        }
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def _keys(self) -> tuple[list[Key], Key | None]:
        """The keys the footer shows (``keys_shown``), and the palette's."""
        app = self.app
        keys, palette = keys_shown(self.screen)
        shown = [Key(b.key, app.get_key_display(b), b.description, enabled) for _node, b, enabled, _tip in keys]
        if palette is None or not app.ENABLE_COMMAND_PALETTE:
            return shown, None
        _node, binding, enabled, _tooltip = palette
        return shown, Key(binding.key, app.get_key_display(binding), binding.description, enabled)

    def _parts(self) -> list[tuple[int, int, str | None, Text]]:
        key_style = self.get_component_rich_style("keys-bar--key")
        description_style = self.get_component_rich_style("keys-bar--description")
        keys, palette = self._keys()
        parts: list[tuple[int, int, str | None, Text]] = []
        x = 0
        for key in keys:
            text = Text.assemble((f" {key.shown} ", key_style), (f"{key.description} ", description_style))
            text.stylize_before("" if key.enabled else "dim")  # as Footer's keys, -disabled
            parts.append((x, x + text.cell_len, key.key if key.enabled else None, text))
            x += text.cell_len
        if palette is not None:
            edge = self.get_component_rich_style("keys-bar--edge")
            text = Text.assemble(
                ("▏", edge), (palette.shown, key_style), (f" {palette.description}", description_style), " "
            )
            text.stylize_before("" if palette.enabled else "dim")
            start = max(self.size.width - text.cell_len, 0)  # docked right, over any key it meets
            parts.append((start, start + text.cell_len, palette.key if palette.enabled else None, text))
        return parts

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="crop")
        for start, _end, _key, text in self._parts():
            line = line[:start]
            line.append(" " * (start - line.cell_len))
            line.append_text(text)
        line.stylize_before(self.rich_style)
        return line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A key pressed by a click on it, as on Footer's keys (a disabled one rings the bell)."""
        for start, end, key, _text in reversed(self._parts()):  # the palette's key is on top
            if start <= event.x < end:
                if key is None:
                    self.app.bell()
                else:
                    self.app.simulate_key(key)
                return
