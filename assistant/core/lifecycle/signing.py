"""Signed acts: every act by a person carries that person's Ed25519 signature over the act and the
hash of the audit entry before it.

21 CFR 11.70 asks that a signature be linked to its record so that it cannot be excised, copied or
transferred to falsify another. The signature here covers the whole act as the trail keeps it (who,
what, which record version and its content hash, the detail) and the previous entry's hash, so it
cannot be moved to another act or another place in the trail; and it is made with a private key that
only the person's PIN unseals, so somebody who can write the data folder or connect to the server
cannot make one. ``audit verify`` checks each against the public key the staff register held for
that person at that moment (the register rebuilt from the trail itself).

This module says what is signed and checks a signature; making keys and sealing them with a PIN is
``assistant.services.keys``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from assistant.core.lifecycle.audit import AuditEvent, canonical

PERSONAL_ACTS = frozenset(
    {
        "consult saved",
        "new version",
        "given",
        "signed",
        "cosigned",
        "amended",
        "consent recorded",
        "photo added",
        "reviewed",
        "staff added",
        "staff disabled",
        "staff key",
        "vial opened",
        "vial closed",
        "patient registered",
        "patient confirmed",
        "patients merged",
        "patients split",
        "imported",
        "settings changed",
        "override",
        "acknowledged",
        "checkpoint",
        "reindexed",
        "script approved",
    }
)
"""Acts a person does (their PIN checked): once that person has a key, each must carry their
signature. Events that are not a person's act (a wrong PIN, a lock, printing) need none."""

Signer = Callable[[AuditEvent, str], AuditEvent]
"""Given an event and the hash of the entry it follows, the event with its signature: called by a
store under the trail's lock, once it knows which entry the act will follow."""


def act_message(event: AuditEvent, prev_hash: str) -> bytes:
    """The bytes a signature covers: the act as the trail keeps it, and the entry it follows."""
    fields = event.model_dump(mode="json", exclude={"signature"})
    return canonical({**fields, "prev_hash": prev_hash})


def public_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def sign(key: Ed25519PrivateKey, event: AuditEvent, prev_hash: str) -> AuditEvent:
    signature = key.sign(act_message(event, prev_hash))
    return event.model_copy(update={"signature": base64.b64encode(signature).decode("ascii")})


def signer_for(key: Ed25519PrivateKey) -> Signer:
    return lambda event, prev_hash: sign(key, event, prev_hash)


def signed_by(public_key: str, event: AuditEvent, prev_hash: str) -> bool:
    """Whether ``event`` carries a signature that ``public_key`` (base64, raw 32 bytes) made."""
    if not event.signature:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(event.signature, validate=True), act_message(event, prev_hash))
    except (InvalidSignature, ValueError):
        return False
    return True
