"""Checkpoints of the audit trail: written by a person (``audit checkpoint``, or the daily one into the
clinic's ``checkpoint_dir``) and checked against the trail (``audit verify --checkpoint FILE``).

A checkpoint is only worth something kept where whoever can write the data folder or the server
cannot reach it; it then catches a trail cut off after it, or rewritten before it with every hash
recomputed. The format and its signature are the core's (``lifecycle.checkpoint``); here the trail is
read, the signer's key is the one the staff register held at the checkpoint's entry (rebuilt from the
trail itself, as ``audit verify`` does), and files are read and written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from assistant.core.lifecycle import checkpoint as notes
from assistant.core.lifecycle.acts import check_acts
from assistant.core.lifecycle.audit import AuditEntry, AuditEvent
from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.staff import ROLE_WORDS, NotPermitted
from assistant.files.reading import CHECKPOINT_FILE_LIMIT, UnreadableFile, read_limited
from assistant.records.repository import ConsultRepository
from assistant.services.desk import Desk
from assistant.services.staff import authenticate


class UnreadableCheckpoint(ValueError):
    """A checkpoint file that cannot be read or is not a checkpoint (exit 2): the sentence names it."""


def file_name(at: dt.datetime) -> str:
    """``checkpoint-2026-12-05-061621.txt``: by the local date and time it was written."""
    return f"checkpoint-{at.astimezone():%Y-%m-%d-%H%M%S}.txt"


def head_of(repository: ConsultRepository) -> tuple[str, int, str] | None:
    """(origin, entries, head hash) of the trail now; None for an empty trail."""
    head = repository.audit_head()
    if not head:
        return None
    entries = iter(repository.audit_entries())
    try:
        first = next(entries, None)
    finally:
        close = getattr(entries, "close", None)
        if close is not None:
            close()
    if first is None:
        return None
    return notes.origin_of(first.hash), head[0], head[1]


def of_trail(repository: ConsultRepository, signer: str, key: Ed25519PrivateKey, at: dt.datetime) -> notes.Checkpoint:
    trail = head_of(repository)
    if trail is None:
        raise NotPermitted("The audit trail is empty: there is nothing to sign a checkpoint of.")
    return notes.make(*trail, at, signer, key)


def write(desk: Desk, by: str, pin: str, output: Path | None) -> tuple[notes.Checkpoint, Path]:
    """``audit checkpoint``: a medical director signs the trail's head (their PIN unseals their key);
    the file is written, then the act is kept in the trail, signed. Anyone else: ``NotPermitted``."""
    from assistant.files.output import write_output

    account = authenticate(desk, by, pin, "checkpoint")
    key = desk.keyring.keys.get(account.key)
    if key is None:
        raise NotPermitted(f"The signing key of {account.name} is not unsealed; nothing was written.")
    at = desk.clock()
    checkpoint = of_trail(desk.repository, account.name, key, at)
    path = write_output(output or Path.cwd() / file_name(at), checkpoint.text().encode("utf-8"), private_data=False)
    desk.repository.record_event(
        AuditEvent(at=at, actor=account.name, action="checkpoint", detail=described(checkpoint, path))
    )
    return checkpoint, path


def described(checkpoint: notes.Checkpoint, path: Path) -> str:
    return f"entry {checkpoint.entries}, head {checkpoint.head[:12]}, written to {path}"


def read(path: Path) -> notes.Checkpoint:
    """The checkpoint in ``path``, read as every file is (a regular file under its limit)."""
    try:
        text = read_limited(path, CHECKPOINT_FILE_LIMIT).decode("utf-8")
    except UnreadableFile as unreadable:
        raise UnreadableCheckpoint(f"the checkpoint {unreadable}") from None
    except FileNotFoundError:
        raise UnreadableCheckpoint(f"there is no checkpoint file {path}.") from None
    except UnicodeDecodeError:
        raise UnreadableCheckpoint(f"{path} is not a checkpoint: it is not text.") from None
    except OSError as error:
        raise UnreadableCheckpoint(f"the checkpoint {path} cannot be read: {error.strerror or error}.") from None
    try:
        return notes.parse(text)
    except notes.NotACheckpoint as why:
        raise UnreadableCheckpoint(f"{path} is not a checkpoint: {why}.") from None


@dataclass(frozen=True)
class Held:
    """Whether the trail holds one checkpoint, in a sentence."""

    ok: bool
    sentence: str


def held(entries: list[AuditEntry], checkpoint: notes.Checkpoint, name: str) -> Held:
    """Whether the trail ``entries`` holds ``checkpoint`` (read from ``name``) at its entry, signed by an
    account the staff register held then."""
    n, when = checkpoint.entries, f"{checkpoint.at:%Y-%m-%d %H:%M} UTC"
    if len(entries) < n:
        return Held(
            False,
            f"the trail has {len(entries)} entries, but the checkpoint {name} of {when} was signed at entry {n}: "
            "entries after it were cut off.",
        )
    at_position = entries[n - 1]
    if at_position.seq != n or at_position.hash != checkpoint.head:
        whence = " from its first entry on" if notes.origin_of(entries[0].hash) != checkpoint.origin else " before it"
        return Held(
            False,
            f"audit entry {n} is not the one the checkpoint {name} of {when} signed (its hash differs): "
            f"the trail was rewritten{whence}.",
        )
    _, register = check_acts(entries[:n])
    kept = register.get(normalise_name(checkpoint.signer))
    if kept is None or kept.public_key is None:
        return Held(
            False,
            f"the checkpoint {name} is signed by {checkpoint.signer}, who had no signing key in the staff register "
            f"at entry {n}: it was not written by the program.",
        )
    if not checkpoint.signed_by(kept.public_key):
        return Held(
            False,
            f"the signature of the checkpoint {name} does not verify against {checkpoint.signer}'s key as the staff "
            f"register held it at entry {n}: the checkpoint was forged or changed.",
        )
    role = ROLE_WORDS.get(kept.role, kept.role)
    return Held(
        True,
        f"checkpoint {name}: the trail holds entry {n} (head {checkpoint.head[:12]}), signed by "
        f"{checkpoint.signer} ({role}) on {when}.",
    )


def check_files(repository: ConsultRepository, paths: list[Path]) -> list[Held]:
    """Each checkpoint file against the trail; ``UnreadableCheckpoint`` for the first file that cannot
    be read or is not a checkpoint (before anything is checked)."""
    found = [(read(path), str(path)) for path in paths]
    if not found:
        return []
    entries = list(repository.audit_entries())
    return [held(entries, checkpoint, name) for checkpoint, name in found]
