"""The one line under the header while the record server is away (issue 22.7).

"Server away since 10:42: saving on this computer; retrying": said once, in place, never a toast
over the question or the plan, and never the server's own words (those go to the log file,
``files/log_file.py``). Hidden, taking no room, while the server answers. The stage draws it on
every open screen (``Stage.show_server_line``); a screen opened later copies the line below it.
"""

from __future__ import annotations

from textual.widgets import Static


class ServerLine(Static):
    DEFAULT_CSS = """
    ServerLine {
        display: none;
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $warning-muted;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &.-away { display: block; }
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, classes="server-line")

    def on_mount(self) -> None:
        """A screen opened while the server is away says so at once, as the screens below it do."""
        for screen in self.app.screen_stack:
            for line in screen.query(ServerLine):
                if line is not self and line.has_class("-away"):
                    self.show(str(line.render()))
                    return

    def show(self, text: str) -> None:
        """``text`` on the line; an empty text hides it (the server answers again)."""
        self.set_class(bool(text), "-away")
        self.update(text)
