"""``script approve FILE --by DIRECTOR``: a medical director takes a question script version into use
(issue 24), a signed act in the audit trail with the script's SHA-256.

The event states the script's id, version, the SHA-256 of the file's bytes and the short content
hash every consult record carries (``script_hash``), so that ``audit`` shows which exact file was
approved, by whom and when, and a consult's script can be matched with an approval.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.script import Script
from assistant.files.reading import read_limited
from assistant.files.workbook_reader import WORKBOOK_FILE_LIMIT
from assistant.services.desk import Desk
from assistant.services.staff import authenticate
from assistant.startup import content_hash

SCRIPT_APPROVED = "script approved"


def approve(desk: Desk, by: str, pin: str, script: Script, path: Path) -> AuditEvent:
    """The approval kept in the trail, signed by ``by`` (a medical director; anyone else: ``NotPermitted``)."""
    account = authenticate(desk, by, pin, "approve_script")
    digest = hashlib.sha256(read_limited(path, WORKBOOK_FILE_LIMIT)).hexdigest()
    event = AuditEvent(
        at=desk.clock(),
        actor=account.name,
        action=SCRIPT_APPROVED,
        detail=f"script {script.id} version {script.version} ({path.name}), sha256 {digest}",
        data={
            "script_id": script.id,
            "version": script.version,
            "sha256": digest,
            "script_hash": content_hash(path),
        },
    )
    desk.repository.record_event(event)
    return event
