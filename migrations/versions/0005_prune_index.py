"""an index on processed_updates.processed_at, for the hourly prune of old update ids

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 23:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The prune deletes the ids older than 7 days: without this it scans every id of the last 7 days.
    op.create_index(op.f("ix_processed_updates_processed_at"), "processed_updates", ["processed_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_processed_updates_processed_at"), table_name="processed_updates")
