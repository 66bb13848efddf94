"""The one settings object: every knob, read from the environment or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.store import ACTS_DIR, PROJECT_ROOT

EmbedderName = Literal["e5", "sentence-transformers", "none"]


class Settings(BaseSettings):
    """Configuration; each field is read from the upper-case environment variable of its name."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # knowledge
    acts_dir: Path = ACTS_DIR
    data_dir: Path = PROJECT_ROOT / "data"
    embedder: EmbedderName = "e5"
    embedder_model: str = "intfloat/multilingual-e5-base"  # for sentence-transformers
    chroma_host: str | None = None  # a Chroma server; unset = embedded Chroma in data_dir
    chroma_port: int = 8000
    embedding_cache: Path | None = None  # SQLite of embeddings kept across builds; unset = DATA_DIR/embeddings.sqlite3
    embedder_threads: int = 0  # CPU threads of the embedder; 0 = every core this process may use
    database_url: str | None = None  # PostgreSQL shared by replicas (e.g. their index-build lock)

    # optional LLM explanations (any OpenAI-compatible endpoint: Ollama, vLLM, llama.cpp, hosted)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_timeout: float = 8.0  # seconds; slower replies fall back to the extractive answer

    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    admin_ids: list[int] = []  # Telegram user ids allowed /stats and /reindex, e.g. ADMIN_IDS=[1,2]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
