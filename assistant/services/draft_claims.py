"""This app's claim on the drafts it keeps (issue 22.4): one holder per run of the app, named to
the others by the account signed in, else by the workstation's name.

Every draft saved carries the claim, refreshed (``core.lifecycle.claims.renewed``); resuming a
draft claims it the same way, by saving it with this claim, which the store refuses while another
workstation's claim holds. The clock is read here, never in the core.
"""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.core.lifecycle.claims import DEFAULT_CLAIM_MINUTES, Claim, renewed
from assistant.core.lifecycle.listing import Draft


def workstation_name() -> str:
    return socket.gethostname() or "another workstation"


@dataclass
class DraftClaims:
    """``who()``: the words the others read (the account signed in, else the workstation)."""

    who: Callable[[], str | None] = lambda: None
    minutes: Callable[[], float] = lambda: DEFAULT_CLAIM_MINUTES
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)
    workstation: str = field(default_factory=workstation_name)

    since: dict[str, dt.datetime] = field(default_factory=dict)
    """When this app began continuing each draft it holds."""

    def claim(self, draft_id: str, moment: dt.datetime, *, taken_from: str | None = None) -> Claim:
        """This app's claim on ``draft_id`` at ``moment``; ``taken_from``: the holder of the lapsed
        claim a person confirmed taking over."""
        began = self.since.setdefault(draft_id, moment)
        kept = Claim(holder=self.holder, by="-", since=began, seen=began, until=began)
        mine = renewed(kept, self.holder, self.who() or self.workstation, moment, self.minutes())
        return mine.model_copy(update={"taken_from": taken_from}) if taken_from else mine

    def resumed(self, draft: Draft, moment: dt.datetime, *, take_over: bool = False) -> Draft:
        """``draft`` as this app claims it to resume it (saved, the store says whether it may)."""
        taken = draft.claim.holder if take_over and draft.claim is not None else None
        return draft.model_copy(update={"claim": self.claim(draft.draft_id, moment, taken_from=taken)})

    def is_mine(self, draft: Draft) -> bool:
        return draft.claim is not None and draft.claim.holder == self.holder
