"""Shared state: users, answers with tokens, one vote per voter, rate limits, update claims, salt.

Databases written before migrations keep their `users` rows (same columns). Their `feedback`
table is dropped: it stored each asker's question under whoever pressed the button, so its rows
cannot be kept without keeping that leak.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "feedback" in existing:
        op.drop_table("feedback")
    if "users" not in existing:
        op.create_table(
            "users",
            sa.Column("user_hash", sa.String(64), primary_key=True),
            sa.Column("lang", sa.String(8)),
            sa.Column("updated", sa.Float, nullable=False),
        )
    op.create_table(
        "answers",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("asker_hash", sa.String(64), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("provisions", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
    )
    op.create_index("ix_answers_asker_hash", "answers", ["asker_hash"])
    op.create_index("ix_answers_created", "answers", ["created"])
    op.create_table(
        "votes",
        sa.Column("token", sa.String(32), sa.ForeignKey("answers.token", ondelete="CASCADE"), primary_key=True),
        sa.Column("voter_hash", sa.String(64), primary_key=True),
        sa.Column("vote", sa.SmallInteger, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
    )
    op.create_index("votes_voter", "votes", ["voter_hash"])
    op.create_table(
        "rate_limits",
        sa.Column("user_hash", sa.String(64), primary_key=True),
        sa.Column("stamps", sa.Text, nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
    )
    op.create_index("ix_rate_limits_updated", "rate_limits", ["updated"])
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("claimed_at", sa.Float, nullable=False),
    )
    op.create_index("ix_processed_updates_claimed_at", "processed_updates", ["claimed_at"])
    op.create_table(
        "secrets",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    for table in ("secrets", "processed_updates", "rate_limits", "votes", "answers", "users"):
        op.drop_table(table)
