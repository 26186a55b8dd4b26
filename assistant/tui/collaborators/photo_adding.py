"""Adding a photo from the UI (the plan screen's and the chart's F): which file and which kind
(``Dialogs.photo``: a path typed, or picked from the clinic's camera folder), the PIN of whoever is
signed in, then ``services.photos.add`` off the UI thread. A refusal (not a photo, over a limit, no
photo consent, a wrong PIN) is a notice saying why; nothing is added then.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.tui.messages import RecordChanged

if TYPE_CHECKING:
    from assistant.records import ConsultRecord
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs


class PhotoAdding:
    def __init__(self, current: Current, host: Host, dialogs: Dialogs, records: RecordLink, signed_in: SignedIn):
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.records = records
        self.signed_in = signed_in

    def _refused(self, words: str) -> None:
        self.host.notify(words, title="No photo was added", severity="error", timeout=15)

    async def add(self, consult_id: str) -> ConsultRecord | None:
        from assistant.core.lifecycle.staff import NotPermitted
        from assistant.files.photos import photos_in
        from assistant.records import RecordsError
        from assistant.services import photos

        if self.current.trainer:
            self.host.notify("Trainer mode is a dry run: no photo is kept in it.")
            return None
        account = self.signed_in.account
        if account is None:
            self.host.notify("Sign in first (F2): a photo is added by whoever is signed in, with their PIN.")
            return None
        record = await self.dialogs.in_thread(self.records.repository.get, consult_id)
        if record is None:
            return None
        settings = self.current.files.clinic.photos
        folder = Path(settings.folder).expanduser() if settings.folder else None
        files = await self.dialogs.in_thread(photos_in, folder) if folder is not None else []
        choice = await self.dialogs.photo(record.patient_name, folder, files)
        if choice is None:
            return None
        entry = await self.dialogs.pin(
            f"PIN of {account.name}, to add {choice.path.name} as a {choice.kind} photo of {record.patient_name}:"
        )
        account = self.signed_in.account
        if entry is None or account is None:
            return None
        desk = self.records.desk
        try:
            added = await self.dialogs.in_thread(
                photos.add, desk, consult_id, [choice.path], choice.kind, account.name, entry.pin, settings
            )
        except (photos.PhotosNotRead, photos.OverPhotoLimit) as error:
            self._refused(" ".join(error.problems))
            return None
        except NotPermitted as error:
            self._refused(str(error))
            return None
        except RecordsError as error:
            self._refused(self.records.in_words(error))
            return None
        self.current.kept_state[added.consult_id] = added.state
        self.host.tell_screens(RecordChanged(added))
        ref = added.photos[-1]
        self.host.notify(
            f"{ref.name}: a {ref.kind} photo of {added.patient_name} (sha256 {ref.sha256[:12]}).", title="Photo added"
        )
        return added
