"""watch files (issue 17): what a session log took from an activity file

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

COLUMNS = ("source", "sport", "distance_km", "avg_hr", "avg_cadence", "walk_minutes")


def upgrade() -> None:
    # Plain nullable ADD COLUMNs (see 0006: no batch copy on SQLite). A typed log leaves them all empty.
    op.add_column("session_logs", sa.Column("source", sa.String(length=8), nullable=True))
    op.add_column("session_logs", sa.Column("sport", sa.String(length=16), nullable=True))
    op.add_column("session_logs", sa.Column("distance_km", sa.Float(), nullable=True))
    op.add_column("session_logs", sa.Column("avg_hr", sa.Integer(), nullable=True))
    op.add_column("session_logs", sa.Column("avg_cadence", sa.Integer(), nullable=True))
    op.add_column("session_logs", sa.Column("walk_minutes", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_logs") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
