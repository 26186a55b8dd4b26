"""The dose summary's heading badge: where the record stands, as a signer reads it at a glance."""

from __future__ import annotations


def state_badge(status: str, state: str | None, amended: bool) -> str:
    """The summary's heading badge: the record's state (a signed record never says PLANNED), after a
    contraindicated or refused consult's status, and AMENDED when an amendment made a later version."""
    words = [status.upper()] if status != "planned" else []
    if state in ("given", "signed"):
        words.append(state.upper())
    elif not words:
        words.append("PLANNED")
    if amended:
        words.append("AMENDED")
    return ", ".join(words)
