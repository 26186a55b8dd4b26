"""What can go wrong with the consult record, in words a practitioner (or the CLI) can show as they are.

These belong to the repository interface, not to one backend: a server backend raises the same ones.
"""

from __future__ import annotations

from pathlib import Path


class RecordsError(Exception):
    """Any problem with the consult record store."""


class DamagedDataFile(RecordsError):
    """A data file that cannot be read (not JSON, or JSON of the wrong shape).

    The store never writes over such a file: whatever is still in it can be recovered by hand.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"The data file {self.path} is damaged ({reason}). It was left untouched: nothing was written to it. "
            "Restore it from a backup, or move it aside to carry on without it."
        )


class DamagedRecord(DamagedDataFile):
    """A row of the record server that does not read back as what it should hold."""

    def __init__(self, where: str, reason: str) -> None:
        self.path = Path(where)
        self.reason = reason
        RecordsError.__init__(self, f"{where} is damaged ({reason}). It was left as it is.")


class ConsultNotFound(RecordsError, LookupError):
    """No consult with this id in the record."""

    def __init__(self, consult_id: str) -> None:
        self.consult_id = consult_id
        super().__init__(f"No consult with id '{consult_id}' in the record.")


class StoreBusy(RecordsError):
    """Another terminal held the data directory for too long."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = Path(path)
        super().__init__(
            f"The data directory is busy: another botulax-consult held {self.path} for more than {seconds:g} s."
        )


class DataFolderUnusable(RecordsError, OSError):
    """The data folder, or a file in it, cannot be read or written: not a folder, no permission,
    a full disk. Raised for any operating-system error, so callers meet only ``RecordsError``; it
    is still an ``OSError`` to code that asks what kind of failure it was."""

    def __init__(self, data_dir: Path, error: OSError) -> None:
        if isinstance(error, DataFolderUnusable):  # raised by a method that another one called: say it once
            self.data_dir, self.error = error.data_dir, error.error
            super().__init__(str(error))
            return
        self.data_dir = Path(data_dir)
        self.error = error
        where = f" ({error.filename})" if error.filename else ""
        super().__init__(
            f"The consult record in {self.data_dir} cannot be used: {error.strerror or error}{where}. "
            "Check that it is a folder you may write to (or pass another with --data-dir)."
        )


class VersionConflict(RecordsError):
    """Another workstation changed the consult first: the change was made on an older version.

    ``current`` is the record as it stands now, so the caller can say who changed it and when.
    """

    def __init__(self, consult_id: str, expected: int, current: object | None) -> None:
        self.consult_id = consult_id
        self.expected = expected
        self.current = current
        found = getattr(current, "version", None)
        super().__init__(
            f"Consult {consult_id} was changed meanwhile (it is at version {found}, not {expected - 1}); "
            "nothing was written. Look at it again and repeat the change if it is still needed."
            if found is not None
            else f"Consult {consult_id} already exists; nothing was written."
        )


class StaffConflict(RecordsError):
    """The staff account changed meanwhile (another workstation), or a new account's name is taken."""

    def __init__(self, name: str, exists: bool) -> None:
        self.name = name
        super().__init__(
            f"There is already a staff account named {name}."
            if exists
            else f"The account of {name} changed meanwhile; try again."
        )


class VialConflict(RecordsError):
    """A vial changed meanwhile (another workstation drew from it or closed it), or holds fewer
    units than a draw needs at the moment of saving; nothing was written."""

    def __init__(self, vial_id: str, why: str) -> None:
        self.vial_id = vial_id
        super().__init__(f"Vial {vial_id} {why}; nothing was written. Look at the vials again (vial list --open).")


class StoreUnavailable(RecordsError):
    """The record server cannot be reached (down, restarting, the network): ``where`` names it,
    never with its password."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where[:1].upper()}{where[1:]} cannot be reached: {reason}. Nothing was written there.")


class SchemaOutdated(RecordsError):
    """The database's schema is older (or newer) than this program's: said before anything is done."""

    def __init__(self, where: str, found: str | None, wanted: str) -> None:
        self.found = found
        self.wanted = wanted
        state = "has no botulax-consult tables yet" if found is None else f"has schema version {found}"
        super().__init__(
            f"{where[:1].upper()}{where[1:]} {state}; this program needs version {wanted}. "
            "Run botulax-consult db upgrade (with the same --database) first."
        )


class RegisterConflict(RecordsError):
    """A register change that another change got to first, or identifiers another patient holds."""

    def __init__(self, why: str) -> None:
        self.why = why
        super().__init__(f"The patient register refused the change: {why}.")
