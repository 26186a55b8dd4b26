"""The consult in hand and what this run was started with: one owner, read by every collaborator.

Kept apart from the app so that the collaborators share state through one small object, passed to
each of them, rather than through each other's attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.files.clinic_file import Loaded
    from assistant.files.resources import Resources
    from assistant.services.consult_session import ConsultSession


@dataclass(slots=True)
class Current:
    today: date
    trainer: bool = False
    """A dry run: nothing is saved, and Ctrl+R reads the files again."""
    data_dir: Path | None = None
    database: str | None = None
    ask_clinic: bool = False
    """No clinic settings were found: they are asked for once at start."""
    loader: Callable[[], Loaded[Resources]] | None = None
    resources: Resources | None = None
    session: ConsultSession | None = None
    """None while the first question is drawn from the start-up snapshot and the engine loads."""
    finished: bool = False
    """The consult on screen was planned (and kept, unless in trainer mode)."""
    staff_name: str | None = None
    staff_asked: bool = False
    kept_state: dict[str, str] = field(default_factory=dict)
    """The state of each consult this app saved (consult id -> planned, given, signed)."""
    waiting: list[ConsultSession] = field(default_factory=list)
    """Consults planned while the record server was away, kept on this computer until they are saved:
    tried again until then, whichever consult is on screen, and asked about before quitting."""

    def use(self, resources: Resources) -> None:
        """A new consult with ``resources`` (at start, for a new consult, after a reload)."""
        from assistant.services.consult_session import ConsultSession

        self.resources = resources
        self.session = ConsultSession(resources, self.today)

    @property
    def changes_unplanned(self) -> bool:
        """The consult on screen was kept, then answers changed (E on the plan) and not planned
        again: whatever takes its place loses them (asked first when leaving, ``Leaving``; said
        when a consult opened elsewhere takes its place)."""
        return self.finished and self.session is not None and self.session.changed_since_kept

    @property
    def engine_ready(self) -> bool:
        """False while the first question is drawn from the snapshot and the engine loads."""
        return self.session is not None

    @property
    def consult(self) -> ConsultSession:
        """The consult on screen (only once the engine has loaded)."""
        assert self.session is not None, "the engine has not loaded yet"
        return self.session

    @property
    def files(self) -> Resources:
        """The script, knowledge and clinic settings in use (only once the engine has loaded)."""
        assert self.resources is not None, "the engine has not loaded yet"
        return self.resources
