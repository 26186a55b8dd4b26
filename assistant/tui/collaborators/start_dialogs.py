"""What a run asks once, after the first question is on screen: the clinic's settings when none
were found, then the drafts kept. Each opens by itself only while nothing has been typed (keys are
held while it is decided); after that, a remark says where it is. The settings dialog then only
offers until Enter, and a key typed there goes on to the consult (``setup_screen.py``): the person
may have started typing the patient's name without looking up; so does the drafts list opened
here (``screens/typed_ahead.py``). The palette's "Clinic settings" opens the same dialog again
(``open_settings``), its fields open at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING

from assistant.tui.collaborators.drafts import mention_drafts

if TYPE_CHECKING:
    from assistant.settings import ClinicSettings
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.drafts import Drafts
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.settings_signing import Outcome, Saved
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs
    from assistant.tui.key_gate import KeyGate


NOT_SET = (
    "No clinic settings are set yet: documents print “Our clinic” and no phone. Ctrl+P, “Clinic settings” sets them."
)


class StartDialogs:
    def __init__(
        self,
        current: Current,
        host: Host,
        dialogs: Dialogs,
        key_gate: KeyGate,
        drafts: Drafts,
        records: RecordLink,
        signed_in: SignedIn,
    ) -> None:
        """``records`` and ``signed_in``: the settings are a medical director's signed act once the
        record has staff accounts (``settings_signing.py``)."""
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.key_gate = key_gate
        self.drafts = drafts
        self.records = records
        self.signed_in = signed_in

    async def run(self) -> None:
        """Once per run: the clinic's settings when none were found, then the drafts kept. Each
        opens by itself only while nothing has been typed; after that a remark says where it is."""
        current, gate = self.current, self.key_gate
        quiet = 0  # keys pressed since start; after a dialog, since it closed
        if current.ask_clinic and not current.trainer:
            await self._settled("setup")
            if gate.keys_seen == quiet and not current.consult.answers:
                done: asyncio.Future[object] = asyncio.get_running_loop().create_future()

                def dismissed(settings: ClinicSettings | None, saved: Saved | None, typed_away: bool) -> None:
                    self.use_clinic(settings, saved)
                    if settings is None:
                        self.host.say(NOT_SET)
                    done.set_result(typed_away)

                await self.dialogs.show_setup(current.files, self._save_clinic, dismissed, first_run=True)
                gate.release("setup")
                typed_away = await done
                quiet = -1 if typed_away else gate.keys_seen  # typing the consult: the drafts are only said
            else:
                gate.release("setup")
                self.host.say(NOT_SET)
        if current.trainer:
            return
        entries = await self.drafts.listing()
        if not entries:
            return
        await self._settled("drafts")
        try:
            if gate.keys_seen == quiet and not current.consult.answers:
                await self.drafts.show(entries, by_itself=True)
            else:
                self.host.say(mention_drafts(entries))
        finally:
            gate.release("drafts")

    async def _settled(self, reason: str) -> None:
        """Hold keys for ``reason`` and return once the keys already delivered have run."""
        ready = asyncio.Event()
        self.key_gate.hold_then(reason, ready.set)
        await ready.wait()

    async def _save_clinic(self, old: ClinicSettings, new: ClinicSettings) -> Outcome:
        """The settings screen's save: a medical director's signed act once the record has accounts."""
        from assistant.tui.collaborators.settings_signing import SettingsSigning

        return await SettingsSigning(self.records.desk, self.dialogs, self.signed_in.account).save(old, new)

    def use_clinic(self, settings: ClinicSettings | None, saved: Saved | None = None) -> None:
        """The settings screen closed: saved settings are used from now on (and said where they are)."""
        from assistant.settings import ClinicSettings

        if isinstance(settings, ClinicSettings):
            from assistant import locations

            current = self.current
            current.ask_clinic = False
            current.resources = dataclasses.replace(current.files, clinic=settings)
            current.consult.resources = current.resources
            if saved is not None and not saved.changed:
                self.host.say("Nothing was changed in the clinic's settings.")
                return
            by = f", changed by {saved.by.name} (a signed act)" if saved is not None and saved.by is not None else ""
            self.host.say(
                f"The clinic's settings were saved in {locations.user_clinic_file()}{by}; they are used from now on."
            )

    async def open_settings(self) -> None:
        await self.dialogs.show_setup(
            self.current.files, self._save_clinic, lambda settings, saved, _typed_away: self.use_clinic(settings, saved)
        )
