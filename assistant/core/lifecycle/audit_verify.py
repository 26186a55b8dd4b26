"""Verifying the audit trail: the chain checked link by link and every record version against its
entry, each problem named in a sentence with the entry it is about.

Kept apart from the trail itself (``audit``: its actions, hashes and how an entry is chained),
which every store writes with; only ``audit verify``, the import check and acknowledgements read
findings.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from assistant.core.lifecycle.audit import GENESIS, AuditEntry, canonical, entry_hash, sha256


@dataclass(frozen=True)
class Finding:
    """One problem ``verify`` found: its sentence, the entry it is about (None: no single entry), and
    a fingerprint of what was found there, so that an acknowledgement covers this problem as it was
    found and never a later, different change to the same entry (``acknowledged``)."""

    text: str
    seq: int | None = None
    found: str | None = None
    acknowledged: str | None = None
    """"(acknowledged by NAME on DATE: REASON)" once a medical director acknowledged it."""

    def __str__(self) -> str:
        return f"{self.text} {self.acknowledged}" if self.acknowledged else self.text


def fingerprint(entry: AuditEntry, *more: object) -> str:
    """The SHA-256 of an entry exactly as found (every field, its stored hash too), and of ``more``."""
    return sha256(canonical([entry.model_dump(mode="json"), *more]))


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found: ``entries`` checked, the first problem in words (None: all match) and
    the others (``more``); ``findings`` the same problems with the entry each is about."""

    entries: int
    problem: str | None = None
    more: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    """What could not be checked (a vial opened before its act stated its content): said, not failed."""

    @classmethod
    def of(cls, entries: int, findings: Iterable[Finding], notes: Iterable[str] = ()) -> Verdict:
        found = tuple(findings)
        texts = [str(f) for f in found]
        return cls(entries, texts[0] if texts else None, tuple(texts[1:]), found, tuple(notes))

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.more

    @property
    def problems(self) -> list[str]:
        return ([self.problem] if self.problem else []) + list(self.more)

    @property
    def all_acknowledged(self) -> bool:
        """Problems were found, and a medical director acknowledged every one."""
        return bool(self.findings) and all(f.acknowledged for f in self.findings)


def verify(
    entries: Iterable[AuditEntry],
    versions: Iterable[tuple[str, int, str]],
    head: tuple[int, str] | None = None,
    unreadable: Callable[[], Container[str]] = frozenset,
) -> Verdict:
    """Check the chain, then every record version against its entry, and every version the trail
    says was kept against the store, naming every problem.

    After a broken entry the chain is taken up again from that entry as found, so one changed entry
    is one sentence and the entries after it are still checked; a gap is one sentence too.
    ``versions`` gives (consult id, version, content hash) of every record version in the store;
    ``head`` the (seq, hash) the store last wrote, when it keeps one (it shows entries cut off the end);
    ``unreadable``: the consults whose versions could not be read (asked once ``versions`` is read:
    their damaged files are said apart, not again as versions missing).
    """
    findings: list[Finding] = []
    previous: AuditEntry | None = None
    seen: dict[tuple[str, int], AuditEntry] = {}
    count = 0
    for entry in entries:
        count += 1
        findings += _link_problems(previous, entry)
        if entry.consult_id is not None and entry.version is not None and entry.record_sha is not None:
            seen[(entry.consult_id, entry.version)] = entry
        previous = entry
    if head is not None and (previous is None or (previous.seq, previous.hash) != head):
        last = previous.seq if previous else 0
        text = f"the audit trail ends at entry {last} but entry {head[0]} was written: entries are missing."
        findings.append(Finding(text, last + 1, sha256(canonical([last, previous.hash if previous else None, *head]))))
    for consult_id, version, content in versions:
        entry = seen.pop((consult_id, version), None)  # what stays in ``seen`` is not in the store
        if entry is None:
            findings.append(Finding(f"consult {consult_id} version {version} has no audit entry."))
        elif entry.record_sha != content:
            findings.append(
                Finding(
                    f"consult {consult_id} version {version} does not match audit entry {entry.seq}: "
                    "the record was changed outside the program.",
                    entry.seq,
                    fingerprint(entry, content),
                )
            )
    return Verdict.of(count, findings + _removed(seen, unreadable()))


def _removed(kept: dict[tuple[str, int], AuditEntry], unreadable: Container[str]) -> list[Finding]:
    """The versions the trail says were kept and the store does not hold (a consult's file deleted,
    or its row, by someone who could reach the data): a tryout deleted a given consult's file, ran
    ``reindex``, and ``audit verify`` said every one matched while her 90 U were gone from her
    history, the recall and her 90-day count."""
    return [
        Finding(
            f"consult {consult_id} version {version} is in audit entry {entry.seq} ({entry.action}) but not in the "
            "record: it was removed outside the program.",
            entry.seq,
            fingerprint(entry, "removed"),
        )
        for (consult_id, version), entry in kept.items()
        if consult_id not in unreadable
    ]


def _link_problems(previous: AuditEntry | None, entry: AuditEntry) -> list[Finding]:
    """What is wrong with ``entry`` where it stands: a gap before it, a broken link, its own content."""
    expected_seq = previous.seq + 1 if previous else 1
    found = fingerprint(entry)
    if entry.hash != entry_hash(entry.seq, entry.prev_hash, entry.event()):
        changed = Finding(
            f"audit entry {entry.seq} ({entry.action}) was changed after it was written.", entry.seq, found
        )
        return [changed] if entry.seq == expected_seq else [_gap(expected_seq, entry, found), changed]
    if entry.seq != expected_seq:
        return [_gap(expected_seq, entry, found)]
    if entry.prev_hash != (previous.hash if previous else GENESIS):
        text = f"audit entry {entry.seq} does not follow entry {expected_seq - 1}: the chain is broken."
        return [Finding(text, entry.seq, found)]
    return []


def _gap(expected_seq: int, entry: AuditEntry, found: str) -> Finding:
    """Entries missing before ``entry`` (or ``entry`` out of its place): about the first one missing."""
    if entry.seq < expected_seq:
        return Finding(f"audit entry {entry.seq} comes again after entry {expected_seq - 1}.", entry.seq, found)
    if entry.seq == expected_seq + 1:
        return Finding(f"audit entry {expected_seq} is missing (the next entry is {entry.seq}).", expected_seq, found)
    text = f"audit entries {expected_seq} to {entry.seq - 1} are missing (the next entry is {entry.seq})."
    return Finding(text, expected_seq, found)
