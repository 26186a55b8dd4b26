"""Opening the server: an engine for the address, errors in words, and the schema version check.

Every database error reaches the program as a ``RecordsError``: the server unreachable or
restarting is ``StoreUnavailable`` naming the host (no password); anything else names the table
or the constraint, never a statement's parameters.
"""

from __future__ import annotations

import contextlib
import functools
import os
import select
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError

from assistant.records.errors import RecordsError, SchemaOutdated, StoreUnavailable
from assistant.records.postgres.schema import SCHEMA_VERSION
from assistant.records.postgres.url import Address

P = ParamSpec("P")
R = TypeVar("R")

CONNECT_SECONDS = 5


def workstation_name() -> str:
    """This computer's name as other workstations read it in a live notice ("Given in <name>"):
    ``BOTULAX_WORKSTATION`` when set (a room's name), else the host name."""
    return (os.environ.get("BOTULAX_WORKSTATION") or socket.gethostname() or "a workstation").strip()[:40]


def application_name() -> str:
    """The session's name on the server; the change triggers read the workstation from it."""
    return f"botulax-consult@{workstation_name()}"


PING_AFTER = 2.0
"""Seconds a pooled connection may rest before it is tried (``SELECT 1``) as it is taken again."""


def make_engine(address: Address) -> Engine:
    """The pool tries a connection only after it rested ``PING_AFTER`` seconds (a server restarted
    meanwhile shows there, and the pool opens a fresh one): ``pool_pre_ping`` tried it before every
    operation, a round trip more to each look-up and save. Work in quick succession (keystrokes, a
    page after a page) goes straight on, unless the server wrote to the idle connection meanwhile (a
    restart's goodbye waits on its socket: ``_server_spoke``), when it is tried too. A server gone
    without a word fails that one operation, which says so (``StoreUnavailable``), and the pool starts afresh."""
    engine = create_engine(
        address.sqlalchemy_url(),
        pool_size=2,
        max_overflow=4,
        pool_pre_ping=False,
        pool_recycle=1800,
        connect_args={
            "connect_timeout": CONNECT_SECONDS,
            "application_name": application_name(),
            "client_encoding": "UTF8",
        },
        hide_parameters=True,
    )
    event.listen(engine, "connect", _in_utc)
    event.listen(engine.pool, "checkin", _rests)
    event.listen(engine.pool, "checkout", functools.partial(_try_if_rested, engine.dialect))
    return engine


def _rests(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["resting_since"] = time.monotonic()


def _try_if_rested(dialect: Any, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """SQLAlchemy's recipe for a custom ping: ``DisconnectionError`` makes the pool drop this
    connection and take another (a new one, once the first failed)."""
    since = record.info.get("resting_since")
    if since is None or (time.monotonic() - since < PING_AFTER and not _server_spoke(dbapi_connection)):
        return
    try:
        dialect.do_ping(dbapi_connection)
    except Exception as error:  # whatever the driver says, the connection is unusable
        raise DisconnectionError(str(error)) from error


def _server_spoke(dbapi_connection: Any) -> bool:
    """An idle connection the server has written to (a restart's "terminating connection", a
    shutdown): worth the ping however briefly it rested. Asked of the socket, no round trip."""
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # closed already: the ping says so
        return True
    return bool(readable)


def _in_utc(dbapi_connection: Any, _record: Any) -> None:
    """Every session reads and writes times in UTC, whatever PGTZ, the server's or the role's
    setting say: a time read back in another zone would hash differently and fail ``audit verify``."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SET client_encoding TO 'UTF8'")
    dbapi_connection.commit()


def _first_line(error: BaseException, address: Address) -> str:
    original = getattr(error, "orig", None) or error
    words = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    if address.password:
        words = words.replace(address.password, "***")
    return words.rstrip(".")


def in_words(address: Address, error: BaseException) -> RecordsError:
    """A database error as a sentence for staff."""
    if isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        return StoreUnavailable(address.where, _first_line(error, address))
    return RecordsError(
        f"{address.where[:1].upper()}{address.where[1:]} refused the change: {_first_line(error, address)}."
    )


def translated(method: Callable[P, R]) -> Callable[P, R]:
    """A store method whose database errors become ``RecordsError``s (the store's ``address`` names the server)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except RecordsError:
            raise
        except SQLAlchemyError as error:
            raise in_words(args[0].address, error) from None  # type: ignore[attr-defined]

    return wrapper


def schema_version(connection: Connection) -> str | None:
    exists = connection.execute(text("SELECT to_regclass('alembic_version')")).scalar()
    if exists is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_schema(engine: Engine, address: Address) -> None:
    """Refuse, in words, a database whose schema is not this program's (before a consult, not mid-way)."""
    try:
        with engine.connect() as connection:
            found = schema_version(connection)
    except SQLAlchemyError as error:
        raise in_words(address, error) from None
    if found != SCHEMA_VERSION:
        raise SchemaOutdated(address.where, found, SCHEMA_VERSION)


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    with engine.begin() as connection:
        yield connection


def rows_of(result: Any) -> list[Any]:
    return list(result)
