"""Shared fixtures: the real catalog, sources and act trees of the project."""

from __future__ import annotations

import re

import pytest

from ingest.clean import CleanedSource, clean
from ingest.model import Act, ActMeta
from ingest.store import SOURCES_DIR, build_act, load_catalog


@pytest.fixture(scope="session")
def catalog() -> dict[str, ActMeta]:
    return {m.id: m for m in load_catalog()}


@pytest.fixture(scope="session")
def acts(catalog: dict[str, ActMeta]) -> dict[str, Act]:
    """Every act parsed afresh from its source text (not read from the committed JSON)."""
    return {key: build_act(meta, SOURCES_DIR / meta.file) for key, meta in catalog.items()}


@pytest.fixture(scope="session")
def cleaned(catalog: dict[str, ActMeta]) -> dict[str, CleanedSource]:
    return {key: clean((SOURCES_DIR / m.file).read_text(encoding="utf-8"), m.file) for key, m in catalog.items()}


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def raw_sources(catalog: dict[str, ActMeta]) -> dict[str, str]:
    return {key: (SOURCES_DIR / m.file).read_text(encoding="utf-8") for key, m in catalog.items()}


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    """The real engine on the real index (bundled e5 embedder, embedded Chroma), built once."""
    from bot.engine import Engine
    from knowledge.settings import Settings

    return Engine.open(Settings())


@pytest.fixture(scope="session")
def postgres_database():  # type: ignore[no-untyped-def]
    """A fresh PostgreSQL database for this run (see tests/postgres.py for where the server comes from)."""
    from tests.postgres import fresh_database, postgres_server

    with postgres_server() as server, fresh_database(server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path):  # type: ignore[no-untyped-def]
    """DATABASE_URL for one test: None (SQLite under tmp_path) or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        return None
    from tests.postgres import fresh_schema

    return fresh_schema(request.getfixturevalue("postgres_database"))
