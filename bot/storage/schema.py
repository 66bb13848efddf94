"""The tables shared by every replica; Alembic migrations in `migrations/` create them.

User ids never appear: every `*_hash` column holds the salted hash from `Database.user_key`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("user_hash", String(64), primary_key=True),
    Column("lang", String(8)),
    Column("updated", Float, nullable=False),
)

# One row per answer that carries feedback buttons: the button holds only the random token.
answers = Table(
    "answers",
    metadata,
    Column("token", String(32), primary_key=True),
    Column("asker_hash", String(64), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("provisions", Text, nullable=False),  # JSON list of cited provision ids
    Column("chunks", Text, nullable=False, server_default="[]"),  # JSON list of cited chunk keys
    Column("created", Float, nullable=False, index=True),
)

# One vote per (answer, voter); pressing again changes it, never adds a row.
votes = Table(
    "votes",
    metadata,
    Column("token", String(32), ForeignKey("answers.token", ondelete="CASCADE"), primary_key=True),
    Column("voter_hash", String(64), primary_key=True),
    Column("vote", SmallInteger, nullable=False),
    Column("created", Float, nullable=False),
    Index("votes_voter", "voter_hash"),
)

# Per-user question times (wall clock, JSON list) inside the sliding window.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("user_hash", String(64), primary_key=True),
    Column("stamps", Text, nullable=False),
    Column("updated", Float, nullable=False, index=True),
)

# Telegram update ids claimed by a replica; `done` once handled, so a re-delivery is skipped.
# `claimed_at` is renewed while the replica handles the update: its lease (bot/storage/updates.py).
processed_updates = Table(
    "processed_updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("done", Boolean, nullable=False),
    Column("claimed_at", Float, nullable=False, index=True),
)

# The replies an unfinished update has sent so far, each recorded once Telegram confirmed it:
# the `seq`-th reply of the update's handling, and the message id Telegram gave it (none for
# answers to queries). A replica that takes the update over sends only the replies not here.
sent_replies = Table(
    "sent_replies",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("message_id", BigInteger),
    Column("sent_at", Float, nullable=False, index=True),
)

# Values the replicas must agree on, such as the user-hash salt on PostgreSQL.
secrets_table = Table(
    "secrets",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
)
