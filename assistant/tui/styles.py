"""The app's styles, in two files so that the first frame parses only the styles it draws.

``consult.tcss`` styles the consult screen, and the welcome screen drawn like it from the start-up
snapshot; ``app.tcss`` every other screen and dialog. Both are read at start, in that order, unless
the first question comes from the snapshot: then ``app.tcss`` is read once that frame is drawn
(parsing it was about a third of the app's CSS parsing before the first question). Read in the same
order either way, so a rule of ``app.tcss`` wins a tie with one of ``consult.tcss``, as when they
were one file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

FIRST = Path(__file__).with_name("consult.tcss")
REST = Path(__file__).with_name("app.tcss")
BOTH = [FIRST, REST]


def add_the_rest(app: App[Any]) -> None:
    """``app.tcss``, after the first frame, applied to what is on screen now; once."""
    if REST in app.css_path:
        return
    app.css_path.append(REST)  # the files Textual's CSS monitor (textual run --dev) watches
    app.stylesheet.read(REST)
    app.stylesheet.parse()  # only the new file: the others' rules are in the stylesheet's cache
    app.stylesheet.update(app)
