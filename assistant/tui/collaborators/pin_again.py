"""A PIN asked for one act (record the doses given, sign, amend) until it is right.

A wrong PIN, or the account locked by wrong PINs (``WrongPin``), asks it again at once: the PIN box
once more, the refusal under it and an amendment's reason as typed, so the keys typed next go to it
and what was typed in the form the PIN protects is never thrown away. Esc on the PIN is the person's
own step back: ``BACK``, and the caller shows its form again with its edits (or, for an act without
a form, such as signing, nothing is done). A tryout lost a changed dose this way: the wrong PIN closed
the form, the PIN typed again went to the plan screen, and G showed the plan again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs


class Back:
    """Esc on the PIN (or the idle lock came over it): back to the form it protects, its edits kept."""


BACK = Back()


class RecordDesk(Protocol):
    """What asking a PIN needs of the record desk (``record_desk.RecordDesk`` is one)."""

    dialogs: Dialogs
    signed_in: SignedIn

    async def run_use_case(self, job: Any, *args: Any, pin_again: bool = False) -> Any: ...


async def with_pin(
    desk: RecordDesk,
    ask: Callable[[str], str],
    act: Callable[[str, Any], Any],
    *,
    ask_reason: bool = False,
    summary: str | None = None,
) -> Any:
    """``ask(name)``: the words above the PIN box for the account at the keyboard; ``act(name, entry)``:
    the use case to run with the ``PinEntry`` typed (a job for ``run_use_case``). Its outcome (None:
    refused for another reason, which was said), or ``BACK``."""
    from assistant.core.lifecycle.staff import WrongPin

    again: dict[str, str | None] = {}
    while (account := desk.signed_in.account) is not None:
        entry = await desk.dialogs.pin(ask(account.name), ask_reason=ask_reason, summary=summary, **again)
        account = desk.signed_in.account  # who is at the keyboard now (the lock may have come meanwhile)
        if entry is None or account is None:
            return BACK
        outcome = await desk.run_use_case(act(account.name, entry), pin_again=True)
        if not isinstance(outcome, WrongPin):
            return outcome
        again = {"refusal": str(outcome), "reason": entry.reason}
    return None
