"""Hearing the other windows' changes to a TinyDB data folder (issue 22.3), as Posting watches its
files: ``watchfiles`` (inotify and the like, in Rust) in a thread of its own.

One workstation may run several windows on one folder, or several workstations one shared folder:
a save in any of them writes a file here, atomically (a temporary file renamed into place), and
the other windows hear it. Only the data files count (``*.json``, not the temporary and lock
files). A consult's file names the consult (``consults/<YYYY-MM>/<consult_id>.json``), a draft's
the draft; any other file (the audit trail, the vials, the indexes) is heard as a change to the
record, consult unknown. A save touches several files at once; one batch is heard once per consult.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from assistant.core.lifecycle.live import Change
from assistant.files.private import ensure_private_dir

log = logging.getLogger(__name__)

Heard = Callable[[Change | None], None]


def changes_in(data_dir: Path, paths: Iterable[str]) -> list[Change]:
    """What the files changed in one batch mean: a change per consult or draft, one ``vials`` change
    for the vial ledger, and one ``record`` change when anything else changed (nothing when only
    temporary files did)."""
    found: dict[tuple[str, str | None], Change] = {}
    for path in _with_new_folders(Path(text) for text in paths):
        if path.suffix != ".json" or path.name.startswith("."):
            continue
        try:
            parts = path.relative_to(data_dir).parts
        except ValueError:
            continue
        if parts[0] == "consults" and len(parts) == 3:
            change = Change(kind="consult", consult_id=path.stem)
        elif parts[0] == "drafts" and len(parts) == 2:
            change = Change(kind="draft", draft_id=path.stem)
        elif parts[0] == "vials":
            change = Change(kind="vials")  # the ledger: the lot question and G's form offer its vials
        else:
            change = Change(kind="record")
        found.setdefault((change.kind, change.consult_id or change.draft_id), change)
    return list(found.values())


def _with_new_folders(paths: Iterable[Path]) -> Iterable[Path]:
    """The paths, and the files already in any folder among them: a file written into a folder
    made a moment before (the first consult of a month) can be there before the folder is watched."""
    for path in paths:
        if path.is_dir():
            yield from path.rglob("*.json")
        else:
            yield path


class _Stop:
    """What ``watchfiles.watch`` polls between batches: a stop asked, or the app gone."""

    def __init__(self, event: threading.Event, running: Callable[[], bool]) -> None:
        self.event = event
        self.running = running

    def is_set(self) -> bool:
        return self.event.is_set() or not self.running()


class Watcher:
    def __init__(self, data_dir: Path, heard: Heard, *, running: Callable[[], bool] = lambda: True) -> None:
        """``heard(change)`` for each change, from the watcher's thread; ``running()`` False stops it."""
        self.data_dir = data_dir
        self.heard = heard
        self.watching = threading.Event()
        """Set once the folder is watched (tests wait on it before changing the folder)."""
        self._stop = _Stop(threading.Event(), running)
        self._thread: threading.Thread | None = None

    def start(self) -> Watcher:
        """Watch the folder, made first (0700) when no save has made it yet; a folder that cannot be
        made or is not safe is logged and not watched (the store says why when it is used)."""
        try:
            ensure_private_dir(self.data_dir)
        except Exception:
            log.exception("not watching %s", self.data_dir)
            return self
        self._thread = threading.Thread(target=self._run, name="folder-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.event.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        batches = watchfiles.watch(
            self.data_dir,
            stop_event=self._stop,
            debounce=300,  # a save's several files arrive as one batch
            step=50,
            rust_timeout=500,  # how often a stop is looked for while nothing changes
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        try:
            for batch in batches:
                self.watching.set()
                for change in changes_in(self.data_dir, (path for _kind, path in batch)):
                    self.heard(change)
        except Exception:  # the folder went away, or a callback failed: logged, the consult goes on
            log.exception("stopped watching %s", self.data_dir)
        finally:
            self.watching.clear()
