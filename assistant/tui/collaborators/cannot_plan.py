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
    from assistant.tui.collaborators.host import Host
    from assistant.tui.key_gate import KeyGate


def cannot_plan(host: Host, key_gate: KeyGate, words: str, **notice: Any) -> None:
    """Notify ``words`` as "Cannot plan yet" (``notice``: severity, timeout), the keys dropped said."""
    if dropped := key_gate.set_aside():
        words += f"\n({counted(len(dropped), 'key')} typed after P not used: type again once this is changed.)"
    host.notify(words, title="Cannot plan yet", **notice)
