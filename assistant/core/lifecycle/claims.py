"""One visit, one consult (issue 22.4): a draft is claimed by the workstation continuing it.

Every draft kept carries the claim of the app that keeps it (who: the account signed in, else the
workstation's name; since when; until when it holds without a new answer). Another workstation may
not resume it, or overwrite it, while the claim holds; once it has lapsed (a crashed workstation, a
consult left standing) it may be taken over, and only on purpose (``taken_from`` names the claim
taken over, after a person confirmed it). The stores apply this rule under their own lock, so two
workstations resuming one draft at once: exactly one wins.

Pure: the moment is the claimant's (``wanted.seen``); nothing here reads a clock.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from assistant.core.lifecycle.record_model import RecordModel

DEFAULT_CLAIM_MINUTES = 30.0
"""How long a claim holds without an answer kept (the clinic's ``draft_claim_minutes``)."""


class Claim(RecordModel):
    """Who continues a draft, since when, and until when that holds without a new answer."""

    holder: str = Field(min_length=1)
    """This run of the app (a workstation may run several windows): whose claim it is."""
    by: str = Field(min_length=1)
    """Said to the others: the account signed in, else the workstation's name."""
    since: dt.datetime
    seen: dt.datetime
    """The last answer kept (the claim refreshed)."""
    until: dt.datetime
    """``seen`` and the clinic's minutes: after this the claim has lapsed and may be taken over."""
    taken_from: str | None = None
    """The holder of a lapsed claim this one took over (a person confirmed it)."""
    released: bool = False
    """Left by its holder (the app quit with the consult unfinished): anyone may continue it."""


class DraftClaimed(Exception):
    """The draft is being continued elsewhere (``lapsed``: its claim may be taken over on purpose)."""

    def __init__(self, words: str, claim: Claim, *, lapsed: bool) -> None:
        super().__init__(words)
        self.claim = claim
        self.lapsed = lapsed


def _hhmm(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def claim_words(claim: Claim) -> str:
    """``being continued in <workstation or account> since HH:MM``."""
    return f"being continued in {claim.by} since {_hhmm(claim.since)}"


def lapsed(claim: Claim, moment: dt.datetime) -> bool:
    return moment >= claim.until


def refusal(stored: Claim | None, wanted: Claim | None) -> DraftClaimed | None:
    """Why ``wanted`` may not replace ``stored`` (None: it may). A draft kept without a claim (an
    older program's) passes only where nobody claims it: with no moment of its own, it cannot tell
    whether a claim has lapsed."""
    if stored is None or stored.released:
        return None
    if wanted is None:
        return DraftClaimed(f"This draft is {claim_words(stored)}: it cannot be opened here.", stored, lapsed=False)
    if stored.holder == wanted.holder:
        return None
    moment = wanted.seen
    if lapsed(stored, moment):
        if wanted.taken_from == stored.holder:
            return None
        minutes = int((moment - stored.seen).total_seconds() // 60)
        words = (
            f"This draft was {claim_words(stored)}; nothing was answered there for {minutes} minutes, "
            "so it may be taken over."
        )
        return DraftClaimed(words, stored, lapsed=True)
    return DraftClaimed(f"This draft is {claim_words(stored)}: it cannot be opened here.", stored, lapsed=False)


def renewed(claim: Claim | None, holder: str, by: str, moment: dt.datetime, minutes: float) -> Claim:
    """This app's claim at ``moment``: kept since it began (``claim``, when it is ours), held for
    ``minutes`` more."""
    since = claim.since if claim is not None and claim.holder == holder else moment
    until = moment + dt.timedelta(minutes=minutes)
    return Claim(holder=holder, by=by, since=since, seen=moment, until=until)
