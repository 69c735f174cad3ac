"""the reader's language (issue 18): whether users.language is the person's own choice, and the language
Telegram last reported for them, for the messages that other people's updates send them

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMNs: a batch copy of users on SQLite would empty every table that refers to it
    op.add_column("users", sa.Column("language_chosen", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("users", sa.Column("telegram_language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("telegram_language")
        batch.drop_column("language_chosen")
