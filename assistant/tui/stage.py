"""What is on screen: the consult screen and the plan screen, built with the collaborators they
talk to; a remark in the transcript; a message to every open screen; the title and the trainer
panel. The app owns one; the collaborators reach it only through the callables they are given.
"""

from __future__ import annotations

import asyncio
import copy
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App
    from textual.message import Message
    from textual.screen import Screen
    from textual.widget import AwaitMount, Widget

    from assistant.core.plan import Plan
    from assistant.core.search import Hit, KnowledgeSearch
    from assistant.records import ConsultRecord
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.finishing import Finishing
    from assistant.tui.collaborators.record_desk import RecordDesk
    from assistant.tui.collaborators.returning import ReturningPatients

TRAINER_TITLE = "TRAINER · nothing is saved"
"""Short: at 80 columns the longer title left the patient's name and the question's number "… · q…"."""


class Stage:
    def __init__(self, app: App[Any], current: Current, until_drawn: Callable[[Widget], None]) -> None:
        """``until_drawn``: the collector's pause until a widget's next frame, for the consult screen."""
        self.app = app
        self.current = current
        self.until_drawn = until_drawn
        self.server_text = ""
        """The server's line as last drawn ("": hidden), drawn again on a screen opened later."""

    def _name_the_patient(self, _: Screen[Any]) -> None:
        """Whenever the screen changes, the header names the patient of the top screen that names
        one: a plan opened from the Waiting list and closed again left its patient, "Kim Ji-woo ·
        plan (signed)", above the next consult's first question (a tryout's finding). A screen of its
        own (the chart, the Waiting list) shows its own sub-title instead."""
        from assistant.tui.widgets.title_bar import header_owner

        if (owner := header_owner(self.app)) is not None:
            self.app.sub_title = owner.header_sub_title()
        if self.server_text:  # N while the server is away: the new consult's screen says so too
            self.app.call_after_refresh(lambda: self.show_server_line(self.server_text))

    def cast(self, *, returning: ReturningPatients, finishing: Finishing, desk: RecordDesk) -> None:
        """The collaborators the screens are given (built after the stage, which some of them use)."""
        self.returning = returning
        self.finishing = finishing
        self.desk = desk

    @cached_property
    def knowledge_search(self) -> KnowledgeSearch:
        """Built on the first question asked, not at start-up."""
        from assistant.core.search import KnowledgeSearch

        return KnowledgeSearch.for_knowledge(self.current.files.kb)

    def search(self, text: str) -> list[Hit]:
        return self.knowledge_search.ask(text)

    # --- screens ---------------------------------------------------------------------------------
    def start_consult(self, carry: str | None = None) -> AwaitMount:
        """A new consult screen for the current session, in place of every screen but the bottom
        one (the welcome screen, or Textual's blank default); await it to have it mounted."""
        from assistant.tui.screens.consult_screen import ConsultScreen

        app = self.app
        while len(app.screen_stack) > 1:
            app.pop_screen()
        screen = ConsultScreen(
            self.current.consult,
            carry=carry,
            returning=self.returning,
            finishing=self.finishing,
            search=self.search,
            until_drawn=self.until_drawn,
        )
        return app.push_screen(screen)

    async def show_plan(self, session: ConsultSession, plan: Plan, record: ConsultRecord | None, waiting: bool) -> None:
        from assistant.locations import user_data_dir
        from assistant.tui.collaborators.cannot_plan import withdraw_cannot_plan
        from assistant.tui.screens.plan_screen import PlanScreen  # not needed until the end: faster start

        documents = (self.current.data_dir or user_data_dir()) / "documents"
        withdraw_cannot_plan(self.app)
        await self.app.push_screen(
            PlanScreen(session, plan, record, waiting=waiting, desk=self.desk, documents=documents)
        )

    async def typed_on_welcome(self) -> str | None:
        """The text typed on the welcome screen while the engine loaded (None: not on it), read once
        the input has applied every key already delivered to it: under load the hand-over could
        come while one still waited in its queue, and that letter was lost from the patient's name."""
        from assistant.tui.screens.welcome_screen import WelcomeScreen

        welcome = self.app.screen_stack[0]
        if not isinstance(welcome, WelcomeScreen):
            return None
        for _ in range(400):  # at most 2 s; a key is applied in well under a millisecond when idle
            if not welcome.still_typing:
                break
            await asyncio.sleep(0.005)
        return welcome.typed

    # --- what is said on them --------------------------------------------------------------------
    def say(self, text: str) -> None:
        """A remark in the transcript of the consult on screen (below any dialog)."""
        for screen in self.app.screen_stack:
            if type(screen).__name__ == "ConsultScreen":
                screen.say(text)  # type: ignore[attr-defined]

    def show_name(self) -> None:
        """The consult screen's header again, when the patient's name changed outside an answer (named
        as her record writes it once a person said who she is)."""
        for screen in self.app.screen_stack:
            if type(screen).__name__ == "ConsultScreen":
                self.app.sub_title = screen.header_sub_title()  # type: ignore[attr-defined]

    def offer_vials(self, session: ConsultSession) -> None:
        """The open vials were read: the consult screen of ``session``, at the lot question, offers them."""
        for screen in self.app.screen_stack:
            if type(screen).__name__ == "ConsultScreen" and screen.session is session:  # type: ignore[attr-defined]
                screen.panel.offer_vials(session)  # type: ignore[attr-defined]

    def tell_screens(self, message: Message) -> None:
        """``message`` to every open screen that handles it, each its own copy (one instance is handled
        once). Not to the others: a screen under the top one that takes a message repaints all of itself
        (Textual), and a draft kept after each answer was heard as a change, a second whole-screen
        repaint per answer for screens that had nothing to do with it."""
        for screen in self.app.screen_stack:
            if _handles(screen, message):
                screen.post_message(copy.copy(message))

    def show_server_line(self, text: str) -> None:
        """The server's line under the header of every open screen that has one ("" hides it)."""
        from assistant.tui.widgets.server_line import ServerLine

        self.server_text = text
        for screen in self.app.screen_stack:
            for line in screen.query(ServerLine):
                line.show(text)

    def show_to_sign(self, count: int) -> None:
        """The consults waiting for a signature, in the title."""
        self.app.title = f"{self.app.TITLE} · to sign: {count}" if count else self.app.TITLE

    def show_mode(self) -> None:
        """The title and the colours say whether this is a dry run (trainer mode); from then on, the
        sub-title follows the screen on top (``_name_the_patient``; subscribing twice is once)."""
        app, trainer = self.app, self.current.trainer
        app.screen_change_signal.subscribe(app, self._name_the_patient, immediate=True)
        app.set_class(trainer, "-trainer")
        app.title = TRAINER_TITLE if trainer else app.TITLE
        app.refresh_bindings()

    def trainer_note(self, text: str) -> None:
        """The trainer panel above the conversation (the files reloaded, or their problems)."""
        for screen in self.app.screen_stack:
            for panel in screen.query("#trainer-panel"):
                panel.update(text)  # type: ignore[attr-defined]


def _handles(screen: Screen[Any], message: Message) -> bool:
    """Whether ``screen`` has a handler for ``message``: an ``on_...`` method or an ``@on`` one."""
    if hasattr(screen, message.handler_name):
        return True
    return any(type(message) in getattr(kind, "_decorated_handlers", {}) for kind in type(screen).__mro__)
