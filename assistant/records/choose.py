"""Which store a command works on: the clinic's server when a database URL is given, else this
computer's TinyDB data folder.

The URL comes from ``--database`` (after the command word), else the environment variable
``BOTULAX_CONSULT_DATABASE``, else ``[records] database`` in the clinic settings, in that order.
"""

from __future__ import annotations

import os
from pathlib import Path

from assistant.records.repository import ConsultRepository

ENV_VARIABLE = "BOTULAX_CONSULT_DATABASE"


def database_url(given: str | None, settings_url: str | None) -> tuple[str | None, bool]:
    """(the URL to use or None, whether it came from a settings file on disk)."""
    if given:
        return given, False
    if os.environ.get(ENV_VARIABLE):
        return os.environ[ENV_VARIABLE], False
    return settings_url, settings_url is not None


def open_store(
    data_dir: Path | None, database: str | None = None, settings_url: str | None = None
) -> ConsultRepository:
    url, from_settings = database_url(database, settings_url)
    if url:
        from assistant.records.postgres.store import PostgresStore
        from assistant.records.postgres.url import parse_database_url

        return PostgresStore(parse_database_url(url, from_settings=from_settings))
    from assistant.records.tinydb.store import TinyDBStore

    return TinyDBStore(data_dir)
