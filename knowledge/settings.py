"""The one settings object: every knob, read from the environment or a `.env` file.

Nested groups (retrieval, answer, calibration per embedder, telegram) are set from the
environment with `__` between names, e.g. `RETRIEVAL__POOL=60` or `ANSWER__MAX_QUOTES=2`.
Each default says which evaluation chose it ("dev set" = `python -m bot eval` on the dev
questions, scored by the shared scorer; the README's "Evaluate" section has the line).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EmbedderName = Literal["e5", "sentence-transformers", "none"]
PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = Path(__file__).resolve().parent
ACTS_DIR = KNOWLEDGE_DIR / "acts"
SOURCES_DIR = KNOWLEDGE_DIR / "sources"


class RetrievalSettings(BaseModel):
    """How hybrid retrieval ranks provisions (`knowledge/retriever.py`, `knowledge/fusion.py`)."""

    # Tuned on the dev set (README, "Evaluate"): the RRF weights choose the candidate pool...
    # "official" is BM25 over the official Russian texts, for Russian questions only.
    rrf_weights: dict[str, float] = {
        "statute": 0.3,
        "enriched": 1.0,
        "dense": 1.0,
        "dense_article": 0.5,
        "official": 0.5,
    }
    # ...and the blend orders it; rank fusion alone lost the margin between neighbouring provisions.
    blend_weights: dict[str, float] = {"dense": 1.0, "enriched": 0.05, "statute": 0.0, "act": 0.04, "official": 0.0}
    # Tuned on the dev set with EMBEDDER=none (BM25 only): enrichment first, then statute text and cues.
    lexical_only_blend: dict[str, float] = {"dense": 0.0, "enriched": 1.0, "statute": 0.5, "act": 0.2, "official": 0.5}
    rrf_k: int = 60  # the constant proposed with RRF (Cormack et al., 2009); not tuned here
    pool: int = 40  # candidates passed from rank fusion to the blend (tuned with the weights above)
    list_depth: int = 50  # how deep each ranked list goes into the fusion (tuned with the weights)
    dense_neighbours: int = 150  # vectors fetched per query: several per chunk (text, renderings, questions)
    article_share: float = 0.98  # an article-level match counts slightly less per chunk (dev set)


class Calibration(BaseModel):
    """When to decline, per embedder: similarities mean different things in each model."""

    # Below `floor` no provision is close enough; a question whose nearest out-of-scope
    # prototype is within `scope_margin` of its best provision is declined too.
    floor: float
    scope_margin: float


class AnswerSettings(BaseModel):
    """How answers are composed and what input is accepted (`bot/answer/`, `bot/engine.py`)."""

    max_quotes: int = 3  # provisions quoted by the general answer: point@3 on the dev set counts three
    max_question: int = 1500  # characters; longer messages are asked to be shortened (DESIGN §5)
    min_letter_share: float = 0.5  # below this share of letters a message is noise, not a question
    cache_size: int = 2048  # recent answers kept: groups and briefings repeat the same questions
    llm_max_provisions: int = 5  # provisions shown to the LLM (benches/llm_eval.py)
    min_quote_piece: int = 4  # characters; shorter quote pieces prove nothing either way
    # Calibrated on the dev set with the bundled e5-small (oos_refused 1.000, false_refusal
    # 0.000). Other embedders have not been calibrated: they use e5's values until an entry
    # for them is measured and added here (or set as CALIBRATION via the environment).
    calibration: dict[str, Calibration] = {"e5": Calibration(floor=0.86, scope_margin=0.01)}

    def calibration_for(self, embedder: str) -> Calibration:
        """The decline thresholds for an embedder (e5's when it has none of its own)."""
        return self.calibration.get(embedder, self.calibration["e5"])


class TelegramSettings(BaseModel):
    """Limits and timings of the Telegram front end (`bot/telegram/`)."""

    questions_per_period: int = 6  # questions a user may ask per `period` (benches/load.py)
    period: float = 60.0  # seconds
    inline_debounce: float = 0.8  # seconds an inline query must stay unchanged before it is searched
    inline_min_words: int = 3  # shorter inline queries get a hint instead of a search
    inline_cache: int = 300  # seconds Telegram may cache inline results
    inline_cards: int = 3  # result cards per inline query, one per quoted provision (as many as max_quotes)
    engine_retry: float = 60.0  # seconds between attempts to reopen an unavailable knowledge base
    answer_workers: int = 4  # questions searched at once (two cores; a search also waits on I/O)
    # attempts for a Bot API call Telegram surely did not carry out: a 429 (after its retry_after),
    # a 5xx, no connection (bot/telegram/retries.py); with 15% of calls refused, one call in 26
    # million is refused 9 times (benches/replicas_load.py)
    send_retries: int = 9
    send_backoff: float = 0.5  # seconds before the first retry after a 5xx; doubles after each, up to 4 s
    # webhook replicas: seconds an update's claim outlives the replica's last renewal of it (renewed
    # every quarter of that while it is handled): how soon another replica resumes what one killed held
    claim_lease: float = 5.0


class Settings(BaseSettings):
    """Configuration; each field is read from the upper-case environment variable of its name."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_nested_delimiter="__"
    )

    # knowledge
    acts_dir: Path = ACTS_DIR
    data_dir: Path = PROJECT_ROOT / "data"
    embedder: EmbedderName = "e5"
    embedder_model: str = "intfloat/multilingual-e5-base"  # for sentence-transformers
    embed_batch: int = 256  # texts per embedding call while building the index
    chroma_host: str | None = None  # a Chroma server; unset = embedded Chroma in data_dir
    chroma_port: int = 8000
    embedding_cache: Path | None = None  # SQLite of embeddings kept across builds; unset = DATA_DIR/embeddings.sqlite3
    embedder_threads: int = 0  # CPU threads of the embedder; 0 = every core this process may use

    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)

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

    # storage of languages, votes, limits and update claims (bot/storage/)
    database_url: SecretStr | None = None  # PostgreSQL for replicas, e.g. postgresql://bot:pw@db/bot; unset = SQLite
    user_hash_salt: SecretStr | None = None  # ≥ 32 characters; unset = a salt file beside SQLite / a row in PostgreSQL

    @property
    def calibration(self) -> Calibration:
        """The decline thresholds of the configured embedder."""
        return self.answer.calibration_for(self.embedder)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
