"""``db upgrade`` and ``db status``: the Alembic migrations shipped in the package, run on an open
connection, and the workstations' role's rights granted after them (``roles.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from assistant.records.postgres import roles, schema
from assistant.records.postgres.connection import in_words, make_engine, schema_version
from assistant.records.postgres.url import Address

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@dataclass(frozen=True)
class Status:
    where: str
    version: str | None
    wanted: str
    counts: dict[str, int]
    role: roles.Connected | None = None

    @property
    def current(self) -> bool:
        return self.version == self.wanted


@dataclass(frozen=True)
class Upgraded:
    before: str | None
    after: str
    workstations: tuple[str, ...]
    """The workstations' roles granted their rights (the one named, and those set up before)."""


def upgrade(address: Address, workstations: str | None = None) -> Upgraded:
    """Create or upgrade the schema (idempotent), then grant the workstations' roles their rights:
    ``workstations`` (checked first: ``roles.RoleRefused``) and those set up before. One
    transaction: a refused role leaves the database as it was."""
    engine = make_engine(address)
    try:
        with engine.begin() as connection:
            before = schema_version(connection)
            config = _config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            after = schema_version(connection)
            if not connection.execute(select(schema.audit_head.c.id)).first():
                connection.execute(schema.audit_head.insert().values(id=1, seq=0, hash="0" * 64))
            if workstations is not None:
                roles.set_up(connection, workstations, address.where)
            granted = roles.grant_again(connection)
    except SQLAlchemyError as error:
        raise in_words(address, error) from None
    finally:
        engine.dispose()
    return Upgraded(before, after or schema.SCHEMA_VERSION, tuple(granted))


COUNTED = ("consults", "consult_versions", "patients", "register", "drafts", "staff", "vials", "treatments", "audit")


def status(address: Address) -> Status:
    engine = make_engine(address)
    try:
        with engine.connect() as connection:
            version = schema_version(connection)
            role = roles.connected(connection)
            counts = {}
            if version is not None:
                for name in COUNTED:
                    table = schema.metadata.tables[name]
                    counts[name] = int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)
    except SQLAlchemyError as error:
        raise in_words(address, error) from None
    finally:
        engine.dispose()
    return Status(address.where, version, schema.SCHEMA_VERSION, counts, role)
