"""``script approve FILE --by DIRECTOR``: a medical director takes a question script version into use
(issue 24), a signed act in the audit trail with the script's SHA-256; and every consult kept then
says whether the script it ran was one so approved.

The event states the script's id, version, the SHA-256 of the file's bytes and the short content
hash every consult record carries (``script_hash``), so that ``audit`` shows which exact file was
approved, by whom and when. A consult is matched with an approval by the SHA-256 of its script's
bytes (``Resources.script_sha256``), not by the file's name: an edited copy approved, then put in
place as ``consult.yaml``, is the approved script.
"""

from __future__ import annotations

import logging
from pathlib import Path

from assistant.core.lifecycle.audit import SCRIPT_APPROVED, AuditEvent
from assistant.core.lifecycle.record import ConsultRecord, ScriptApproval
from assistant.core.script import Script
from assistant.records.errors import DamagedDataFile
from assistant.records.repository import ConsultRepository
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.startup import script_hashes

log = logging.getLogger(__name__)


def approve(desk: Desk, by: str, pin: str, script: Script, path: Path) -> AuditEvent:
    """The approval kept in the trail, signed by ``by`` (a medical director; anyone else: ``NotPermitted``)."""
    account = authenticate(desk, by, pin, "approve_script")
    short, digest = script_hashes(path)
    if digest is None:
        raise OSError(f"{path} could not be read")
    event = AuditEvent(
        at=desk.clock(),
        actor=account.name,
        action=SCRIPT_APPROVED,
        detail=f"script {script.id} version {script.version} ({path.name}), sha256 {digest}",
        data={
            "script_id": script.id,
            "version": script.version,
            "sha256": digest,
            "script_hash": short,
        },
    )
    desk.repository.record_event(event)
    return event


def approval_of(repository: ConsultRepository, script_sha256: str | None) -> ScriptApproval | None:
    """Whether a script (by its bytes' SHA-256) is approved now, and by whom; None when that cannot be
    said (no hash, or a damaged audit file, which ``audit verify`` names): never "approved" by guess."""
    if script_sha256 is None:
        return None
    try:
        entry = repository.script_approval(script_sha256)
    except DamagedDataFile as error:
        log.warning("whether the script was approved is not recorded: %s", error)
        return None
    if entry is None:
        return ScriptApproval(approved=False, sha256=script_sha256)
    return ScriptApproval(approved=True, by=entry.actor, at=entry.at, seq=entry.seq, sha256=script_sha256)


def with_approval(repository: ConsultRepository, record: ConsultRecord, script_sha256: str | None) -> ConsultRecord:
    """Version 1 of a consult, saying whether the script it ran was approved when it is kept."""
    if record.script_approval is not None:
        return record
    approval = approval_of(repository, script_sha256)
    return record if approval is None else record.model_copy(update={"script_approval": approval})
