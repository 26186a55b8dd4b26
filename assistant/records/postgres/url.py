"""The server's address as users write it (libpq's URL form) and as the driver takes it.

``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB``, or a Unix socket as
``postgresql://USER@/DB?host=/socket/dir&port=N``. Users never write a dialect prefix; this module
maps the URL to SQLAlchemy's ``postgresql+psycopg`` itself. A password may be in the URL (typed on
the command line or in the environment), or in a file the URL names with ``password_file=PATH``
(readable by its owner only, 0600), or in libpq's own ``passfile=PATH`` (pgpass format). A clinic
settings file may not hold a password: it is kept on disk in clear.

A password is never printed: ``Address.shown`` is the URL without it, for every message.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from sqlalchemy.engine import URL

from assistant.files.reading import SETTINGS_FILE_LIMIT, UnreadableFile, read_limited

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")

ALLOWED_OPTIONS = frozenset(
    {"host", "port", "password_file", "passfile", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}
)
"""The URL options the program takes. Others could point the connection elsewhere than the host the
URL shows (``hostaddr``, ``service``), or change how the session reads times and text (``options``)."""


class BadDatabaseUrl(ValueError):
    """A URL that cannot be used (exit 2); the message never holds the password."""


@dataclass(frozen=True)
class Address:
    user: str | None
    host: str | None
    """A host name, or a socket folder (starts with /)."""
    port: int | None
    database: str
    options: dict[str, str]
    password: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """The URL without its password, for messages."""
        user = f"{self.user}@" if self.user else ""
        if self.host and self.host.startswith("/"):
            port = f", port {self.port}" if self.port else ""
            return f"postgresql://{user}/{self.database} (socket in {self.host}{port})"
        port = f":{self.port}" if self.port else ""
        return f"postgresql://{user}{self.host or 'localhost'}{port}/{self.database}"

    @property
    def where(self) -> str:
        """The server in words: "the record server at HOST (database DB)"."""
        if self.host and self.host.startswith("/"):
            port = f", port {self.port}" if self.port else ""
            return f"the record server on the socket in {self.host}{port} (database {self.database})"
        place = (self.host or "localhost") + (f":{self.port}" if self.port else "")
        return f"the record server at {place} (database {self.database})"

    def sqlalchemy_url(self) -> URL:
        query = {k: v for k, v in self.options.items() if k != "password_file"}
        if self.host and self.host.startswith("/"):
            query["host"] = self.host
            if self.port:
                query["port"] = str(self.port)
            host, port = None, None
        else:
            host, port = self.host, self.port
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password,
            host=host,
            port=port,
            database=self.database,
            query=query,
        )


def _password_from(path_text: str) -> str:
    path = Path(path_text).expanduser()
    try:
        mode = path.stat().st_mode
        if stat.S_IMODE(mode) & 0o077:
            raise BadDatabaseUrl(
                f"The password file {path} may be read by others (mode {stat.S_IMODE(mode):o}); "
                f"make it owner-only: chmod 600 {path}."
            )
        if not stat.S_ISREG(mode):
            raise BadDatabaseUrl(f"The password file {path} is not a regular file.")
        text = read_limited(path, SETTINGS_FILE_LIMIT).decode("utf-8")
    except UnreadableFile as error:
        raise BadDatabaseUrl(f"The password file {path} is not used: {error.reason}.") from None
    except OSError as error:
        raise BadDatabaseUrl(f"The password file {path} cannot be read: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise BadDatabaseUrl(f"The password file {path} is not UTF-8 text.") from None
    password = text.splitlines()[0] if text else ""
    if not password:
        raise BadDatabaseUrl(f"The password file {path} is empty.")
    return password


def parse_database_url(text: str, *, from_settings: bool = False) -> Address:
    """Read a libpq URL; ``from_settings``: it comes from a file on disk, where no password may be."""
    text = text.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in unquote(text)):
        raise BadDatabaseUrl("The database URL holds a control character (such as %00, a NUL); write it without.")
    try:
        parts = urlsplit(text)
        port_number = parts.port
    except ValueError:
        raise BadDatabaseUrl("The database URL is not a URL; write it as postgresql://USER@HOST/DB.") from None
    if parts.scheme not in SCHEMES:
        raise BadDatabaseUrl(
            f"The database URL starts with '{parts.scheme}:'; write it as postgresql://USER@HOST[:PORT]/DB "
            "(or postgresql://USER@/DB?host=/socket/dir for a Unix socket)."
        )
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise BadDatabaseUrl(
            "The database URL names no database: end it with /DB, e.g. postgresql://clinic@server/botulax."
        )
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in pairs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise BadDatabaseUrl(f"The URL gives the option {twice[0]} twice; give it once.")
    unknown = sorted(set(names) - ALLOWED_OPTIONS - {"password"})
    if unknown:
        raise BadDatabaseUrl(
            f"The URL option {unknown[0]} is not taken (it could lead the connection elsewhere than the host "
            f"the URL shows); allowed: {', '.join(sorted(ALLOWED_OPTIONS))}."
        )
    options = dict(pairs)
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and from_settings:
        raise BadDatabaseUrl(
            "The clinic settings may not hold the database password (it would be kept in clear): put it in a "
            "file only you can read (chmod 600) and name it in the URL with ?password_file=PATH."
        )
    if "password" in options:
        raise BadDatabaseUrl("Do not put the password in the URL's options; use ?password_file=PATH.")
    if "password_file" in options:
        if password is not None:
            raise BadDatabaseUrl("The URL holds a password and names a password_file: give one of them.")
        password = _password_from(options["password_file"])
    host = unquote(parts.hostname) if parts.hostname else options.pop("host", None)
    if host and "," in host:
        raise BadDatabaseUrl("The URL names several hosts; name the clinic's one server.")
    if parts.hostname and "host" in options:
        raise BadDatabaseUrl("The URL names a host twice (before the / and in ?host=); give one.")
    port_text = options.pop("port", None)
    try:
        port = port_number or (int(port_text) if port_text else None)
    except ValueError:
        raise BadDatabaseUrl(f"The port '{port_text}' is not a number.") from None
    if port is not None and not 0 < port < 65536:
        raise BadDatabaseUrl(f"The port {port} is not between 1 and 65535.")
    user = unquote(parts.username) if parts.username else os.environ.get("PGUSER")
    return Address(user=user, host=host, port=port, database=database, options=options, password=password)
