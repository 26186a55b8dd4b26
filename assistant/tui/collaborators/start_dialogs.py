"""What a run asks once, after the first question is on screen: the clinic's settings when none
were found, then the drafts kept. Each opens by itself only while nothing has been typed (keys are
held while it is decided); after that, a remark says where it is. The palette's "Clinic settings"
opens the same dialog again. A part of ``ConsultApp`` (a mixin).
"""

from __future__ import annotations

import asyncio
import dataclasses

from textual.screen import Screen

from assistant.tui.palette import Palette
from assistant.tui.record_keeping import mention_drafts


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

                def dismissed(settings: object) -> None:
                    self._use_clinic(settings)
                    done.set_result(settings)

                await self.push_screen(self._setup_screen(first_run=True), dismissed)
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

    def _setup_screen(self, first_run: bool = False) -> Screen:
        from assistant.core.dilution import clinic_dilution
        from assistant.files.clinic_writer import defaults
        from assistant.tui.screens.setup_screen import SetupScreen

        clinic = self.resources.clinic
        shown = defaults(clinic, float(clinic_dilution(self.resources.kb.product, clinic).saline_ml))
        return SetupScreen(clinic, shown, first_run=first_run)

    def _use_clinic(self, settings: object) -> None:
        from assistant.settings import ClinicSettings

        if isinstance(settings, ClinicSettings):
            from assistant import locations

            self.ask_clinic = False
            self.resources = dataclasses.replace(self.resources, clinic=settings)
            self.session.resources = self.resources
            self.say(f"The clinic's settings were saved in {locations.user_clinic_file()}; they are used from now on.")

    async def action_clinic_settings(self) -> None:
        await self.push_screen(self._setup_screen(), self._use_clinic)
