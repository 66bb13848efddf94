"""The replies an unfinished update has sent, so a replica that takes it over sends only the rest.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_replies",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("message_id", sa.BigInteger),
        sa.Column("sent_at", sa.Float, nullable=False),
    )
    op.create_index("ix_sent_replies_sent_at", "sent_replies", ["sent_at"])


def downgrade() -> None:
    op.drop_table("sent_replies")
