"""Which version of a consult a set of saved documents shows.

The patient's explanation and the dose summary print the record as it was when they were made: its
doses (planned or given), state, signatures and version. Once the record changes (given, signed,
amended, consent or photos recorded), documents made before no longer show it, and a paper copy of
them would carry the wrong dose or state. Pure: the caller keeps the stamp beside the files.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.lifecycle.record import ConsultRecord


@dataclass(frozen=True)
class MadeFrom:
    """The record version documents were made from (a version, once kept, never changes)."""

    consult_id: str
    version: int
    state: str

    @classmethod
    def of(cls, record: ConsultRecord) -> MadeFrom:
        return cls(record.consult_id, record.version, record.state)


def shows(made: MadeFrom | None, record: ConsultRecord | None) -> bool:
    """Whether documents ``made`` show ``record`` as it is now: made from its version of the same
    consult, or from a later one (read from the store before this copy of the record heard of it).
    None (nothing made, or no record): they do not."""
    if made is None or record is None:
        return False
    return made.consult_id == record.consult_id and made.version >= record.version
