"""Alembic's entry point for the migrations shipped in the package (``botulax-consult db upgrade``).

The program hands Alembic an open connection (``config.attributes["connection"]``); nothing here
reads a URL, so a password never passes through Alembic's configuration or its logs.
"""

from __future__ import annotations

from alembic import context

from assistant.records.postgres.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the migrations with botulax-consult db upgrade, which opens the connection")
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
