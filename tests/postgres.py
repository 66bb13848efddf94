"""A PostgreSQL server for the storage tests, and a fresh database per test run.

CI sets TEST_POSTGRES_URL (the machine's server) and REQUIRE_POSTGRES=1. Elsewhere `make test`
starts a self-contained server from the `pgserver` package (a dev dependency); if neither works
the PostgreSQL cases are skipped with the reason, and REQUIRE_POSTGRES=1 turns that into a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

CONNECT_TIMEOUT = 5


def unavailable(reason: str) -> None:
    """Skip, or fail when the run requires PostgreSQL (CI)."""
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


def libpq(url: str) -> str:
    """A SQLAlchemy-style URL as a libpq connection string for psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of a server to create test databases on."""
    if url := os.environ.get("TEST_POSTGRES_URL"):
        yield url
        return
    try:
        import pgserver
    except ImportError:
        unavailable("no TEST_POSTGRES_URL and no pgserver package (pip install -e '.[dev]') to start PostgreSQL")
    folder = tempfile.mkdtemp(prefix="pg-")  # short: the server's socket path must fit 107 bytes
    try:
        server = pgserver.get_server(folder, cleanup_mode="stop")
    except Exception as err:  # the bundled binaries cannot run here
        shutil.rmtree(folder, ignore_errors=True)
        unavailable(f"no TEST_POSTGRES_URL, and pgserver could not start PostgreSQL: {err}")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for this test run; dropped afterwards."""
    name = f"statute_test_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(libpq(server_url), autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.OperationalError as err:
        unavailable(f"cannot connect to PostgreSQL at {make_url(server_url).render_as_string()}: {err}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_schema(database_url: str) -> str:
    """A URL whose connections live in a new, empty schema of the run's database (one per test)."""
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(libpq(database_url), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
