"""Signed checkpoints of the audit trail: its entry count and head hash at a moment, signed by a person.

Somebody who can write the data folder (or the server's tables as their owner) can cut entries off
the end of the trail, or rewrite it from some entry on and recompute every hash after it; the chain
alone cannot show that. A checkpoint kept *elsewhere* (a USB stick, another machine's share) can: the
trail must still hold, at the checkpoint's entry number, the very hash the checkpoint states. This is
the transparency logs' signed checkpoint (C2SP "signed note" and "tlog-checkpoint"): a short text

    botulax-consult/audit-trail/3f9c0a1b2c3d4e5f     <- origin: the trail, by its first entry's hash
    42                                               <- entries
    9b1d...64 hex digits                             <- the head: entry 42's hash
    2026-12-05T05:16:21Z                             <- when it was written (UTC)
                                                     <- a blank line
    — Dr Mina Seo AbCd...==                          <- signature line: signer, base64 Ed25519 signature

The signature covers the body (the four lines, each ending with a line break). Made and read here,
without I/O or a clock: the caller passes the time and the key.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field

ORIGIN_PREFIX = "botulax-consult/audit-trail/"
DASH = "\u2014"
"""The em dash that starts a signed note's signature line."""

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ORIGIN = re.compile(rf"^{re.escape(ORIGIN_PREFIX)}[0-9a-f]{{16}}$")
_SIGNATURE = re.compile(rf"^{DASH} (?P<name>\S(?:.*\S)?) (?P<sig>[A-Za-z0-9+/]+={{0,2}})$")


class NotACheckpoint(ValueError):
    """Text that is not a checkpoint of this program: the message says what is wrong with it."""


def origin_of(first_entry_hash: str) -> str:
    """The trail's name: its first entry's hash (a rewritten first entry is another trail)."""
    return ORIGIN_PREFIX + first_entry_hash[:16]


class Checkpoint(BaseModel):
    """What a checkpoint states, and who signed it."""

    model_config = ConfigDict(frozen=True)

    origin: str
    entries: int = Field(ge=1)
    head: str
    at: dt.datetime
    signer: str
    signature: str
    """Base64 of the Ed25519 signature over ``body()``."""

    def body(self) -> str:
        return f"{self.origin}\n{self.entries}\n{self.head}\n{self.at.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}\n"

    def text(self) -> str:
        return f"{self.body()}\n{DASH} {self.signer} {self.signature}\n"

    def signed_by(self, public_key: str) -> bool:
        """Whether ``public_key`` (base64 of the raw 32 bytes) made this checkpoint's signature."""
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
            key.verify(base64.b64decode(self.signature, validate=True), self.body().encode("utf-8"))
        except (InvalidSignature, ValueError, binascii.Error):
            return False
        return True


def make(origin: str, entries: int, head: str, at: dt.datetime, signer: str, key: Ed25519PrivateKey) -> Checkpoint:
    """The checkpoint of a trail of ``entries`` entries whose last hash is ``head``, signed by ``signer``'s key."""
    unsigned = Checkpoint(origin=origin, entries=entries, head=head, at=at, signer=signer, signature="")
    signature = key.sign(unsigned.body().encode("utf-8"))
    return unsigned.model_copy(update={"signature": base64.b64encode(signature).decode("ascii")})


def parse(text: str) -> Checkpoint:
    """The checkpoint ``text`` states; ``NotACheckpoint`` naming what is wrong with it."""
    body, blank, signatures = text.partition("\n\n")
    lines = body.split("\n")
    if not blank or len(lines) != 4:
        raise NotACheckpoint("it is not a checkpoint (four lines, a blank line, then a signature line)")
    origin, count, head, when = lines
    if not _ORIGIN.match(origin):
        raise NotACheckpoint(f"its first line does not name a botulax-consult audit trail ({ORIGIN_PREFIX}...)")
    if not count.isascii() or not count.isdigit() or int(count) < 1:
        raise NotACheckpoint("its second line is not a number of entries")
    if not _HEX64.match(head):
        raise NotACheckpoint("its third line is not a SHA-256 head hash (64 hex digits)")
    try:
        at = dt.datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise NotACheckpoint("its fourth line is not a time (YYYY-MM-DDTHH:MM:SSZ)") from None
    signature_lines = [line for line in signatures.split("\n") if line]
    if len(signature_lines) != 1 or not (match := _SIGNATURE.match(signature_lines[0])):
        raise NotACheckpoint(f"it has no signature line ({DASH} NAME SIGNATURE) after its blank line")
    checkpoint = Checkpoint(
        origin=origin, entries=int(count), head=head, at=at, signer=match["name"], signature=match["sig"]
    )
    if checkpoint.body() != body + "\n":
        raise NotACheckpoint("its lines are not written as a checkpoint writes them")
    return checkpoint
