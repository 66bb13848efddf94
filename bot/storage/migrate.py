"""Alembic migrations, run on every start: a no-op once the schema is at the newest revision.

On PostgreSQL an advisory lock makes replicas that start together migrate one after another.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x5717_0001  # any fixed bigint: the id of the PostgreSQL advisory lock


def alembic_config(connection: Connection | None = None) -> Config:
    """The Alembic configuration without an ini file; `connection` is shared with env.py."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection) -> None:
    """Bring the schema to the newest revision inside the caller's transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": MIGRATION_LOCK})
    command.upgrade(alembic_config(connection), "head")
