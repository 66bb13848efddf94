"""The one settings object: every knob, read from the environment or a `.env` file."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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

    # optional LLM explanations (any OpenAI-compatible endpoint: Ollama, vLLM, llama.cpp, hosted)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_timeout: float = 8.0  # seconds; slower replies fall back to the extractive answer

    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    # Telegram user ids allowed /stats and /reindex: ADMIN_IDS=1,2 or "1 2" or [1,2] or empty
    admin_ids: Annotated[list[int], NoDecode] = []
    # webhook mode: the secret Telegram sends with every update (random per start when unset;
    # replicas behind one URL must share it)
    telegram_webhook_secret: SecretStr | None = None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: Any) -> Any:
        """Accept `1,2`, `1 2`, `123`, `[1,2]` and empty, as operators write them."""
        if isinstance(value, int):
            return [value]
        if not isinstance(value, str):
            return value
        parts = [p for p in re.split(r"[\s,;]+", value.strip().strip("[]")) if p]
        bad = [p for p in parts if not p.lstrip("-").isdigit()]
        if bad:
            raise ValueError(f"ADMIN_IDS must be Telegram user ids separated by commas or spaces, not {bad[0]!r}")
        return [int(p) for p in parts]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
