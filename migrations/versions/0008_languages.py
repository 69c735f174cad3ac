"""the reader's language (issue 18): whether `users.language` is the person's own choice in /settings, and
the language Telegram last reported for them (`language_code`), for the messages others' updates send them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language_chosen", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("telegram_language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("telegram_language")
        batch.drop_column("language_chosen")
