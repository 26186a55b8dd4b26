"""The daily checkpoint: on every day the record changes, one signed checkpoint of the audit trail
written into the clinic's ``checkpoint_dir`` (a USB stick, another machine's share).

Nobody has to remember ``audit checkpoint``: after the day's first act of a person (their key is
unsealed at that moment, their PIN just typed), the checkpoint of the trail as it then is goes into
the folder, signed by that person, and the writing is itself an act in the trail. Whether the day has
one is read from the folder (``checkpoint-YYYY-MM-DD-*.txt``), so a folder shared by several
workstations gets one a day. A folder that cannot be reached (the stick not plugged in, the share
away) costs a one-line warning, never the act: the act was kept before the checkpoint is tried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.checkpoint import Checkpoint
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.signing import PERSONAL_ACTS
from assistant.records.errors import RecordsError
from assistant.records.repository import ConsultRepository
from assistant.services import checkpoints
from assistant.services.desk import now
from assistant.services.keys import Keyring
from assistant.services.signing_repository import SigningRepository


@dataclass
class DailyCheckpoints:
    folder: Path
    warn: Callable[[str], None]
    """How a folder that cannot be reached is said: standard error, or the UI's notice."""
    clock: Callable[[], dt.datetime] = now
    _writing: bool = field(default=False, init=False)
    _warned_on: dt.date | None = field(default=None, init=False)
    """The day the folder was last said to be away: said once, tried again at every act."""

    def today_has_one(self, day: dt.date) -> bool:
        return any(self.folder.glob(f"checkpoint-{day.isoformat()}-*.txt"))

    def after(self, repository: SigningRepository, event: AuditEvent) -> None:
        """Called once ``event`` is kept: the day's checkpoint, if this is the day's first act."""
        if self._writing or event.action not in PERSONAL_ACTS or not event.actor:
            return
        key = repository.keyring.keys.get(normalise_name(event.actor))
        if key is None:
            return
        at = self.clock()
        day = at.astimezone().date()
        try:
            if not self.folder.is_dir():
                raise FileNotFoundError("there is no such folder")
            if self.today_has_one(day):
                return
            checkpoint = checkpoints.of_trail(repository, event.actor, key, at)
            path = self._write(checkpoint, at)
        except (OSError, RecordsError) as why:
            if self._warned_on == day:
                return
            self._warned_on = day
            self.warn(
                f"the daily checkpoint could not be written to {self.folder} ({why}); what was done is "
                "kept. Write one later with botulax-consult audit checkpoint."
            )
            return
        self._writing = True
        try:
            detail = f"daily checkpoint: {checkpoints.described(checkpoint, path)}"
            repository.record_event(AuditEvent(at=at, actor=event.actor, action="checkpoint", detail=detail))
        finally:
            self._writing = False

    def _write(self, checkpoint: Checkpoint, at: dt.datetime) -> Path:
        from assistant.files.output import write_output

        path = self.folder / checkpoints.file_name(at)
        return write_output(path, checkpoint.text().encode("utf-8"), private_data=False)


def keeping_checkpoints(
    repository: ConsultRepository, folder: str | None, warn: Callable[[str], None]
) -> ConsultRepository:
    """``repository``, each person's act followed by the day's checkpoint into ``folder`` (None: as it is)."""
    if not folder:
        return repository
    signing = repository if isinstance(repository, SigningRepository) else SigningRepository(repository, Keyring())
    signing.after_act = DailyCheckpoints(Path(folder).expanduser(), warn).after
    return signing  # type: ignore[return-value]
