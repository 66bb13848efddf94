"""Shared fixtures: the real catalog, sources and act trees; the real index, built once per session.

The index lives in a temporary data dir of the session, never in the user's `data/` (a
`python -m bot index` may be running there). Its embeddings are cached across sessions in
pytest's cache dir, so only the first session ever embeds the texts the shipped seed lacks.
Tests that need the index are marked `index` automatically; `-m "not index and not st and not processes"`
runs the fast unit tests alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from knowledge.settings import Settings

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


INDEX_FIXTURES = {"engine", "index_settings", "index_env"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the real index `index`."""
    for item in items:
        if INDEX_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.index)


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Settings:
    """Settings on the session's own data dir (bundled e5 embedder, embedded Chroma, no LLM, no token)."""
    from knowledge.settings import Settings

    assert pytestconfig.cache is not None
    cache: Path = pytestconfig.cache.mkdir("embeddings") / "embeddings.sqlite3"
    return Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        embedding_cache=cache,
        embedder="e5",
        chroma_host=None,
        database_url=None,
        llm_base_url=None,
        llm_model=None,
        telegram_bot_token=None,
    )


@pytest.fixture(scope="session")
def engine(index_settings: Settings):  # type: ignore[no-untyped-def]
    """The real engine on the real index, built once per session in its own data dir."""
    from bot.engine import Engine

    return Engine.open(index_settings)


@pytest.fixture(scope="session")
def index_env(engine, index_settings: Settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The environment of a `python -m bot` subprocess that uses the session's built index."""
    env = {k: v for k, v in os.environ.items() if k not in ("CHROMA_HOST", "DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    env.update(
        DATA_DIR=str(index_settings.data_dir),
        EMBEDDING_CACHE=str(index_settings.embedding_cache),
        EMBEDDER="e5",
        LLM_BASE_URL="",
        LLM_MODEL="",
    )
    return env


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
