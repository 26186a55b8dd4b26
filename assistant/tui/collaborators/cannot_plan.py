"""P refused before anything was asked: said, and the keys typed after P dropped.

Keys typed in one go after P were typed blind, for what P opens: the account picker and its PIN.
When P is refused at once (answers that cannot be planned, another patient's clinic number), no
picker comes, and the key gate used to hand those keys to the consult screen: a tryout's PIN went
into the ask box, was searched for and shown in the conversation ("? 222222"). A PIN is never
shown; so the keys still waiting are dropped, and the notice says how many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.core.text import counted

if TYPE_CHECKING:
    from textual.app import App

    from assistant.tui.collaborators.host import Host
    from assistant.tui.key_gate import KeyGate


CANNOT_PLAN = "Cannot plan yet"


def cannot_plan(host: Host, key_gate: KeyGate, words: str, **notice: Any) -> None:
    """Notify ``words`` as "Cannot plan yet" (``notice``: severity, timeout), the keys dropped said."""
    if dropped := key_gate.set_aside():
        words += f"\n({counted(len(dropped), 'key')} typed after P not used: type again once this is changed.)"
    host.notify(words, title=CANNOT_PLAN, **notice)


def withdraw_cannot_plan(app: App[Any]) -> None:
    """Once a plan is made, the "Cannot plan yet" notices still up are taken down: a tryout's "The
    clinic number C1001 belongs to ..." stood over the plan made after the number was changed, for
    its 40 seconds, saying the opposite of the screen under it. (Textual takes a single notice down
    only through its own collection, ``_notifications`` and ``_unnotify``.)"""
    for notice in [n for n in app._notifications if n.title == CANNOT_PLAN]:
        app._unnotify(notice)
