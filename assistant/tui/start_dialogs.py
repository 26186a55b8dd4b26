"""What a run asks once, after the first question is on screen: the clinic's settings when none
were found, then the drafts kept. Each opens by itself only while nothing has been typed (keys are
held while it is decided); after that, a remark says where it is. The palette's "Clinic settings"
opens the same dialog again. A part of ``ConsultApp`` (a mixin).
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING

from assistant.tui.palette import Palette
from assistant.tui.record_keeping import mention_drafts

if TYPE_CHECKING:
    from assistant.settings import ClinicSettings
    from assistant.tui.screens.setup_screen import SetupScreen
    from assistant.tui.settings_signing import Outcome


class StartDialogs(Palette):
    ask_clinic: bool

    async def _start_dialogs(self) -> None:
        """Once per run: the clinic's settings when none were found, then the drafts kept. Each
        opens by itself only while nothing has been typed; after that a remark says where it is."""
        quiet = 0  # keys pressed since start; after a dialog, since it closed
        if self.ask_clinic and not self.trainer:
            await self._settled("setup")
            if self.key_gate.keys_seen == quiet and not self.session.answers:
                done: asyncio.Future[object] = asyncio.get_running_loop().create_future()

                screen = self._setup_screen(first_run=True)

                def dismissed(settings: object) -> None:
                    self._use_clinic(settings, screen)
                    done.set_result(settings)

                await self.push_screen(screen, dismissed)
                self.key_gate.release("setup")
                await done
                quiet = self.key_gate.keys_seen
            else:
                self.key_gate.release("setup")
                self.say(
                    "No clinic settings are set yet: documents print “Our clinic” and no phone. "
                    "Ctrl+P, “Clinic settings” sets them."
                )
        if self.trainer:
            return
        entries = await self.list_drafts()
        if not entries:
            return
        await self._settled("drafts")
        try:
            if self.key_gate.keys_seen == quiet and not self.session.answers:
                await self.show_drafts(entries)
            else:
                self.say(mention_drafts(entries))
        finally:
            self.key_gate.release("drafts")

    async def _settled(self, reason: str) -> None:
        """Hold keys for ``reason`` and return once the keys already delivered have run."""
        ready = asyncio.Event()
        self.key_gate.hold_then(reason, ready.set)
        await ready.wait()

    def _setup_screen(self, first_run: bool = False) -> SetupScreen:
        from assistant.core.dilution import clinic_dilution
        from assistant.files.clinic_writer import defaults
        from assistant.tui.screens.setup_screen import SetupScreen

        clinic = self.resources.clinic
        shown = defaults(clinic, float(clinic_dilution(self.resources.kb.product, clinic).saline_ml))
        return SetupScreen(clinic, shown, self._save_clinic, first_run=first_run)

    async def _save_clinic(self, old: ClinicSettings, new: ClinicSettings) -> Outcome:
        """The settings screen's save: a medical director's signed act once the record has accounts."""
        from assistant.tui.settings_signing import SettingsSigning

        return await SettingsSigning(self.desk, self.ask, self.account).save(old, new)

    def _use_clinic(self, settings: object, screen: SetupScreen | None = None) -> None:
        from assistant.settings import ClinicSettings

        if isinstance(settings, ClinicSettings):
            from assistant import locations

            self.ask_clinic = False
            self.resources = dataclasses.replace(self.resources, clinic=settings)
            self.session.resources = self.resources
            saved = screen.saved if screen is not None else None
            if saved is not None and not saved.changed:
                self.say("Nothing was changed in the clinic's settings.")
                return
            by = f", changed by {saved.by.name} (a signed act)" if saved is not None and saved.by is not None else ""
            self.say(
                f"The clinic's settings were saved in {locations.user_clinic_file()}{by}; they are used from now on."
            )

    async def action_clinic_settings(self) -> None:
        screen = self._setup_screen()
        await self.push_screen(screen, lambda settings: self._use_clinic(settings, screen))
