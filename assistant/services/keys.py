"""Each staff account's signing key: an Ed25519 key pair whose private half is sealed with the PIN.

The seal is a key derived from the PIN with argon2id (the parameters below, kept with each seal so
they can be raised later) and AES-256-GCM over the raw private key. The public half is in the staff
register and in the audit trail. Neither the PIN nor the unsealed key is ever written anywhere; an
unsealed key lives in memory while its owner is signed in (``Keyring``).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from assistant.core.lifecycle.signing import Signer, public_text, signer_for
from assistant.core.lifecycle.staff import SealedKey, StaffAccount

TIME_COST = 2
MEMORY_KIB = 19_456
PARALLELISM = 1
"""argon2id as OWASP's password storage guidance sets its minimum (19 MiB, 2 passes, 1 lane)."""


def _derive(pin: str, salt: bytes, sealed: SealedKey | None = None) -> bytes:
    return hash_secret_raw(
        pin.encode("utf-8"),
        salt,
        time_cost=sealed.time_cost if sealed else TIME_COST,
        memory_cost=sealed.memory_kib if sealed else MEMORY_KIB,
        parallelism=sealed.parallelism if sealed else PARALLELISM,
        hash_len=32,
        type=Type.ID,
    )


def seal(key: Ed25519PrivateKey, pin: str) -> SealedKey:
    salt, nonce = os.urandom(16), os.urandom(12)
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    box = AESGCM(_derive(pin, salt)).encrypt(nonce, raw, b"botulax-consult staff key")
    return SealedKey(
        salt=base64.b64encode(salt).decode(),
        nonce=base64.b64encode(nonce).decode(),
        box=base64.b64encode(box).decode(),
        time_cost=TIME_COST,
        memory_kib=MEMORY_KIB,
        parallelism=PARALLELISM,
    )


def unseal(sealed: SealedKey, pin: str) -> Ed25519PrivateKey | None:
    """The private key, or None when ``pin`` is not the one it was sealed with."""
    try:
        key = _derive(pin, base64.b64decode(sealed.salt), sealed)
        raw = AESGCM(key).decrypt(
            base64.b64decode(sealed.nonce), base64.b64decode(sealed.box), b"botulax-consult staff key"
        )
    except (InvalidTag, ValueError):
        return None
    return Ed25519PrivateKey.from_private_bytes(raw)


def new_keys(pin: str) -> tuple[str, SealedKey, Ed25519PrivateKey]:
    """(public key, the private key sealed with ``pin``, the private key itself)."""
    key = Ed25519PrivateKey.generate()
    return public_text(key.public_key()), seal(key, pin), key


@dataclass
class Keyring:
    """The keys unsealed in this program, by account (its PIN was typed): each act of a person
    whose key is here is signed with it. Cleared when the screen locks or someone else signs in."""

    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)

    def unlock(self, account: StaffAccount, key: Ed25519PrivateKey) -> None:
        self.keys[account.key] = key

    def signer(self, account: StaffAccount) -> Signer | None:
        key = self.keys.get(account.key)
        return signer_for(key) if key is not None else None

    def forget(self, account: StaffAccount | None = None) -> None:
        if account is None:
            self.keys.clear()
        else:
            self.keys.pop(account.key, None)
