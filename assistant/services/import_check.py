"""Before ``db import DIR`` writes anything: who imports (a medical director, with their PIN), and
whether the folder's own trail and signatures hold; after it, the import kept as that director's act.

A folder is a copy of somebody's data: whoever could write it may have changed a record and
recomputed the chain. Imported as it is, the server would carry the forgery under its own intact
chain, and the server's ``audit verify`` would pass. So the folder is verified first, with the same
check as ``audit verify`` (``audit_trail.check``), and a folder that fails is refused, unless a
medical director accepts it unverified with a reason, which the trail keeps in the director's
signed "imported" act.

The director is checked on the server when it has accounts (the PIN counted there, as every PIN);
on a server without any (the clinic's first import) against the folder's own register, read only:
their PIN, their role as its trail granted it, and their signing key, which the PIN unseals.
"""

from __future__ import annotations

from pathlib import Path

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.audit_verify import Verdict
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount, require
from assistant.core.progress import Progress, quiet
from assistant.records.errors import RecordsError
from assistant.records.repository import ConsultRepository
from assistant.records.tinydb.scan import unusable
from assistant.services import keys, staff_keys
from assistant.services.audit_trail import check
from assistant.services.desk import Desk, now
from assistant.services.keys import Keyring
from assistant.services.pins import pin_matches
from assistant.services.staff import authenticate


def director(server: ConsultRepository, folder: ConsultRepository, name: str, pin: str) -> tuple[Desk, StaffAccount]:
    """The server's desk, with ``name``'s key unsealed in its keyring, and their account; else
    ``NotPermitted`` (exit 5)."""
    desk = Desk(server)
    if server.staff():
        return desk, authenticate(desk, name, pin, "import_records")
    account = folder.staff_account(name)
    if account is None:
        raise NotPermitted(f"There is no staff account named {name} on the server or in the folder.")
    if not pin_matches(account.pin_hash, pin):
        raise NotPermitted(f"Wrong PIN for {account.name}; nothing was imported.")
    require(account, "import_records", now())
    if not staff_keys.grant_holds(Desk(folder, keyring=Keyring()), account) or account.sealed_key is None:
        raise NotPermitted(
            f"The role of {account.name} in the folder was not given by a medical director, or the account has no "
            "signing key yet (sign in once on that workstation); nothing was imported."
        )
    key = keys.unseal(account.sealed_key, pin)
    if key is None:
        raise NotPermitted(f"The signing key of {account.name} does not open with this PIN; nothing was imported.")
    desk.keyring.unlock(account, key)
    return desk, account


def folder_verdict(path: Path, folder: ConsultRepository, progress: Progress = quiet) -> Verdict:
    """The folder's trail, records, signatures and staff register, as ``audit verify`` checks them;
    before them, every link or file that cannot or may not be read, named (it cannot be verified)."""
    problems = [str(found) for found in unusable(path)]
    try:
        verdict = check(folder, progress)
    except (RecordsError, OSError) as error:
        verdict = Verdict(0, f"the folder's audit trail could not be verified: {error}")
    problems += verdict.problems
    return Verdict(verdict.entries, problems[0], tuple(problems[1:])) if problems else verdict


def record(desk: Desk, account: StaffAccount, folder: Path, verdict: Verdict, reason: str | None) -> None:
    """The import as the director's signed act on the server (after its staff came over, so the
    server's register knows the key that signs it)."""
    if verdict.ok:
        detail = f"db import of {folder}: its audit trail ({verdict.entries} entries) and signatures verified"
    else:
        problems = "; ".join(verdict.problems)
        detail = f"db import of {folder}: accepted unverified by {account.name}: {reason}. Its problems: {problems}"
    desk.repository.record_event(AuditEvent(at=desk.clock(), actor=account.name, action="imported", detail=detail))
