"""``IdleMinutes``: the clinic's idle-lock minutes as the clinic file says them now, so a figure changed
while the app runs (``setup`` on the command line, an edit of clinic.toml, the settings screen) applies
at the next idle check rather than after a restart (issue 22.9).

Only this one figure is taken from the file while running: the dilution, prices and limits a consult
is planned with stay as they were when it started.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.tui.collaborators.current import Current


class IdleMinutes:
    def __init__(self, current: Current) -> None:
        self.current = current
        self._seen = False
        self._stamp: tuple[Path, int] | None = None
        """The file as first seen (None: there was none); only a change from it is read."""
        self._from_file: float | None = None
        """The figure read from the file since it changed (None: the settings in use count)."""

    def _path(self) -> Path:
        from assistant import locations

        return self.current.files.clinic_file or locations.user_clinic_file()

    def __call__(self) -> float:
        """The minutes now: the settings in use until the file changes after the first look, then
        the file's figure; a file that cannot be read or holds a bad value leaves the last good one."""
        path = self._path()
        try:
            stamp: tuple[Path, int] | None = (path, path.stat().st_mtime_ns)
        except OSError:
            stamp = None
        if not self._seen:
            self._seen, self._stamp = True, stamp
        elif stamp is not None and stamp != self._stamp:
            from assistant.files.clinic_file import load_clinic

            self._stamp = stamp
            loaded = load_clinic(path)
            if loaded.value is not None:
                self._from_file = loaded.value.idle_lock_minutes
        return self._from_file if self._from_file is not None else self.current.files.clinic.idle_lock_minutes
